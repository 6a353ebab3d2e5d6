import type { Params } from './options.ts';

const TWO_32 = 0x100000000;

/**
 * The crate's 64-bit gear fingerprint at a cut, recomputed from the bytes (only when `hashes` is on).
 *
 * A gear hash forgets a byte after 64 shifts, so the one-byte-at-a-time hash after byte `last` is the sum of the
 * last (at most) 64 gear values, each shifted by its age. `first` is the first hashed byte (the hash starts at 0
 * there). v2020 reports twice that value when it cut on the first byte of a pair (`double`).
 * @internal
 */
export function gearHashAt(p: Params, buf: Uint8Array, first: number, last: number, double: boolean): bigint {
  if (last < first) return 0n;
  const gear = p.gear;
  let hi = 0;
  let lo = 0;
  for (let i = Math.max(first, last - 63); i <= last; i++) {
    const b = buf[i]!;
    // Doubles hold these sums exactly (< 2^35), so no BigInt is needed in the loop.
    const l = lo * 2 + gear[2 * b + 1]!;
    const carry = Math.floor(l / TWO_32);
    lo = l >>> 0;
    hi = (hi * 2 + gear[2 * b]! + carry) >>> 0;
  }
  const h = (BigInt(hi) << 32n) | BigInt(lo);
  return double ? (h << 1n) & 0xffffffffffffffffn : h;
}
