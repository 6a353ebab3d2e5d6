/**
 * Binary fuse filters for syncwire (Graf & Lemire 2022): static set summaries built once from a key set, 8-bit
 * (~9 bits/key, 0.39 %) or 16-bit (~18 bits/key, 0.0015 %), with a documented portable wire format
 * (rfcs/0002-filters.md) shared with `@syncwire/bloom` and `@syncwire/cuckoo`.
 *
 * @example
 * ```ts
 * import { BinaryFuseFilter } from '@syncwire/fuse';
 * const te = new TextEncoder();
 * const f = BinaryFuseFilter.build([te.encode('alice'), te.encode('bob')]);
 * BinaryFuseFilter.fromBytes(f.toBytes()).has(te.encode('alice')); // true
 * ```
 * @module
 */
export { BinaryFuseFilter, type BinaryFuseOptions, binaryFuse8, binaryFuse16 } from './binary-fuse-filter.ts';
export { FUSE_MAX_KEYS, FUSE_MAX_SEGMENT_LENGTH, type FuseShape, fuseShape } from './fuse-shape.ts';
