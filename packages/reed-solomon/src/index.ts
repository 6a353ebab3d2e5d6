/**
 * Systematic Reed-Solomon erasure coding over GF(2^8) (poly 0x11D), parity byte-identical with
 * klauspost/reedsolomon, Backblaze JavaReedSolomon and the Rust `reed-solomon-erasure` crate, with a
 * WebAssembly SIMD kernel and a pure-TypeScript fallback.
 *
 * @example
 * ```ts
 * import { joinBlob, ReedSolomon, splitBlob } from '@syncwire/reed-solomon';
 *
 * const rs = new ReedSolomon(4, 2);
 * const shards = rs.encode([...splitBlob(blob, 4), null, null]); // 6 shards, any 4 rebuild the blob
 * shards[1] = null;
 * shards[4] = null;
 * rs.reconstruct(shards);
 * joinBlob(shards.slice(0, 4)); // equals blob
 * ```
 * @module
 */
export { blobShardLength, type JoinBlobOptions, joinBlob, splitBlob } from './blob.ts';
export type { KernelName } from './kernel.ts';
export {
  MAX_TOTAL_SHARDS,
  type MaybeShards,
  ReedSolomon,
  type ReedSolomonOptions,
} from './reed-solomon.ts';
export {
  decodeStream,
  encodeStream,
  StripeDecoder,
  type StripeDecoderOptions,
  StripeEncoder,
  type StripeEncoderOptions,
} from './stripes.ts';
