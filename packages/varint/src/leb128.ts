import type { Codec, Decoded } from '@syncwire/bytes';
import { checkBigUint, checkDecodeArgs, checkRoom, checkUint } from './check.ts';
import { VarintReader } from './reader.ts';
import { scanLeb128, scanned, scannedBigint, scannedNumber } from './scan.ts';

const EMPTY = new Uint8Array(0);

// 2^28 is written as the literal 0x10000000 in hot code: the bundle turns a module `const` into a `var`,
// which V8 reloads instead of folding.
const U64_MAX = (1n << 64n) - 1n;

/** Bytes an unsigned LEB128 of `v` (a safe non-negative integer) takes: 1–8. */
export function uintLength(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  if (v < 0x800000000) return 5;
  if (v < 0x40000000000) return 6;
  if (v < 0x2000000000000) return 7;
  return 8;
}

/** Writes `v` (a safe non-negative integer) at `o` without checks and returns the end offset. */
export function writeUint(v: number, out: Uint8Array, o: number): number {
  if (v > 0xffffffff) {
    // Split into exact 32-bit halves; emit the low 28 bits, then continue with 32-bit ops.
    const lo = v >>> 0;
    const hi = (v - lo) / 0x100000000;
    out[o] = lo | 0x80;
    out[o + 1] = (lo >>> 7) | 0x80;
    out[o + 2] = (lo >>> 14) | 0x80;
    out[o + 3] = (lo >>> 21) | 0x80;
    o += 4;
    v = (lo >>> 28) | (hi << 4);
  }
  while (v > 0x7f) {
    out[o++] = v | 0x80;
    v >>>= 7;
  }
  out[o++] = v;
  return o;
}

/** Writes `v` in [0, 2^32) at `o` (5 bytes must fit) and returns the byte count. */
function writeUint32(v: number, out: Uint8Array, o: number): number {
  if (v < 0x80) {
    out[o] = v;
    return 1;
  }
  out[o] = v | 0x80;
  if (v < 0x4000) {
    out[o + 1] = v >>> 7;
    return 2;
  }
  out[o + 1] = (v >>> 7) | 0x80;
  if (v < 0x200000) {
    out[o + 2] = v >>> 14;
    return 3;
  }
  out[o + 2] = (v >>> 14) | 0x80;
  if (v < 0x10000000) {
    out[o + 3] = v >>> 21;
    return 4;
  }
  out[o + 3] = (v >>> 21) | 0x80;
  out[o + 4] = v >>> 28;
  return 5;
}

/** Writes `v` in [2^32, 2^53) at `o` (8 bytes must fit) and returns the byte count (5–8). */
function writeUint53(v: number, out: Uint8Array, o: number): number {
  // Exact 32-bit halves; the low 28 bits first, then bits 28–52 with 32-bit ops.
  const lo = v >>> 0;
  const hi = (lo >>> 28) | (((v - lo) / 0x100000000) << 4);
  out[o] = lo | 0x80;
  out[o + 1] = (lo >>> 7) | 0x80;
  out[o + 2] = (lo >>> 14) | 0x80;
  out[o + 3] = (lo >>> 21) | 0x80;
  if (hi < 0x80) {
    out[o + 4] = hi;
    return 5;
  }
  out[o + 4] = hi | 0x80;
  if (hi < 0x4000) {
    out[o + 5] = hi >>> 7;
    return 6;
  }
  out[o + 5] = (hi >>> 7) | 0x80;
  if (hi < 0x200000) {
    out[o + 6] = hi >>> 14;
    return 7;
  }
  out[o + 6] = (hi >>> 14) | 0x80;
  out[o + 7] = hi >>> 21;
  return 8;
}

/** Bytes an unsigned LEB128 of a 64-bit bigint takes: 1–10. */
export function uint64Length(v: bigint): number {
  let n = 1;
  while (v > 0x7fn) {
    v >>= 7n;
    n++;
  }
  return n;
}

