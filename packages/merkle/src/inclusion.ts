import { assertBytes } from '@syncwire/bytes';
import { bit, bitLength, popcount, shr, xor } from './bits.ts';
import { assertSize, claimedSize, type MerkleOptions, sharedTreeHasher } from './options.ts';
import { equalAt, flattenProof, type ProofInput } from './proof-input.ts';
import type { TreeHasher } from './tree-hasher.ts';

/**
 * Splits an inclusion path (RFC 9162 §2.1.3.1) into its `inner` part, below the level where the paths
 * to `index` and to the last leaf meet (siblings on either side), and its `border` part above it (only
 * left siblings: the right edge of the tree has no right siblings, promoted nodes add no hash).
 */
export function inclusionShape(index: number, treeSize: number): { inner: number; border: number } {
  const inner = bitLength(xor(index, treeSize - 1));
  return { inner, border: popcount(shr(index, inner)) };
}

/**
 * Number of hashes in the inclusion proof of leaf `index` in a tree of `treeSize` leaves.
 * @throws RangeError unless 0 ≤ index < treeSize ≤ 2^53 - 1.
 */
export function inclusionProofLength(index: number, treeSize: number): number {
  assertSize('inclusionProofLength', 'treeSize', treeSize);
  assertSize('inclusionProofLength', 'index', index);
  if (index >= treeSize) {
    throw new RangeError(
      `inclusionProofLength: index expected an integer below treeSize ${treeSize}, got ${index}`,
    );
  }
  const { inner, border } = inclusionShape(index, treeSize);
  return inner + border;
}

/**
 * Folds `flat[at ..]` (leaf-to-root order, `inner + border` hashes) onto `acc` in place: the root that
 * the proof claims for a leaf hash held in `acc`.
 */
export function chainInclusion(
  th: TreeHasher,
  acc: Uint8Array,
  index: number,
  inner: number,
  border: number,
  flat: Uint8Array,
  at: number,
): void {
  const s = th.size;
  for (let i = 0; i < inner; i++, at += s) {
    if (bit(index, i) === 0) th.nodeInto(acc, 0, flat, at, acc, 0);
    else th.nodeInto(flat, at, acc, 0, acc, 0);
  }
  for (let i = 0; i < border; i++, at += s) th.nodeInto(flat, at, acc, 0, acc, 0);
}

/**
 * Verifies that `leafHash` is leaf `index` of the tree with `root` and `treeSize` leaves
 * (RFC 9162 §2.1.3.2). Returns `false` for every invalid proof, including: `index ≥ treeSize`, a leaf
 * hash, root or proof item that is not exactly `hasher.outputLen` bytes, and a proof with more or fewer
 * hashes than this (index, treeSize) needs, which is checked before hashing anything.
 *
 * `leafHash` is the RFC 9162 leaf hash `HASH(0x00 || leaf)`: see {@link hashLeaf}.
 * @throws TypeError when an argument is not bytes / not an integer; RangeError for a negative or unsafe
 *   index or size. Bad proof bytes never throw.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: ProofInput,
  root: Uint8Array,
  options?: MerkleOptions,
): boolean {
  const where = 'verifyInclusion';
  assertBytes(where, 'leafHash', leafHash);
  const exact = claimedSize(where, 'index', index);
  const exactSize = claimedSize(where, 'treeSize', treeSize);
  assertBytes(where, 'root', root);
  const th = sharedTreeHasher(where, options);
  const s = th.size;
  if (!exact || !exactSize || index >= treeSize || leafHash.length !== s || root.length !== s) {
    if (!(proof instanceof Uint8Array)) flattenProof(where, proof, -1, s); // still type-check the items
    return false;
  }
  const { inner, border } = inclusionShape(index, treeSize);
  const flat = flattenProof(where, proof, inner + border, s);
  if (flat === null) return false;
  const acc = Uint8Array.from(leafHash);
  chainInclusion(th, acc, index, inner, border, flat, 0);
  return equalAt(acc, 0, root, 0, s);
}
