import { type Codec, CodecError } from '@syncwire/bytes';
import { checkBigUint, checkDecodeArgs, checkRoom, checkUint, eof } from './check.ts';

const QUIC_MAX = (1n << 62n) - 1n;
const TWO_32 = 0x100000000;

/** Bytes the minimal QUIC varint of `v` takes: 1, 2, 4 or 8 (RFC 9000 §16). */
export function quicVarintLength(v: number | bigint): 1 | 2 | 4 | 8 {
  if (v < 64) return 1;
  if (v < 16384) return 2;
  if (v < 1073741824) return 4;
  return 8;
}

/** Writes `v` (≤ 2^62 − 1, as hi/lo 32-bit halves) in `length` bytes, big-endian with the length prefix. */
function writeQuic(hi: number, lo: number, length: 1 | 2 | 4 | 8, out: Uint8Array, o: number): void {
  switch (length) {
    case 1:
      out[o] = lo;
      return;
    case 2:
      out[o] = 0x40 | (lo >>> 8);
      out[o + 1] = lo;
      return;
    case 4:
      out[o] = 0x80 | (lo >>> 24);
      out[o + 1] = lo >>> 16;
      out[o + 2] = lo >>> 8;
      out[o + 3] = lo;
      return;
    default:
      out[o] = 0xc0 | (hi >>> 24);
      out[o + 1] = hi >>> 16;
      out[o + 2] = hi >>> 8;
      out[o + 3] = hi;
      out[o + 4] = lo >>> 24;
      out[o + 5] = lo >>> 16;
      out[o + 6] = lo >>> 8;
      out[o + 7] = lo;
  }
}

/** Reads the length-prefixed value at `o` as 32-bit halves into `halves`; returns the length. */
function readQuic(bytes: Uint8Array, o: number, where: string, halves: Uint32Array): number {
  if (o >= bytes.length) throw eof(where, o);
  const first = bytes[o]!;
  const length = 1 << (first >> 6);
  if (o + length > bytes.length) throw eof(where, o);
  const top = first & 0x3f;
  if (length === 1) {
    halves[0] = 0;
    halves[1] = top;
  } else if (length === 2) {
    halves[0] = 0;
    halves[1] = (top << 8) | bytes[o + 1]!;
  } else if (length === 4) {
    halves[0] = 0;
    halves[1] = (top << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!;
  } else {
    halves[0] = (top << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!;
    halves[1] = (bytes[o + 4]! << 24) | (bytes[o + 5]! << 16) | (bytes[o + 6]! << 8) | bytes[o + 7]!;
  }
  return length;
}

const halves = new Uint32Array(2);

function checkLength(where: string, length: number, minimal: number): 1 | 2 | 4 | 8 {
  if (length !== 1 && length !== 2 && length !== 4 && length !== 8) {
    throw new RangeError(`${where}: length expected 1, 2, 4 or 8, got ${length}`);
  }
  if (length < minimal)
    throw new RangeError(`${where}: value needs ${minimal} bytes, length ${length} is too short`);
  return length;
}

/**
 * Writes a QUIC varint of `value` in exactly `length` bytes (a non-minimal form, for a length field patched in
 * later); returns the bytes written. RFC 9000 lets decoders accept it, except where a field must be minimal.
 */
export function encodeQuicVarintFixed(
  value: number,
  length: 1 | 2 | 4 | 8,
  out: Uint8Array,
  offset: number,
): number {
  const where = 'encodeQuicVarintFixed';
  checkUint(where, value);
  checkLength(where, length, quicVarintLength(value));
  checkRoom(where, out, offset, length);
  writeQuic(Math.floor(value / TWO_32), value >>> 0, length, out, offset);
  return length;
}

/**
 * QUIC variable-length integer (RFC 9000 §16) as a number in [0, 2^53 − 1]. Encodes the minimal form;
 * decodes any of the four lengths, minimal or not, as the RFC requires. A decoded value above 2^53 − 1
 * throws `overflow` (use {@link quicVarint64}).
 */
export const quicVarint: Codec<number> = {
  encodingLength(value) {
    checkUint('quicVarint.encode', value);
    return quicVarintLength(value);
  },
  encodeInto(value, out, offset) {
    const where = 'quicVarint.encode';
    checkUint(where, value);
    const length = quicVarintLength(value);
    checkRoom(where, out, offset, length);
    writeQuic(Math.floor(value / TWO_32), value >>> 0, length, out, offset);
    return length;
  },
  decode(bytes, offset = 0) {
    const where = 'quicVarint.decode';
    checkDecodeArgs(where, bytes, offset);
    const length = readQuic(bytes, offset, where, halves);
    if (halves[0]! >= 1 << 21) throw new CodecError('overflow', `${where}: value exceeds 2^53 - 1`, offset);
    return { value: halves[0]! * TWO_32 + halves[1]!, end: offset + length };
  },
};

/** QUIC variable-length integer as a bigint in [0, 2^62 − 1]; encoding 2^62 or more is a RangeError. */
export const quicVarint64: Codec<bigint> = {
  encodingLength(value) {
    checkBigUint('quicVarint64.encode', value, QUIC_MAX);
    return quicVarintLength(value);
  },
  encodeInto(value, out, offset) {
    const where = 'quicVarint64.encode';
    checkBigUint(where, value, QUIC_MAX);
    const length = quicVarintLength(value);
    checkRoom(where, out, offset, length);
    writeQuic(Number(value >> 32n), Number(value & 0xffffffffn), length, out, offset);
    return length;
  },
  decode(bytes, offset = 0) {
    const where = 'quicVarint64.decode';
    checkDecodeArgs(where, bytes, offset);
    const length = readQuic(bytes, offset, where, halves);
    return { value: (BigInt(halves[0]!) << 32n) | BigInt(halves[1]!), end: offset + length };
  },
};
