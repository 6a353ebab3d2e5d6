import { CodecError } from '@syncwire/bytes';
import { uvarint } from '@syncwire/varint';

/** Most ranges one HAVE may carry (a receiver refuses more before allocating). */
export const MAX_HAVE_RANGES = 4096;
/** Chunk indices are below 2^32 (the blob format's chunkCount limit). */
const MAX_INDEX = 2 ** 32;

/**
 * Sorted disjoint chunk ranges as run lengths: `uvarint gap ‖ uvarint length` per range, where gap is the
 * distance from the previous range's end (from 0 for the first) and length ≥ 1. Compact for the usual shape
 * (a few long runs) and canonical: one byte string per range set.
 * @throws RangeError for ranges that are unsorted, overlapping, touching, empty or beyond 2^32.
 */
export function encodeRanges(ranges: ReadonlyArray<readonly [number, number]>): Uint8Array {
  if (ranges.length > MAX_HAVE_RANGES) {
    throw new RangeError(`encodeRanges: ${ranges.length} ranges, at most ${MAX_HAVE_RANGES}`);
  }
  const out = new Uint8Array(ranges.length * 10);
  let o = 0;
  let prev = -1;
  for (const [start, end] of ranges) {
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start <= prev ||
      end <= start ||
      end > MAX_INDEX
    ) {
      throw new RangeError(`encodeRanges: bad range [${start}, ${end}) after ${prev}`);
    }
    o += uvarint.encodeInto(start - Math.max(prev, 0), out, o);
    o += uvarint.encodeInto(end - start, out, o);
    prev = end;
  }
  return out.slice(0, o);
}

/**
 * Inverse of {@link encodeRanges}. Ranges never touch (a gap of 0 after the first range is `invalid_value`).
 * @throws CodecError `limit_exceeded` (too many ranges or beyond 2^32), `invalid_value`, uvarint errors.
 */
export function decodeRanges(b: Uint8Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let o = 0;
  let at = 0;
  while (o < b.length) {
    if (out.length === MAX_HAVE_RANGES) {
      throw new CodecError('limit_exceeded', `HAVE: more than ${MAX_HAVE_RANGES} ranges`, o);
    }
    const gap = uvarint.decode(b, o);
    const len = uvarint.decode(b, gap.end);
    if (len.value === 0) throw new CodecError('invalid_value', 'HAVE: empty range', gap.end);
    if (gap.value === 0 && out.length > 0) {
      throw new CodecError('invalid_value', 'HAVE: ranges touch (not canonical)', o);
    }
    const start = at + gap.value;
    const end = start + len.value;
    if (end > MAX_INDEX) throw new CodecError('limit_exceeded', 'HAVE: range beyond 2^32', gap.end);
    out.push([start, end]);
    at = end;
    o = len.end;
  }
  return out;
}
