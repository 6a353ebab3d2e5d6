import { describe } from '@syncwire/bytes';

/** Slots per bucket (b). Fixed: 4 is the paper's sweet spot (95 % load, one 8-byte read per bucket at f = 16). */
export const CUCKOO_SLOTS = 4;
/** Target load the capacity sizing plans for; inserts usually keep succeeding up to ~95–96 %. */
export const CUCKOO_PLANNED_LOAD = 0.95;
/** Largest bucket count: 2^28 buckets (up to 2 GiB of table at f = 16). */
export const CUCKOO_MAX_LOG2_BUCKETS = 28;

/** Fingerprint widths the format supports. */
export type FingerprintBits = 8 | 12 | 16;

/**
 * Smallest supported fingerprint width for `fpr`: f ≥ ⌈log2(2b/ε)⌉ (Fan et al. §5.1), rounded up to 8, 12 or 16.
 * 1 % → 12 bits (≈ 0.2 % actual), 0.1 % → 16 bits (≈ 0.012 %), 3 % → 8 bits (≈ 3.1 %).
 *
 * @throws RangeError if fpr is outside [2b/2^16 ≈ 1.22e-4, 0.5].
 */
export function cuckooFingerprintBits(fpr: number): FingerprintBits {
  const min = (2 * CUCKOO_SLOTS) / 65536;
  if (typeof fpr !== 'number' || !(fpr >= min && fpr <= 0.5)) {
    throw new RangeError(
      `cuckooFingerprintBits: fpr expected a number in [${min}, 0.5], got ${describe(fpr)}`,
    );
  }
  // Tiny epsilon: log2(8 / 0.03125) must give exactly 8, not 8.000000001.
  const need = Math.ceil(Math.log2((2 * CUCKOO_SLOTS) / fpr) - 1e-9);
  return need <= 8 ? 8 : need <= 12 ? 12 : 16;
}

/**
 * log2 of the bucket count for `capacity` items: the next power of two ≥ capacity / (b · 0.95).
 * @throws RangeError if capacity is not a positive safe integer or needs more than 2^28 buckets.
 */
export function cuckooLog2Buckets(capacity: number): number {
  if (typeof capacity !== 'number' || !Number.isSafeInteger(capacity) || capacity < 1) {
    throw new RangeError(
      `cuckooLog2Buckets: capacity expected a positive safe integer, got ${describe(capacity)}`,
    );
  }
  const need = Math.ceil(capacity / (CUCKOO_SLOTS * CUCKOO_PLANNED_LOAD));
  let log2 = 0;
  while (2 ** log2 < need) log2++;
  if (log2 > CUCKOO_MAX_LOG2_BUCKETS) {
    throw new RangeError(
      `cuckooLog2Buckets: capacity ${capacity} needs more than 2^${CUCKOO_MAX_LOG2_BUCKETS} buckets`,
    );
  }
  return log2;
}
