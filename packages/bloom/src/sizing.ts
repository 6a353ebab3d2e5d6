import { describe } from '@syncwire/bytes';

function assertCount(where: string, n: unknown): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`${where}: expectedItems expected a positive safe integer, got ${describe(n)}`);
  }
}

function assertFpr(where: string, p: unknown, min: number, max: number): asserts p is number {
  if (typeof p !== 'number' || !(p >= min && p <= max)) {
    throw new RangeError(`${where}: fpr expected a number in [${min}, ${max}], got ${describe(p)}`);
  }
}

/**
 * Space-optimal classic Bloom shape for `expectedItems` at false-positive rate `fpr`:
 * bits m = ⌈−n·ln p / (ln 2)²⌉ (9.585 bits/item at 1 %, 14.378 at 0.1 %), hashes k = round((m/n)·ln 2) (7 and 10).
 *
 * @throws RangeError if n is not a positive safe integer, fpr is outside [1e-9, 0.5], or m would exceed 2^31.
 */
export function bloomSize(expectedItems: number, fpr: number): { bits: number; hashes: number } {
  const where = 'bloomSize';
  assertCount(where, expectedItems);
  assertFpr(where, fpr, 1e-9, 0.5);
  const bits = Math.ceil((-expectedItems * Math.log(fpr)) / (Math.LN2 * Math.LN2));
  if (bits > 2 ** 31) throw new RangeError(`${where}: ${bits} bits exceeds the 2^31 limit; split the set`);
  const hashes = Math.min(32, Math.max(1, Math.round((bits / expectedItems) * Math.LN2)));
  return { bits, hashes };
}

// parquet-format BloomFilter.md, "Sizing": measured bits per key for each target FPP. The spec's closed form
// −8/ln(1 − p^(1/8)) undersizes (≈ 1.45 % measured for a 1 % target), so sizing interpolates this table instead.
const PARQUET_TABLE: ReadonlyArray<readonly [fpr: number, bitsPerKey: number]> = [
  [0.1, 6],
  [0.01, 10.5],
  [0.001, 16.9],
  [0.0001, 26.4],
  [0.00001, 41],
];

/**
 * Bits per key a split-block Bloom filter needs for `fpr`, from the Parquet spec's table (6.0 → 10 %, 10.5 → 1 %,
 * 16.9 → 0.1 %, 26.4 → 0.01 %, 41 → 0.001 %), interpolated linearly in log(fpr) between rows. Above 10 % the 10 %
 * row is used (the result is then better than asked).
 *
 * @throws RangeError if fpr is outside [1e-5, 0.5].
 */
export function splitBlockBitsPerKey(fpr: number): number {
  assertFpr('splitBlockBitsPerKey', fpr, 1e-5, 0.5);
  if (fpr >= 0.1) return 6;
  for (let i = 1; i < PARQUET_TABLE.length; i++) {
    const [p1, b1] = PARQUET_TABLE[i - 1]!;
    const [p2, b2] = PARQUET_TABLE[i]!;
    if (fpr >= p2) {
      const t = Math.log(fpr / p1) / Math.log(p2 / p1);
      return b1 + t * (b2 - b1);
    }
  }
  return 41;
}

/**
 * Number of 32-byte blocks for `expectedItems` at `fpr`: ⌈n · bitsPerKey / 256⌉, at least 1.
 * @throws RangeError for bad arguments or more than 2^26 blocks (2 GiB).
 */
export function splitBlockBlocks(expectedItems: number, fpr: number): number {
  assertCount('splitBlockBlocks', expectedItems);
  const blocks = Math.max(1, Math.ceil((expectedItems * splitBlockBitsPerKey(fpr)) / 256));
  if (blocks > 2 ** 26) throw new RangeError(`splitBlockBlocks: ${blocks} blocks exceeds the 2^26 limit`);
  return blocks;
}
