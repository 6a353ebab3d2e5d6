/**
 * Content-addressed blobs for syncwire: a blob is cut into FastCDC chunks; each chunk gets a 36-byte leaf
 * record (`u32 length ‖ SHA-256(chunk)`, big-endian length); the manifest root is the RFC 9162 tree hash over
 * the records; and the **BlobId** is `SHA-256(0x02 ‖ u64 chunkCount ‖ u64 byteLength ‖ root)`, so size and
 * shape are authenticated. Manifests are served in pages of 2^k records with range proofs; a receiver
 * verifies the header against the BlobId, each page against the root, and each chunk against its record.
 *
 * @example
 * ```ts
 * import { buildManifest, ManifestVerifier } from '@syncwire/blob';
 * const m = buildManifest(bytes);                      // one pass, FastCDC + SHA-256
 * const v = ManifestVerifier.create(m.id, m.header)!;  // receiver trusts only m.id
 * v.addPage(m.page(0));                                // true: range proof checks against the root
 * v.verifyChunk(0, bytes.subarray(0, m.chunkLength(0))); // true
 * ```
 * @module
 */
export { type BlobChunk, buildManifest, buildManifestFromStream, ManifestBuilder } from './builder.ts';
export {
  BLOB_ID_TAG,
  blobId,
  type HeaderCodecOptions,
  headerShapeProblem,
  MANIFEST_HEADER_SIZE,
  MAX_CHUNK_COUNT,
  type ManifestHeader,
  manifestHeader,
  manifestHeaderCodec,
  verifyHeader,
} from './header.ts';
export { HASH_SIZE, LEAF_RECORD_SIZE, MAX_CHUNK_LENGTH, recordDigest, recordLength } from './leaf-record.ts';
export { Manifest } from './manifest.ts';
export { type BlobOptions, type BuildOptions, DEFAULT_PAGE_BITS, MAX_BUILD_PAGE_BITS } from './options.ts';
export {
  type ManifestPage,
  manifestPage,
  manifestPageCodec,
  type PageCodecOptions,
  pageCount,
  pageRange,
  verifyPage,
} from './page.ts';
export { type ManifestStatus, ManifestVerifier } from './verifier.ts';
