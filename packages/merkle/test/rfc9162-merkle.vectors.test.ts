import { fromHex, toHex } from '@syncwire/bytes';
import {
  emptyRoot,
  hashLeaf,
  hashNode,
  type MerkleOptions,
  MerkleTree,
  merkleRoot,
  verifyConsistency,
  verifyInclusion,
} from '@syncwire/merkle';
import { nodeSha256Hasher } from '@syncwire/merkle/node';
import { loadVectors } from '@syncwire/testkit';
import { describe, expect, it } from 'vitest';

interface Vectors {
  leavesHex: string[];
  hashPrimitives: { kind: string; inputHex?: string; leftHex?: string; rightHex?: string; expect: string }[];
  roots: { treeSize: number; root: string }[];
  inclusion: {
    leafIndex: number;
    treeSize: number;
    leafHash: string;
    root: string;
    proof: string[];
    valid: boolean;
  }[];
  consistency: {
    size1: number;
    size2: number;
    root1: string;
    root2: string;
    proof: string[];
    valid: boolean;
  }[];
  upstreamCases: ({
    type: 'inclusion' | 'consistency';
    desc: string;
    valid: boolean;
    proof: string[];
  } & Record<string, unknown>)[];
}

const v = loadVectors<Vectors>(import.meta.url, 'rfc6962.json');
const leaves = v.leavesHex.map(fromHex);
const hashers: [string, MerkleOptions | undefined][] = [
  ['noble (default)', undefined],
  ['node:crypto', { hasher: nodeSha256Hasher }],
];

describe.each(hashers)('RFC 6962 / 9162 vectors with %s', (_name, opts) => {
  it('hash primitives', () => {
    for (const p of v.hashPrimitives) {
      let got: Uint8Array;
      if (p.kind === 'emptyRoot') got = emptyRoot(opts);
      else if (p.kind === 'leaf') got = hashLeaf(fromHex(p.inputHex!), opts);
      else got = hashNode(fromHex(p.leftHex!), fromHex(p.rightHex!), opts);
      expect(toHex(got)).toBe(p.expect);
    }
  });

  it('roots of the first n standard leaves (one-shot, tree, and every earlier size)', () => {
    const tree = MerkleTree.fromLeaves(leaves, opts);
    for (const r of v.roots) {
      expect(toHex(merkleRoot(leaves.slice(0, r.treeSize), opts))).toBe(r.root);
      expect(toHex(tree.rootAt(r.treeSize))).toBe(r.root);
      expect(toHex(MerkleTree.fromLeaves(leaves.slice(0, r.treeSize), opts).root())).toBe(r.root);
    }
  });

  it('inclusion proofs: produced byte-for-byte and verified', () => {
    const tree = MerkleTree.fromLeaves(leaves, opts);
    for (const c of v.inclusion) {
      const proof = tree.inclusionProof(c.leafIndex, c.treeSize);
      expect(toHex(proof)).toBe(c.proof.join(''));
      expect(toHex(tree.leafHash(c.leafIndex))).toBe(c.leafHash);
      expect(
        verifyInclusion(
          fromHex(c.leafHash),
          c.leafIndex,
          c.treeSize,
          c.proof.map(fromHex),
          fromHex(c.root),
          opts,
        ),
      ).toBe(c.valid);
    }
  });

  it('consistency proofs: produced byte-for-byte and verified', () => {
    const tree = MerkleTree.fromLeaves(leaves, opts);
    for (const c of v.consistency) {
      expect(toHex(tree.consistencyProof(c.size1, c.size2))).toBe(c.proof.join(''));
      expect(
        verifyConsistency(c.size1, c.size2, c.proof.map(fromHex), fromHex(c.root1), fromHex(c.root2), opts),
      ).toBe(c.valid);
    }
  });

  it(`all ${v.upstreamCases.length} transparency-dev cases (valid and corrupted) get the expected verdict without throwing`, () => {
    let invalid = 0;
    for (const c of v.upstreamCases) {
      const proof = c.proof.map(fromHex);
      const run = (): boolean =>
        c.type === 'inclusion'
          ? verifyInclusion(
              fromHex(c.leafHash as string),
              c.leafIndex as number,
              c.treeSize as number,
              proof,
              fromHex(c.root as string),
              opts,
            )
          : verifyConsistency(
              c.size1 as number,
              c.size2 as number,
              proof,
              fromHex(c.root1 as string),
              fromHex(c.root2 as string),
              opts,
            );
      let verdict: boolean | undefined;
      expect(() => {
        verdict = run();
      }, `${c.type} ${c.desc}`).not.toThrow();
      expect(verdict, `${c.type} ${c.desc}`).toBe(c.valid);

      if (!c.valid) invalid++;
    }
    expect(invalid).toBe(74);
  });
});
