import {
  hashLeaf,
  InclusionVerifier,
  MerkleAppender,
  MerkleTree,
  merkleRoot,
  StreamVerifier,
  verifyConsistency,
  verifyInclusion,
  verifyRange,
} from '@syncwire/merkle';
import { notBytes, notUint } from '@syncwire/testkit';
import { describe, expect, it } from 'vitest';

const tree = MerkleTree.fromLeaves([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]);
const root = tree.root();
const leaf = tree.leafHash(0);
const proof = tree.inclusionProof(0);

describe('caller mistakes throw TypeError/RangeError with the function and argument named', () => {
  it.each(notBytes)('bytes arguments reject %s', (_name, bad) => {
    const b = bad as Uint8Array;
    expect(() => hashLeaf(b)).toThrow(/hashLeaf: leaf expected a Uint8Array/);
    expect(() => verifyInclusion(b, 0, 3, proof, root)).toThrow(TypeError);
    expect(() => verifyInclusion(leaf, 0, 3, proof, b)).toThrow(TypeError);
    expect(() => verifyConsistency(1, 3, [], b, root)).toThrow(TypeError);
    expect(() => verifyRange([leaf], 0, 3, [b], root)).toThrow(TypeError);
    expect(() => new StreamVerifier(b, 3)).toThrow(TypeError);
    expect(() => new MerkleAppender().append(b)).toThrow(TypeError);
    expect(() => merkleRoot([b])).toThrow(/merkleRoot: leaves\[0\] expected a Uint8Array/);
    if (bad !== undefined && !Array.isArray(bad))
      expect(() => verifyInclusion(leaf, 0, 3, b, root)).toThrow(TypeError);
  });

  it.each(notUint)('integer arguments reject %s', (_name, bad) => {
    const n = bad as number;
    // (Verifiers read an integer above 2^53 - 1 as an unverifiable claim: false, tested below.)
    if (n !== 2 ** 53) {
      expect(() => verifyInclusion(leaf, n, 3, proof, root)).toThrow(
        /verifyInclusion: index expected a non-negative safe integer/,
      );
      expect(() => verifyConsistency(n, 3, [], root, root)).toThrow(/size1/);
    }
    expect(() => new StreamVerifier(root, n)).toThrow(/treeSize/);
    expect(() => tree.inclusionProof(n)).toThrow(/MerkleTree.inclusionProof/);
    expect(() => new InclusionVerifier(root, n)).toThrow(/treeSize/);
  });

  it('out-of-tree requests are RangeErrors for producers, plain false for verifiers', () => {
    expect(() => tree.inclusionProof(3)).toThrow(RangeError);
    expect(() => tree.consistencyProof(0)).toThrow(RangeError);
    expect(() => tree.consistencyProof(2, 4)).toThrow(RangeError);
    expect(() => tree.rangeProof(2, 2)).toThrow(RangeError);
    expect(() => tree.rootAt(4)).toThrow(RangeError);
    expect(() => MerkleTree.fromLeaves([]).inclusionProof(0)).toThrow(RangeError);
    expect(verifyInclusion(leaf, 3, 3, proof, root)).toBe(false);
    expect(verifyRange([leaf], 3, 3, [], root)).toBe(false);
    expect(verifyRange([], 0, 3, [], root)).toBe(false);
    expect(() => new MerkleAppender().appendHash(new Uint8Array(31))).toThrow(RangeError);
    expect(() => merkleRoot([], { hasher: { name: 'x', outputLen: 8, hashInto() {} } })).toThrow(RangeError);
    expect(() => merkleRoot([], { hasher: {} as never })).toThrow(TypeError);
  });
});

describe('claims beyond 2^53 - 1 (e.g. uint64 sizes from elsewhere) are invalid, not errors', () => {
  it.each([2 ** 53, 2 ** 64, Number.MAX_VALUE])('%s', (big) => {
    expect(verifyInclusion(leaf, big, 3, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, 0, big, proof, root)).toBe(false);
    expect(verifyConsistency(1, big, [], root, root)).toBe(false);
    expect(verifyConsistency(big, big, [], root, root)).toBe(false);
    expect(verifyRange([leaf], big, 3, [], root)).toBe(false);
    expect(new InclusionVerifier(root, 3).verify(leaf, big, proof)).toBe(false);
  });
});