/** Writes a 64-bit bigint at `o` without checks and returns the end offset. */
export function writeUint64(v: bigint, out: Uint8Array, o: number): number {
  let lo = Number(v & 0xffffffffn);
  let hi = Number(v >> 32n);
  while (hi !== 0 || lo > 0x7f) {
    out[o++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  out[o++] = lo;
  return o;
}

function numberCodec(name: string, minimal: boolean): Codec<number> {
  const enc = `${name}.encode`;
  const dec = `${name}.decode`;
  // One reader reused by every decode call: the unrolled fast path lives in one place.
  const reader = new VarintReader(EMPTY, 0, { lenient: !minimal, name });
  return {
    encodingLength(value) {
      checkUint(enc, value);
      return uintLength(value);
    },
    encodeInto(value, out, offset) {
      // Fast paths check the value's range and that the longest encoding of that range fits, so the
      // length is found while writing (one chain of branches, not a length chain and then a write loop).
      // value >>> 0 === value holds exactly for integers in [0, 2^32); `u` is then a uint32 for V8, so the
      // writes below use 32-bit compares and shifts even when `value` arrives as a double.
      const u = value >>> 0;
      if (u === value) {
        if (out instanceof Uint8Array && offset >>> 0 === offset && offset + 5 <= out.length) {
          return writeUint32(u, out, offset);
        }
      } else if (
        value > 0 &&
        value <= Number.MAX_SAFE_INTEGER &&
        Number.isInteger(value) &&
        out instanceof Uint8Array &&
        offset >>> 0 === offset &&
        offset + 8 <= out.length
      ) {
        return writeUint53(value, out, offset);
      }
      // Near the end of `out`, or a caller mistake: exact checks, exact errors.
      checkUint(enc, value);
      const length = uintLength(value);
      checkRoom(enc, out, offset, length);
      writeUint(value, out, offset);
      return length;
    },
    decode(bytes, offset = 0): Decoded<number> {
      checkDecodeArgs(dec, bytes, offset);
      reader.bytes = bytes;
      reader.pos = offset;
      const value = reader.uint();
      const end = reader.pos;
      reader.bytes = EMPTY; // do not keep the caller's buffer alive
      return { value, end };
    },
  };
}

function bigintCodec(name: string, maxBytes: number, minimal: boolean, max: bigint): Codec<bigint> {
  const enc = `${name}.encode`;
  const dec = `${name}.decode`;
  return {
    encodingLength(value) {
      checkBigUint(enc, value, max);
      return uint64Length(value);
    },
    encodeInto(value, out, offset) {
      checkBigUint(enc, value, max);
      checkRoom(enc, out, offset, uint64Length(value));
      return writeUint64(value, out, offset) - offset;
    },
    decode(bytes, offset = 0): Decoded<bigint> {
      checkDecodeArgs(dec, bytes, offset);
      scanLeb128(bytes, offset, maxBytes, minimal, dec);
      return { value: scannedBigint(), end: scanned.end };
    },
  };
}

/**
 * Unsigned LEB128 as a number in [0, 2^53 − 1], strict: a non-minimal encoding (`80 00`) throws
 * `not_minimal`, a value above 2^53 − 1 or more than 10 bytes `overflow`, truncation `unexpected_eof`.
 */
export const uvarint: Codec<number> = numberCodec('uvarint', true);

/** Unsigned LEB128 as a bigint in [0, 2^64 − 1], strict like {@link uvarint}. */
export const uvarint64: Codec<bigint> = bigintCodec('uvarint64', 10, true, U64_MAX);

/**
 * Protobuf-style unsigned LEB128 as a number: non-minimal encodings are accepted (protobuf does not require
 * minimal varints); at most 10 bytes. Encodes minimally. Use only for input from protobuf-family writers.
 */
export const uvarintLenient: Codec<number> = numberCodec('uvarintLenient', false);

/** Protobuf-style unsigned LEB128 as a bigint (non-minimal accepted, at most 10 bytes). */
export const uvarint64Lenient: Codec<bigint> = bigintCodec('uvarint64Lenient', 10, false, U64_MAX);

/**
 * The multiformats unsigned-varint profile: at most 9 bytes (63 bits), minimal encoding required.
 * As a number in [0, 2^53 − 1]; {@link multiformatsUvarint64} for the full 63 bits.
 */
export const multiformatsUvarint: Codec<number> = {
  encodingLength: uvarint.encodingLength,
  encodeInto: uvarint.encodeInto,
  decode(bytes, offset = 0) {
    const dec = 'multiformatsUvarint.decode';
    checkDecodeArgs(dec, bytes, offset);
    scanLeb128(bytes, offset, 9, true, dec);
    return { value: scannedNumber(dec, offset), end: scanned.end };
  },
};

/** The multiformats unsigned-varint profile as a bigint in [0, 2^63 − 1]. */
export const multiformatsUvarint64: Codec<bigint> = bigintCodec(
  'multiformatsUvarint64',
  9,
  true,
  (1n << 63n) - 1n,
);
