import { type Codec, CodecError } from '@syncwire/bytes';
import { checkBigUint, checkDecodeArgs, checkRoom, checkUint, eof } from './check.ts';

// BigSize (Lightning BOLT #1) and Bitcoin CompactSize share one layout: a marker byte below 0xfd is the value;
// 0xfd, 0xfe, 0xff announce a 2-, 4- or 8-byte integer. BigSize is big-endian, CompactSize little-endian.
// Both require the shortest form.

const TWO_32 = 0x100000000;
const U64_MAX = (1n << 64n) - 1n;

function sizeLength(v: number | bigint): 1 | 3 | 5 | 9 {
  if (v < 0xfd) return 1;
  if (v <= 0xffff) return 3;
  if (v <= 0xffffffff) return 5;
  return 9;
}

function writeN(v: number, width: number, le: boolean, out: Uint8Array, o: number): void {
  for (let i = 0; i < width; i++) out[le ? o + i : o + width - 1 - i] = v >>> (8 * i);
}

function readN(bytes: Uint8Array, o: number, width: number, le: boolean): number {
  let v = 0;
  for (let i = 0; i < width; i++) v = v * 256 + bytes[le ? o + width - 1 - i : o + i]!;
  return v;
}

function write(hi: number, lo: number, le: boolean, out: Uint8Array, o: number): number {
  const length = hi !== 0 ? 9 : sizeLength(lo);
  if (length === 1) {
    out[o] = lo;
  } else if (length === 3) {
    out[o] = 0xfd;
    writeN(lo, 2, le, out, o + 1);
  } else if (length === 5) {
    out[o] = 0xfe;
    writeN(lo, 4, le, out, o + 1);
  } else {
    out[o] = 0xff;
    writeN(le ? lo : hi, 4, le, out, o + 1);
    writeN(le ? hi : lo, 4, le, out, o + 5);
  }
  return length;
}

const parts = new Float64Array(2);

/** Reads into `parts` = [hi, lo] and returns the end offset; throws on truncation or a non-canonical form. */
function read(bytes: Uint8Array, o: number, le: boolean, where: string): number {
  if (o >= bytes.length) throw eof(where, o);
  const marker = bytes[o]!;
  const width = marker < 0xfd ? 0 : marker === 0xfd ? 2 : marker === 0xfe ? 4 : 8;
  if (o + 1 + width > bytes.length) throw eof(where, o);
  let hi = 0;
  let lo: number;
  if (width === 0) lo = marker;
  else if (width < 8) lo = readN(bytes, o + 1, width, le);
  else {
    const first = readN(bytes, o + 1, 4, le);
    const second = readN(bytes, o + 5, 4, le);
    hi = le ? second : first;
    lo = le ? first : second;
  }
  const min = width === 2 ? 0xfd : width === 4 ? 0x10000 : 0;
  if ((width === 2 || width === 4) && lo < min) {
    throw new CodecError('not_minimal', `${where}: value ${lo} must use the shorter form`, o);
  }
  if (width === 8 && hi === 0)
    throw new CodecError('not_minimal', `${where}: value ${lo} must use the shorter form`, o);
  parts[0] = hi;
  parts[1] = lo;
  return o + 1 + width;
}

function numberCodec(name: string, le: boolean): Codec<number> {
  const enc = `${name}.encode`;
  const dec = `${name}.decode`;
  return {
    encodingLength(value) {
      checkUint(enc, value);
      return sizeLength(value);
    },
    encodeInto(value, out, offset) {
      checkUint(enc, value);
      checkRoom(enc, out, offset, sizeLength(value));
      return write(Math.floor(value / TWO_32), value >>> 0, le, out, offset);
    },
    decode(bytes, offset = 0) {
      checkDecodeArgs(dec, bytes, offset);
      const end = read(bytes, offset, le, dec);
      if (parts[0]! >= 1 << 21) throw new CodecError('overflow', `${dec}: value exceeds 2^53 - 1`, offset);
      return { value: parts[0]! * TWO_32 + parts[1]!, end };
    },
  };
}

function bigintCodec(name: string, le: boolean): Codec<bigint> {
  const enc = `${name}.encode`;
  const dec = `${name}.decode`;
  return {
    encodingLength(value) {
      checkBigUint(enc, value, U64_MAX);
      return sizeLength(value);
    },
    encodeInto(value, out, offset) {
      checkBigUint(enc, value, U64_MAX);
      checkRoom(enc, out, offset, sizeLength(value));
      return write(Number(value >> 32n), Number(value & 0xffffffffn), le, out, offset);
    },
    decode(bytes, offset = 0) {
      checkDecodeArgs(dec, bytes, offset);
      const end = read(bytes, offset, le, dec);
      return { value: (BigInt(parts[0]!) << 32n) | BigInt(parts[1]!), end };
    },
  };
}

/** Lightning BigSize (BOLT #1): big-endian, canonical form required. As a number in [0, 2^53 − 1]. */
export const bigSize: Codec<number> = numberCodec('bigSize', false);
/** Lightning BigSize as a bigint in [0, 2^64 − 1]. */
export const bigSize64: Codec<bigint> = bigintCodec('bigSize64', false);
/** Bitcoin CompactSize: BigSize's layout, little-endian, canonical form required. As a number. */
export const compactSize: Codec<number> = numberCodec('compactSize', true);
/** Bitcoin CompactSize as a bigint in [0, 2^64 − 1]. */
export const compactSize64: Codec<bigint> = bigintCodec('compactSize64', true);
