import { InclusionVerifier, MerkleTree, verifyInclusion } from '@syncwire/merkle';
import { Prng } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const leavesOf = (n: number): Uint8Array[] => {
  const r = new Prng(n);
  return Array.from({ length: n }, (_, i) => Uint8Array.of(i & 255, i >> 8, ...r.bytes(r.below(8))));
};

describe('InclusionVerifier (remembers verified nodes)', () => {
  it('gives the same verdict as verifyInclusion on any sequence of genuine and tampered proofs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 150 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 4 }), fc.nat()), { maxLength: 120 }),
        fc.integer({ min: 0, max: 200 }),
        (n, ops, maxCachedNodes) => {
          const tree = MerkleTree.fromLeaves(leavesOf(n));
          const root = tree.root();
          const v = new InclusionVerifier(root, n, { maxCachedNodes });
          for (const [i0, j0, kind, bit] of ops) {
            const i = i0 % n;
            let leaf = tree.leafHash(i).slice();
            let index = i;
            const proof = tree.inclusionProof(i);
            if (kind === 1 && proof.length > 0) proof[bit % proof.length]! ^= 1 << (bit & 7);
            if (kind === 2) leaf[bit % 32]! ^= 1 << (bit & 7);
            if (kind === 3) index = j0 % n;
            if (kind === 4) leaf = tree.leafHash(j0 % n).slice();
            const want = verifyInclusion(leaf, index, n, proof, root);
            expect(v.verify(leaf, index, proof)).toBe(want);
          }
          expect(v.cachedNodes).toBeLessThanOrEqual(maxCachedNodes);
        },
      ),
    );
  });

  it('rejects every single-bit change after the whole tree is remembered', () => {
    const n = 37;
    const tree = MerkleTree.fromLeaves(leavesOf(n));
    const v = new InclusionVerifier(tree.root(), n);
    for (let i = 0; i < n; i++) expect(v.verify(tree.leafHash(i), i, tree.inclusionProof(i))).toBe(true);
    for (let i = 0; i < n; i += 3) {
      const leaf = tree.leafHash(i).slice();
      const proof = tree.inclusionProof(i);
      for (const t of [leaf, proof]) {
        for (let bit = 0; bit < t.length * 8; bit++) {
          t[bit >> 3]! ^= 1 << (bit & 7);
          expect(v.verify(leaf, i, proof)).toBe(false);
          t[bit >> 3]! ^= 1 << (bit & 7);
        }
      }
      expect(v.verify(leaf, i, proof)).toBe(true);
    }
  });
});
