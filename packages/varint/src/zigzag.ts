import { type Codec, describe } from '@syncwire/bytes';
import { checkDecodeArgs, checkRoom } from './check.ts';
import { uint64Length, uintLength, writeUint, writeUint64 } from './leb128.ts';
import { VarintReader } from './reader.ts';
import { scanLeb128, scanned, scannedBigint } from './scan.ts';
import { unzigzag64, zigzag32, zigzag64 } from './zigzag-map.ts';

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

function checkInt32(where: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${where}: value expected an int32, got ${describe(value)}`);
  }
  if (value < -0x80000000 || value > 0x7fffffff) {
    throw new RangeError(`${where}: value expected an integer in [-2^31, 2^31 - 1], got ${value}`);
  }
}

function checkInt64(where: string, value: unknown): asserts value is bigint {
  if (typeof value !== 'bigint')
    throw new TypeError(`${where}: value expected a bigint, got ${describe(value)}`);
  if (value < I64_MIN || value > I64_MAX) {
    throw new RangeError(`${where}: value expected a bigint in [-2^63, 2^63 - 1], got ${value}`);
  }
}

const EMPTY = new Uint8Array(0);
const reader32 = new VarintReader(EMPTY, 0, { name: 'svarint32.decode' });

/** Signed 32-bit integer as ZigZag + strict LEB128 (protobuf `sint32` layout, minimal required). */
export const svarint32: Codec<number> = {
  encodingLength(value) {
    checkInt32('svarint32.encode', value);
    return uintLength(zigzag32(value));
  },
  encodeInto(value, out, offset) {
    checkInt32('svarint32.encode', value);
    const z = zigzag32(value);
    checkRoom('svarint32.encode', out, offset, uintLength(z));
    return writeUint(z, out, offset) - offset;
  },
  decode(bytes, offset = 0) {
    checkDecodeArgs('svarint32.decode', bytes, offset);
    reader32.bytes = bytes;
    reader32.pos = offset;
    const value = reader32.sint32();
    const end = reader32.pos;
    reader32.bytes = EMPTY; // do not keep the caller's buffer alive
    return { value, end };
  },
};

/** Signed 64-bit bigint as ZigZag + strict LEB128 (protobuf `sint64` layout, minimal required). */
export const svarint64: Codec<bigint> = {
  encodingLength(value) {
    checkInt64('svarint64.encode', value);
    return uint64Length(zigzag64(value));
  },
  encodeInto(value, out, offset) {
    checkInt64('svarint64.encode', value);
    const z = zigzag64(value);
    checkRoom('svarint64.encode', out, offset, uint64Length(z));
    return writeUint64(z, out, offset) - offset;
  },
  decode(bytes, offset = 0) {
    const where = 'svarint64.decode';
    checkDecodeArgs(where, bytes, offset);
    scanLeb128(bytes, offset, 10, true, where);
    return { value: unzigzag64(scannedBigint()), end: scanned.end };
  },
};
