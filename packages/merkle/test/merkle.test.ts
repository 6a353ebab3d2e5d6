import { toHex } from '@syncwire/bytes';
import {
  consistencyProofLength,
  hashLeaf,
  inclusionProofLength,
  MerkleAppender,
  MerkleTree,
  merkleRoot,
  merkleRootOfChunks,
  verifyConsistency,
  verifyInclusion,
} from '@syncwire/merkle';
import { nodeSha256Hasher } from '@syncwire/merkle/node';
import { Prng } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flat, mth, path, proof } from './reference.ts';

const leavesOf = (n: number, seed = n): Uint8Array[] => {
  const r = new Prng(seed);
  return Array.from({ length: n }, () => r.bytes(r.below(40)));
};

describe('tree hash', () => {
  it('matches the naive RFC 9162 definition for every size 0..70', () => {
    const leaves = leavesOf(70);
    const tree = MerkleTree.fromLeaves(leaves);
    const app = new MerkleAppender();
    for (let n = 0; n <= 70; n++) {
      const want = toHex(mth(leaves.slice(0, n)));
      expect(toHex(merkleRoot(leaves.slice(0, n)))).toBe(want);
      expect(toHex(MerkleTree.fromLeaves(leaves.slice(0, n)).root())).toBe(want);
      expect(toHex(tree.rootAt(n))).toBe(want);
      expect(toHex(app.root())).toBe(want);
      expect(app.frontierLength).toBe(n.toString(2).replace(/0/g, '').length);
      if (n < 70) app.append(leaves[n]!);
    }
  });

  it('builds the same tree from leaves, chunks and leaf hashes, with either hasher', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 41, max: 300 })),
        fc.integer({ min: 0, max: 3 }),
        (bytes, chunk, shift) => {
          // Chunked builds copy whole words when the data is 4-byte aligned and the chunk size a multiple
          // of 4, bytes otherwise: start the data 0..3 bytes into its buffer to exercise both.
          const data = new Uint8Array(bytes.length + shift).subarray(shift);
          data.set(bytes);
          const leaves: Uint8Array[] = [];
          for (let at = 0; at < data.length; at += chunk) leaves.push(data.subarray(at, at + chunk));
          const want = toHex(mth(leaves));
          expect(toHex(merkleRootOfChunks(data, chunk))).toBe(want);
          expect(toHex(merkleRootOfChunks(data, chunk, { hasher: nodeSha256Hasher }))).toBe(want);
          const tree = MerkleTree.fromChunks(data, chunk);
          expect(toHex(tree.root())).toBe(want);
          expect(toHex(MerkleTree.fromLeafHashes(tree.leafHashes()).root())).toBe(want);
          expect(toHex(MerkleTree.fromLeaves(leaves, { hasher: nodeSha256Hasher }).root())).toBe(want);
          const app = new MerkleAppender({ hasher: nodeSha256Hasher });
          for (let i = 0; i < tree.size; i++) app.appendHash(tree.leafHash(i));
          expect(toHex(app.root())).toBe(want);
        },
      ),
    );
  });

  it('is not fooled by leaf/node confusion (domain separation)', () => {
    const [a, b] = leavesOf(2);
    const root = merkleRoot([a!, b!]);
    // A 64-byte leaf equal to the two leaf hashes concatenated must not give the same root.
    const forged = new Uint8Array(64);
    forged.set(hashLeaf(a!), 0);
    forged.set(hashLeaf(b!), 32);
    expect(toHex(merkleRoot([forged]))).not.toBe(toHex(root));
  });
});

