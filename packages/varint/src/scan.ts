import { CodecError } from '@syncwire/bytes';

/**
 * Result slots of {@link scanLeb128}. Module-level so the scan allocates nothing: the caller reads them
 * immediately after the call (JS is single-threaded, nothing can interleave).
 */
export const scanned = {
  /** Bits 0–27. */
  lo: 0,
  /** Bits 28–55. */
  mid: 0,
  /** Bits 56–63. */
  hi: 0,
  /** Offset just past the varint. */
  end: 0,
};

/**
 * The careful LEB128 reader every path falls back to: bounds-checked, and exact about which error applies.
 * `maxBytes` is 10 for 64-bit values and 9 for multiformats (63 bits); `minimal` rejects a final 0x00 group.
 */
export function scanLeb128(
  bytes: Uint8Array,
  offset: number,
  maxBytes: number,
  minimal: boolean,
  where: string,
): void {
  let lo = 0;
  let mid = 0;
  let hi = 0;
  let p = offset;
  for (let i = 0; ; i++) {
    if (p >= bytes.length) {
      throw new CodecError('unexpected_eof', `${where}: input ends inside a varint`, p);
    }
    const byte = bytes[p++]!;
    const bits = byte & 0x7f;
    if (i < 4) lo |= bits << (7 * i);
    else if (i < 8) mid |= bits << (7 * (i - 4));
    else hi |= bits << (7 * (i - 8));
    if (byte < 0x80) {
      if (minimal && byte === 0 && i > 0) {
        throw new CodecError('not_minimal', `${where}: varint has a redundant final zero group`, offset);
      }
      // The 10th byte of a 64-bit varint carries only bit 63.
      if (i === 9 && byte > 1) throw new CodecError('overflow', `${where}: varint exceeds 64 bits`, offset);
      scanned.lo = lo;
      scanned.mid = mid;
      scanned.hi = hi;
      scanned.end = p;
      return;
    }
    if (i === maxBytes - 1) {
      throw new CodecError('overflow', `${where}: varint longer than ${maxBytes} bytes`, offset);
    }
  }
}

const TWO_28 = 0x10000000;

/** The scanned value as a number; `overflow` above 2^53 − 1. */
export function scannedNumber(where: string, offset: number): number {
  if (scanned.hi !== 0 || scanned.mid >= 1 << 25) {
    throw new CodecError('overflow', `${where}: value exceeds 2^53 - 1 (use the bigint codec)`, offset);
  }
  return scanned.lo + scanned.mid * TWO_28;
}

/** The scanned value as a bigint. */
export function scannedBigint(): bigint {
  return BigInt(scanned.lo) + (BigInt(scanned.mid) << 28n) + (BigInt(scanned.hi) << 56n);
}
