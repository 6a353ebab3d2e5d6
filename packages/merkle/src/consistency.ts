import { assertBytes } from '@syncwire/bytes';
import { bit, shr, trailingZeros } from './bits.ts';
import { inclusionShape } from './inclusion.ts';
import { assertSize, claimedSize, type MerkleOptions, sharedTreeHasher } from './options.ts';
import { equalAt, flattenProof, type ProofInput } from './proof-input.ts';

/**
 * Shape of the consistency proof between sizes 0 < size1 < size2: `seeded` when size1 is a power of
 * two (its root is itself a node of the larger tree and is not repeated in the proof), `inner`/`border`
 * as for the inclusion path of leaf size1 - 1, less the levels that lie inside the old tree's last
 * complete subtree.
 */
function consistencyShape(
  size1: number,
  size2: number,
): { seeded: boolean; inner: number; border: number; shift: number } {
  const { inner, border } = inclusionShape(size1 - 1, size2);
  const shift = trailingZeros(size1);
  return { seeded: size1 === 2 ** shift, inner: inner - shift, border, shift };
}

/**
 * Number of hashes in the consistency proof between tree sizes `size1` and `size2`
 * (RFC 9162 §2.1.4.1): 0 when the sizes are equal.
 * @throws RangeError unless 0 < size1 ≤ size2 ≤ 2^53 - 1.
 */
export function consistencyProofLength(size1: number, size2: number): number {
  const where = 'consistencyProofLength';
  assertSize(where, 'size1', size1);
  assertSize(where, 'size2', size2);
  if (size1 === 0 || size1 > size2) {
    throw new RangeError(`${where}: sizes expected 0 < size1 <= size2, got ${size1} and ${size2}`);
  }
  if (size1 === size2) return 0;
  const { seeded, inner, border } = consistencyShape(size1, size2);
  return (seeded ? 0 : 1) + inner + border;
}

/**
 * Verifies that the tree with `root2` and `size2` leaves extends the tree with `root1` and `size1`
 * leaves (RFC 9162 §2.1.4.2). Returns `false` for every invalid proof, with the policy of the
 * transparency-dev vectors: size1 = 0 is rejected (a proof from the empty tree means nothing), size1 >
 * size2 is rejected, equal sizes need an empty proof and byte-equal roots, every other hash must be exactly
 * `hasher.outputLen` bytes, and the proof must have exactly the expected number of hashes (checked
 * before hashing).
 * @throws TypeError when an argument is not bytes / not an integer; RangeError for a negative or unsafe
 *   size. Bad proof bytes never throw.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: ProofInput,
  root1: Uint8Array,
  root2: Uint8Array,
  options?: MerkleOptions,
): boolean {
  const where = 'verifyConsistency';
  const exact1 = claimedSize(where, 'size1', size1);
  const exact2 = claimedSize(where, 'size2', size2);
  assertBytes(where, 'root1', root1);
  assertBytes(where, 'root2', root2);
  const th = sharedTreeHasher(where, options);
  const s = th.size;
  if (!exact1 || !exact2) {
    if (!(proof instanceof Uint8Array)) flattenProof(where, proof, -1, s);
    return false;
  }
  if (size1 !== 0 && size1 === size2) {
    // Same tree: nothing to hash, so (as in transparency-dev/merkle) the roots are compared as given.
    return (
      flattenProof(where, proof, 0, s) !== null &&
      root1.length === root2.length &&
      equalAt(root1, 0, root2, 0, root1.length)
    );
  }
  if (size1 === 0 || size1 > size2 || root1.length !== s || root2.length !== s) {
    if (!(proof instanceof Uint8Array)) flattenProof(where, proof, -1, s);
    return false;
  }
  const { seeded, inner, border, shift } = consistencyShape(size1, size2);
  const start = seeded ? 0 : 1;
  const flat = flattenProof(where, proof, start + inner + border, s);
  if (flat === null) return false;
  // The seed is the old tree's last complete subtree: root1 itself when size1 is a power of two.
  const seedSrc = seeded ? root1 : flat;
  const mask = shr(size1 - 1, shift);
  const h1 = seedSrc.slice(0, s);
  const h2 = seedSrc.slice(0, s);
  let at = start * s;
  for (let i = 0; i < inner; i++, at += s) {
    if (bit(mask, i) === 1) {
      th.nodeInto(flat, at, h1, 0, h1, 0);
      th.nodeInto(flat, at, h2, 0, h2, 0);
    } else {
      // Right siblings exist only in the new tree.
      th.nodeInto(h2, 0, flat, at, h2, 0);
    }
  }
  for (let i = 0; i < border; i++, at += s) {
    th.nodeInto(flat, at, h1, 0, h1, 0);
    th.nodeInto(flat, at, h2, 0, h2, 0);
  }
  return equalAt(h1, 0, root1, 0, s) && equalAt(h2, 0, root2, 0, s);
}
