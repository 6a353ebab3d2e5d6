import { CodecError, isCodecError } from '@syncwire/bytes';
import {
  MerkleTree,
  rangeProofLength,
  StreamVerifier,
  streamProofLength,
  verifyRange,
} from '@syncwire/merkle';
import { nodeSha256Hasher } from '@syncwire/merkle/node';
import { Prng } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const leavesOf = (n: number, seed = n): Uint8Array[] => {
  const r = new Prng(seed);
  return Array.from({ length: n }, (_, i) => Uint8Array.of(i & 255, i >> 8, ...r.bytes(r.below(24))));
};

describe('range proofs', () => {
  it('verify every range [a, b) of every tree size ≤ 20 (and earlier sizes of a larger tree)', () => {
    const big = MerkleTree.fromLeaves(leavesOf(20));
    for (let n = 1; n <= 20; n++) {
      const tree = MerkleTree.fromLeaves(leavesOf(20).slice(0, n));
      const root = tree.root();
      for (let a = 0; a < n; a++) {
        for (let b = a + 1; b <= n; b++) {
          const p = tree.rangeProof(a, b);
          expect(p.length / 32).toBe(rangeProofLength(a, b, n));
          expect(p.length / 32).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)));
          const hashes = tree.leafHashes().subarray(a * 32, b * 32);
          expect(verifyRange(hashes, a, n, p, root)).toBe(true);
          expect(big.rangeProof(a, b, n)).toEqual(p);
          // The same hashes claimed at another offset, or with a leaf dropped, fail.
          if (a > 0) expect(verifyRange(hashes, a - 1, n, p, root)).toBe(false);
          if (b < n) expect(verifyRange(hashes, a + 1, n, p, root)).toBe(false);
          if (b - a > 1) expect(verifyRange(hashes.subarray(32), a + 1, n, p, root)).toBe(false);
        }
      }
    }
  });

  it('fail for any single-bit change in a leaf hash, a proof byte or the root', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.nat(), fc.nat(), fc.nat(), (n, x, y, bit) => {
        const tree = MerkleTree.fromLeaves(leavesOf(n));
        const a = x % n;
        const b = a + 1 + (y % (n - a));
        const p = tree.rangeProof(a, b);
        const hashes = tree.leafHashes().slice(a * 32, b * 32);
        const root = tree.root();
        expect(verifyRange(hashes, a, n, p, root, { hasher: nodeSha256Hasher })).toBe(true);
        const targets = [hashes, root, ...(p.length > 0 ? [p] : [])];
        const t = targets[bit % targets.length]!;
        const at = (bit >> 2) % (t.length * 8);
        t[at >> 3]! ^= 1 << (at & 7);
        expect(verifyRange(hashes, a, n, p, root)).toBe(false);
      }),
    );
  });
});

describe('streaming verifier', () => {
  it('accepts a whole tree leaf by leaf with n - 1 proof hashes in total and O(log n) state', () => {
    for (const n of [1, 2, 3, 5, 8, 13, 64, 100, 257]) {
      const leaves = leavesOf(n);
      const tree = MerkleTree.fromLeaves(leaves);
      const v = new StreamVerifier(tree.root(), n);
      let hashes = 0;
      for (let i = 0; i < n; i++) {
        const p = tree.streamProof(i);
        expect(p.length / 32).toBe(v.nextProofLength());
        expect(p.length / 32).toBe(streamProofLength(i, n));
        hashes += p.length / 32;
        v.push(leaves[i]!, p);
        expect(v.pendingLength).toBeLessThanOrEqual(Math.ceil(Math.log2(n)) + 1);
      }
      expect(v.done).toBe(true);
      v.finish();
      expect(hashes).toBe(n - 1);
      expect(() => v.push(leaves[0]!, new Uint8Array(0))).toThrow(CodecError);
    }
  });

  it('rejects any single-bit change in any leaf or proof byte at once, and accepts the true leaf after', () => {
    const n = 11;
    const leaves = leavesOf(n, 99);
    const tree = MerkleTree.fromLeaves(leaves);
    for (let i = 0; i < n; i++) {
      for (const part of ['leaf', 'proof'] as const) {
        const len = part === 'leaf' ? leaves[i]!.length : tree.streamProof(i).length;
        for (let bit = 0; bit < len * 8; bit++) {
          const v = new StreamVerifier(tree.root(), n);
          for (let j = 0; j < i; j++) v.push(leaves[j]!, tree.streamProof(j));
          const leaf = leaves[i]!.slice();
          const p = tree.streamProof(i);
          (part === 'leaf' ? leaf : p)[bit >> 3]! ^= 1 << (bit & 7);
          let err: unknown;
          try {
            v.push(leaf, p);
          } catch (e) {
            err = e;
          }
          expect(isCodecError(err, 'checksum_mismatch'), `leaf ${i} ${part} bit ${bit}`).toBe(true);
          expect(v.received).toBe(i);
          // Nothing after it is accepted, even when genuine…
          if (i + 1 < n) expect(() => v.push(leaves[i + 1]!, tree.streamProof(i + 1))).toThrow(CodecError);
          // …but the true leaf still is.
          v.push(leaves[i]!, tree.streamProof(i));
          expect(v.received).toBe(i + 1);
        }
      }
    }
  });

  it('rejects wrong proof lengths, missing leaves and a wrong empty root with CodecError', () => {
    const leaves = leavesOf(6);
    const tree = MerkleTree.fromLeaves(leaves);
    const v = new StreamVerifier(tree.root(), 6);
    const p = tree.streamProof(0);
    expect(() => v.push(leaves[0]!, p.subarray(32))).toThrow(/exactly 3 hashes/);
    expect(() => v.push(leaves[0]!, new Uint8Array(p.length + 32))).toThrow(CodecError);
    v.pushLeafHash(tree.leafHash(0), [p.subarray(0, 32), p.subarray(32, 64), p.subarray(64)]);
    expect(() => v.finish()).toThrow(/received 1 of 6/);
    expect(() => new StreamVerifier(tree.root(), 0)).toThrow(CodecError);
    new StreamVerifier(MerkleTree.fromLeaves([]).root(), 0).finish();
  });

  it('chunking: leaf hashes or leaves, either hasher, give the same verdicts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), (n) => {
        const leaves = leavesOf(n);
        const tree = MerkleTree.fromLeaves(leaves, { hasher: nodeSha256Hasher });
        const v = new StreamVerifier(tree.root(), n, { hasher: nodeSha256Hasher });
        for (let i = 0; i < n; i++) {
          if (i % 2) v.push(leaves[i]!, tree.streamProof(i));
          else v.pushLeafHash(tree.leafHash(i), tree.streamProof(i));
        }
        v.finish();
      }),
      { numRuns: 30 },
    );
  });
});
