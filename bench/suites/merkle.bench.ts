import { hash as nodeHash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  type Hasher,
  InclusionVerifier,
  MerkleTree,
  merkleRootOfChunks,
  sha256Hasher,
  verifyInclusion,
} from '@syncwire/merkle';
import { nodeSha256Hasher } from '@syncwire/merkle/node';
import { randomBytes } from '@syncwire/testkit';
import { MerkleTree as MerkleTreeJs } from 'merkletreejs';
import type { CaseSpec, Suite } from '../src/registry.ts';

// Issue 7's speed targets, measured with each hasher in the same run:
// - root of 1 M leaves of 32 bytes (quick mode: 64 Ki leaves) vs merkletreejs given the same SHA-256
//   (hashLeaves: true, so both do n leaf + n - 1 node hashes; merkletreejs is NOT RFC 6962: it has no
//   0x00/0x01 domain separation, so its root differs) and vs the bare 2n - 1 SHA-256 calls on
//   33- and 65-byte inputs that an RFC 9162 root needs, through the same hasher;
// - 10 k inclusion proofs produced and verified against the same tree, vs merkletreejs getProof + verify.

const PROOFS = 10_000;

interface Flavour {
  label: string;
  hasher: Hasher;
  /** The hash as merkletreejs wants it: Buffer in, Buffer out. */
  forJs: (data: Buffer) => Buffer;
  /** The library's own one-shot call (allocates its output). */
  oneShot: (data: Uint8Array) => Uint8Array;
}

const flavours: Flavour[] = [
  {
    label: 'noble',
    hasher: sha256Hasher,
    forJs: (d) => {
      const h = sha256(d);
      return Buffer.from(h.buffer, h.byteOffset, h.byteLength);
    },
    oneShot: (d) => sha256(d),
  },
  {
    label: 'node-crypto',
    hasher: nodeSha256Hasher,
    forJs: (d) => nodeHash('sha256', d, 'buffer'),
    oneShot: (d) => nodeHash('sha256', d, 'buffer'),
  },
];

function lazy<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => {
    v ??= make();
    return v;
  };
}

const suite: Suite = ({ full }) => {
  const n = full ? 1_000_000 : 65_536;
  const fixture = full ? '1M-leaves-32B' : '64Ki-leaves-32B';
  // Built on first use, so other suites' runs do not pay for them.
  const data = lazy(() => randomBytes(n * 32, 0x6d65726b));
  const jsLeaves = lazy(() => {
    const d = data();
    return Array.from({ length: n }, (_, i) => Buffer.from(d.buffer, d.byteOffset + i * 32, 32));
  });
  const indices = lazy(() => {
    const out = new Uint32Array(PROOFS);
    const r = randomBytes(PROOFS * 4, 7);
    const v = new DataView(r.buffer);
    for (let i = 0; i < PROOFS; i++) out[i] = v.getUint32(i * 4, true) % n;
    return out;
  });
  const cases: CaseSpec[] = [];
  for (const f of flavours) {
    const opts = { hasher: f.hasher };
    const in33 = new Uint8Array(33);
    const in65 = new Uint8Array(65);
    const out = new Uint8Array(32);
    cases.push({
      name: `merkle/root/${fixture}/${f.label}`,
      opsPerCall: n,
      bytesPerOp: 32,
      impls: {
        syncwire: () => merkleRootOfChunks(data(), 32, opts),
        'merkletreejs (same sha256; not RFC 6962)': () =>
          new MerkleTreeJs(jsLeaves(), f.forJs, { hashLeaves: true }).getRoot(),
        [`bare ${n} + ${n - 1} sha256 calls (same hasher)`]: () => {
          for (let i = 0; i < n; i++) f.hasher.hashInto(in33, out, 0);
          for (let i = 1; i < n; i++) f.hasher.hashInto(in65, out, 0);
        },
        [`bare ${n} + ${n - 1} one-shot sha256() calls`]: () => {
          for (let i = 0; i < n; i++) f.oneShot(in33);
          for (let i = 1; i < n; i++) f.oneShot(in65);
        },
      },
    });
    const tree = lazy(() => MerkleTree.fromChunks(data(), 32, opts));
    const jsTree = lazy(() => new MerkleTreeJs(jsLeaves(), f.forJs, { hashLeaves: true }));
    cases.push({
      name: `merkle/inclusion-prove+verify/${fixture}/${f.label}`,
      opsPerCall: PROOFS,
      impls: {
        // A fresh InclusionVerifier per batch of 10 k: it remembers the nodes verified within the batch.
        syncwire: () => {
          const t = tree();
          const v = new InclusionVerifier(t.root(), n, opts);
          for (const i of indices()) {
            if (!v.verify(t.leafHash(i), i, t.inclusionProof(i))) throw new Error('bench: bad proof');
          }
        },
        'syncwire stateless verifyInclusion': () => {
          const t = tree();
          const root = t.root();
          for (const i of indices()) {
            if (!verifyInclusion(t.leafHash(i), i, n, t.inclusionProof(i), root, opts))
              throw new Error('bench: bad proof');
          }
        },
        'merkletreejs (same sha256; not RFC 6962)': () => {
          const t = jsTree();
          const root = t.getRoot();
          for (const i of indices()) {
            const leaf = t.getLeaf(i);
            if (!t.verify(t.getProof(leaf, i), leaf, root)) throw new Error('bench: bad merkletreejs proof');
          }
        },
      },
    });
  }
  return cases;
};

export default suite;
