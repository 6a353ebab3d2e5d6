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

  it('gives the same verdicts for proofs at unaligned offsets and as arrays (byte paths) as for aligned ones', () => {
    const n = 300;
    const tree = MerkleTree.fromLeaves(leavesOf(n));
    const root = tree.root();
    const r = new Prng(4);
    const views = [
      new InclusionVerifier(root, n),
      new InclusionVerifier(root, n),
      new InclusionVerifier(root, n),
    ];
    for (let k = 0; k < 600; k++) {
      const i = r.below(n);
      const proof = tree.inclusionProof(i).slice();
      const tamper = r.below(3) === 0 && proof.length > 0;
      if (tamper) proof[r.below(proof.length)]! ^= 1 << r.below(8);
      const leaf = tree.leafHash(i);
      // The same proof bytes 1 byte into a buffer (no 4-byte alignment), and the same leaf unaligned.
      const shifted = new Uint8Array(proof.length + 1).subarray(1);
      shifted.set(proof);
      const leafShifted = new Uint8Array(33).subarray(1);
      leafShifted.set(leaf);
      const items = Array.from({ length: proof.length / 32 }, (_, j) => proof.subarray(32 * j, 32 * j + 32));
      const want = verifyInclusion(leaf, i, n, proof, root);
      expect(want).toBe(!tamper);
      expect(views[0]!.verify(leaf, i, proof)).toBe(want);
      expect(views[1]!.verify(leafShifted, i, shifted)).toBe(want);
      expect(views[2]!.verify(leaf, i, items)).toBe(want);
    }
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
