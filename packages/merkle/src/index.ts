/**
 * RFC 9162 (Certificate Transparency v2) Merkle trees over flat typed arrays: tree hash, an O(log n)
 * appender, inclusion, consistency and range proofs, and a streaming verifier that checks each leaf
 * from an untrusted peer the moment it arrives. SHA-256 from `@noble/hashes` by default; a faster
 * `node:crypto` hasher lives in `@syncwire/merkle/node`; any {@link Hasher} can be injected.
 *
 * @example
 * ```ts
 * import { MerkleTree, hashLeaf, verifyInclusion } from '@syncwire/merkle';
 * const leaves = [1, 2, 3].map((b) => Uint8Array.of(b));
 * const tree = MerkleTree.fromLeaves(leaves);
 * verifyInclusion(hashLeaf(leaves[2]!), 2, tree.size, tree.inclusionProof(2), tree.root()); // true
 * ```
 * @module
 */
export { MerkleAppender } from './appender.ts';
export { consistencyProofLength, verifyConsistency } from './consistency.ts';
export { createNobleSha256, type Hasher, sha256Hasher } from './hasher.ts';
export { inclusionProofLength, verifyInclusion } from './inclusion.ts';
export { InclusionVerifier, type InclusionVerifierOptions } from './inclusion-verifier.ts';
export { emptyRoot, hashLeaf, hashNode } from './leaf.ts';
export type { MerkleOptions } from './options.ts';
export {
  type ConsistencyProof,
  consistencyProof,
  consistencyProofCodec,
  type InclusionProof,
  inclusionProof,
  inclusionProofCodec,
  type ProofCodecOptions,
  type RangeProof,
  rangeProof,
  rangeProofCodec,
} from './proof-codec.ts';
export type { ProofInput } from './proof-input.ts';
export { rangeProofLength, verifyRange } from './range.ts';
export {
  encodeStream,
  encodeStreamRecord,
  VerifiedStreamDecoder,
  type VerifiedStreamOptions,
  verifyStream,
} from './stream-codec.ts';
export { StreamVerifier, streamProofLength } from './stream-verifier.ts';
export { MAX_TREE_LEAVES, MerkleTree, merkleRoot, merkleRootOfChunks } from './tree.ts';
