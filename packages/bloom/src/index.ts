/**
 * Bloom filters for syncwire: a classic Bloom filter sized to the exact optimum, and a split-block Bloom filter
 * byte-compatible with Apache Parquet; both with a digest-key fast path, XXH64 for arbitrary keys, and the shared,
 * versioned filter wire header (rfcs/0002-filters.md) that `@syncwire/cuckoo` and `@syncwire/fuse` also use.
 *
 * @example
 * ```ts
 * import { BloomFilter } from '@syncwire/bloom';
 * const f = BloomFilter.create({ expectedItems: 10_000, fpr: 0.01 });
 * f.add(new TextEncoder().encode('alice'));
 * const copy = BloomFilter.fromBytes(f.toBytes());
 * copy.has(new TextEncoder().encode('alice')); // true
 * ```
 * @module
 */
export {
  BLOOM_MAX_BITS,
  BLOOM_MAX_HASHES,
  BloomFilter,
  type BloomFilterOptions,
  type BloomSizingOptions,
  bloomFilter,
} from './bloom-filter.ts';
export {
  DEFAULT_MAX_TABLE_BYTES,
  decodeFilterEnvelope,
  decodeFilterOf,
  encodeFilterEnvelope,
  FILTER_FORMAT_VERSION,
  FILTER_HEADER_BYTES,
  FILTER_MAGIC,
  type FilterDecodeOptions,
  type FilterEnvelope,
  FilterKind,
  type FilterKindId,
  filterEnvelope,
  HashId,
  type HashIdValue,
  type KeyHashName,
  maxTableBytesOf,
} from './filter-header.ts';
export {
  DIGEST_MIN_BYTES,
  digestWord,
  hashKeyInto,
  hashName,
  isDigestKey,
  type KeyHashConfig,
  type KeyHashOptions,
  keyHashConfig,
} from './key-hash.ts';
export { bloomSize, splitBlockBitsPerKey, splitBlockBlocks } from './sizing.ts';
export {
  SPLIT_BLOCK_MAX_BLOCKS,
  SPLIT_BLOCK_SALT,
  SplitBlockBloomFilter,
  type SplitBlockOptions,
  type SplitBlockSizingOptions,
} from './split-block-bloom-filter.ts';
export { fmix64, joinU64, mulHi32, readU32LE, splitU64, writeU32LE } from './u64.ts';
export { popcount32, readWordsLE, writeWordsLE } from './words-le.ts';
export { xxh64, xxh64Into } from './xxh64.ts';
