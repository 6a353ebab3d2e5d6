/**
 * A cuckoo filter for syncwire: mutable set summaries with delete, 8/12/16-bit fingerprints, no false negatives,
 * a digest-key fast path, and the shared portable wire format (rfcs/0002-filters.md).
 *
 * @example
 * ```ts
 * import { CuckooFilter } from '@syncwire/cuckoo';
 * const f = new CuckooFilter({ capacity: 10_000, fpr: 0.01 });
 * f.add(new TextEncoder().encode('alice'));
 * CuckooFilter.fromBytes(f.toBytes()).has(new TextEncoder().encode('alice')); // true
 * ```
 * @module
 */
export { CuckooFilter, type CuckooFilterOptions, cuckooFilter } from './cuckoo-filter.ts';
export {
  CUCKOO_MAX_LOG2_BUCKETS,
  CUCKOO_PLANNED_LOAD,
  CUCKOO_SLOTS,
  cuckooFingerprintBits,
  cuckooLog2Buckets,
  type FingerprintBits,
} from './sizing.ts';