describe('inclusion proofs', () => {
  it('equal the naive PATH(m, D[n]) for every m < n ≤ 40 (whole tree and earlier sizes)', () => {
    const leaves = leavesOf(40);
    const tree = MerkleTree.fromLeaves(leaves);
    for (let n = 1; n <= 40; n++) {
      const d = leaves.slice(0, n);
      const root = tree.rootAt(n);
      for (let m = 0; m < n; m++) {
        const p = tree.inclusionProof(m, n);
        expect(toHex(p)).toBe(toHex(flat(path(m, d))));
        expect(p.length / 32).toBe(inclusionProofLength(m, n));
        expect(verifyInclusion(tree.leafHash(m), m, n, p, root)).toBe(true);
      }
    }
  });

  it('verify iff the leaf is at that index of that tree', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 300 }),
        (n, i0, j0, claimedSize) => {
          const leaves = leavesOf(n, n * 7919 + 1).map((l, i) => Uint8Array.of(i & 255, i >> 8, ...l));
          const tree = MerkleTree.fromLeaves(leaves);
          const i = i0 % n;
          const j = j0 % n;
          const p = tree.inclusionProof(i);
          // The proof for index i verifies leaf j iff j is i (leaves are distinct).
          expect(verifyInclusion(hashLeaf(leaves[j]!), i, n, p, tree.root())).toBe(i === j);
          // A tree is its root and its size: another tree of another size (same leaves plus more) never verifies.
          if (claimedSize > n) {
            const bigger = MerkleTree.fromLeaves([...leaves, ...leavesOf(claimedSize - n, 3)]);
            expect(verifyInclusion(tree.leafHash(i), i, claimedSize, p, bigger.root())).toBe(false);
          }
          // Claiming another index never verifies.
          expect(verifyInclusion(tree.leafHash(i), j, n, p, tree.root())).toBe(i === j);
        },
      ),
    );
  });

  it('fail for every single-bit change of the leaf hash, a proof byte or the root', () => {
    const tree = MerkleTree.fromLeaves(leavesOf(21));
    const root = tree.root();
    for (const i of [0, 5, 16, 20]) {
      const leaf = tree.leafHash(i).slice();
      const p = tree.inclusionProof(i);
      for (const target of [leaf, p, root]) {
        for (let bit = 0; bit < target.length * 8; bit++) {
          target[bit >> 3]! ^= 1 << (bit & 7);
          expect(verifyInclusion(leaf, i, 21, p, root)).toBe(false);
          target[bit >> 3]! ^= 1 << (bit & 7);
        }
      }
      expect(verifyInclusion(leaf, i, 21, p, root)).toBe(true);
    }
  });
});

describe('consistency proofs', () => {
  it('equal the naive PROOF(m, D[n]) and verify for every 0 < m ≤ n ≤ 40', () => {
    const leaves = leavesOf(40);
    const tree = MerkleTree.fromLeaves(leaves);
    for (let n = 1; n <= 40; n++) {
      const d = leaves.slice(0, n);
      for (let m = 1; m <= n; m++) {
        const p = tree.consistencyProof(m, n);
        expect(toHex(p)).toBe(toHex(flat(proof(m, d))));
        expect(p.length / 32).toBe(consistencyProofLength(m, n));
        expect(verifyConsistency(m, n, p, tree.rootAt(m), tree.rootAt(n))).toBe(true);
      }
    }
  });

  it('fail for every (m, n) when either tree is altered or a proof bit flips', () => {
    const leaves = leavesOf(24);
    const tree = MerkleTree.fromLeaves(leaves);
    // altered[j] = the same leaves with leaf j changed (built once, reused for every (m, n)).
    const altered = leaves.map((_, j) => {
      const changed = leaves.slice();
      changed[j] = Uint8Array.of(...leaves[j]!, 0xaa);
      return MerkleTree.fromLeaves(changed);
    });
    for (let n = 1; n <= 24; n++) {
      for (let m = 1; m <= n; m++) {
        const p = tree.consistencyProof(m, n);
        const r1 = tree.rootAt(m);
        const r2 = tree.rootAt(n);
        // Alter the old tree (a leaf inside it): both roots change, each alone fails.
        const alt = altered[(m * 31 + n) % m]!;
        expect(verifyConsistency(m, n, p, alt.rootAt(m), r2)).toBe(false);
        expect(verifyConsistency(m, n, p, r1, alt.rootAt(n))).toBe(false);
        if (m < n) {
          // Same old tree, a new tree that differs after it.
          const after = altered[m + ((m * 7 + n) % (n - m))]!;
          expect(verifyConsistency(m, n, p, r1, after.rootAt(n))).toBe(false);
          for (let bit = (m + n) % 37; bit < p.length * 8; bit += 37) {
            p[bit >> 3]! ^= 1 << (bit & 7);
            expect(verifyConsistency(m, n, p, r1, r2)).toBe(false);
            p[bit >> 3]! ^= 1 << (bit & 7);
          }
          // Wrong sizes.
          expect(verifyConsistency(m, n, p, r2, r1)).toBe(false);
          if (m > 1) expect(verifyConsistency(m - 1, n, p, r1, r2)).toBe(false);
        }
        expect(verifyConsistency(m, n, p, r1, r2)).toBe(true);
      }
    }
  });
});
