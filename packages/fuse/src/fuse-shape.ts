import { describe } from '@syncwire/bytes';

/** Largest segment length (Graf & Lemire cap it at 2^18 so a segment stays cache-friendly). */
export const FUSE_MAX_SEGMENT_LENGTH = 2 ** 18;
/** Most keys one filter takes; keeps every table index below 2^32. */
export const FUSE_MAX_KEYS = 2 ** 30;

/** Layout of a 3-wise binary fuse filter: `segmentCount + 2` segments of `segmentLength` cells. */
export interface FuseShape {
  /** Cells per segment, a power of two in [4, 2^18]. */
  segmentLength: number;
  /** Segments a key's first cell can fall in (≥ 1). */
  segmentCount: number;
  /** Total cells: (segmentCount + 2) · segmentLength. */
  arrayLength: number;
}

/**
 * The shape Graf & Lemire (2022, §4) give for `n` keys with 3 hash functions: segment length
 * 2^⌊ln n / ln 3.33 + 2.25⌋ (capped at 2^18) and about max(1.125, 0.875 + 0.25·ln 10^6 / ln n)·n cells.
 * @throws RangeError unless n is an integer in [0, 2^30].
 */
export function fuseShape(n: number): FuseShape {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > FUSE_MAX_KEYS) {
    throw new RangeError(`fuseShape: n expected an integer in [0, 2^30], got ${describe(n)}`);
  }
  const segmentLength =
    n === 0 ? 4 : Math.min(FUSE_MAX_SEGMENT_LENGTH, 2 ** Math.floor(Math.log(n) / Math.log(3.33) + 2.25));
  const sizeFactor = n <= 1 ? 0 : Math.max(1.125, 0.875 + (0.25 * Math.log(1e6)) / Math.log(n));
  const capacity = n <= 1 ? 0 : Math.round(n * sizeFactor);
  const initSegmentCount = Math.floor((capacity + segmentLength - 1) / segmentLength) - 2;
  let segmentCount = Math.floor(((initSegmentCount + 2) * segmentLength + segmentLength - 1) / segmentLength);
  segmentCount = segmentCount <= 2 ? 1 : segmentCount - 2;
  return { segmentLength, segmentCount, arrayLength: (segmentCount + 2) * segmentLength };
}
