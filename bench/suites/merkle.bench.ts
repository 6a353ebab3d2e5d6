import { hash as nodeHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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
import { lazy } from './fixtures.ts';

// Issue 7's speed targets, measured with each hasher in the same run:
// - root of 1 M leaves of 32 bytes (`--full`; quick mode: 16 Ki leaves) vs merkletreejs given the same
//   SHA-256 (hashLeaves: true, so both do n leaf + n - 1 node hashes; merkletreejs is NOT RFC 6962: it
//   has no 0x00/0x01 domain separation, so its root differs) and vs the bare 2n - 1 SHA-256 calls on
//   33- and 65-byte inputs that an RFC 9162 root needs, through the same hasher;
// - 10 k inclusion proofs (2 k in quick mode) produced and verified against the same tree, vs merkletreejs getProof + verify.
// The floors are judged on `--full` (1 M leaves): there one merkletreejs root takes 4-8 s, too slow
// for the quick run. Quick mode runs the default (noble) hasher only, with 2 k proofs per call.
//
// Fairness on a shared heap: the impls of a case run one after another in one process, so whatever
// garbage one leaves (merkletreejs allocates ~1 GB per 1 M-leaf tree) would be collected during the
// next one's samples. So every impl's first call (the harness's untimed warm-up) starts with a full
// collection, and the big fixtures (the trees the proof cases query) are held one per library at a
// time, so one hasher's trees do not stay alive, making every collection slower, during the other
// hasher's cases.

interface Flavour {
  label: string;
  hasher: Hasher;
  /** The hash as merkletreejs wants it: Buffer in, Buffer out. */
  forJs: (data: Buffer) => Buffer;
}

const allFlavours: Flavour[] = [
  {
    label: 'noble',
    hasher: sha256Hasher,
    forJs: (d) => {
      const h = sha256(d);
      return Buffer.from(h.buffer, h.byteOffset, h.byteLength);
    },
  },
  {
    label: 'node-crypto',
    hasher: nodeSha256Hasher,
    forJs: (d) => nodeHash('sha256', d, 'buffer'),
  },
];

// `gc` without `--expose-gc` on the command line: a context made after setting the flag has it.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * `impl`, but its first call (the harness's untimed warm-up) first runs `before` (which drops fixtures
 * other cases left) and collects the garbage that earlier impls left.
 */
function afterGc(impl: () => unknown, before: () => void): () => unknown {
  let first = true;
  return () => {
    if (first) {
      first = false;
      before();
      collectGarbage();
    }
    return impl();
  };
}

function withGc(impls: CaseSpec['impls'], before: (impl: string) => void): CaseSpec['impls'] {
  return Object.fromEntries(
    Object.entries(impls).map(([name, fn]) => [name, afterGc(fn, () => before(name))]),
  );
}

/**
 * Like `lazy`, but the values made through one holder share a slot: making one drops the last, and
 * `keepOnly(prefix)` drops the held value unless its key starts with `prefix`.
 */
function heldOneAtATime() {
  let held: { key: string; value: unknown } | undefined;
  return {
    lazy:
      <T>(key: string, make: () => T) =>
      (): T => {
        if (held?.key !== key) {
          held = undefined; // let the old value go before making the new one
          held = { key, value: make() };
        }
        return held.value as T;
      },
    keepOnly(prefix: string): void {
      if (held !== undefined && !held.key.startsWith(prefix)) held = undefined;
    },
  };
}

const suite: Suite = ({ full }) => {
  const n = full ? 1_000_000 : 16_384;
  const fixture = full ? '1M-leaves-32B' : '16Ki-leaves-32B';
  const PROOFS = full ? 10_000 : 2_000;
  const flavours = full ? allFlavours : allFlavours.filter((f) => f.label === 'noble');
  // Built on first use, so other suites' runs do not pay for them.
  const data = lazy(() => randomBytes(n * 32, 0x6d65726b));
  // One slot per library, so that a case's impls never evict each other's trees. merkletreejs's
  // fixtures (a Buffer object per leaf and per node) live only while its own impls run: a heap with
  // millions of live objects makes every major collection slow, and node:crypto's one Buffer per hash
  // triggers many (measured: the bare node:crypto loop took ~5x the CPU time beside them).
  const holdOurs = heldOneAtATime();
  const holdJs = heldOneAtATime();
  const holdJsLeaves = heldOneAtATime();
  const jsLeaves = holdJsLeaves.lazy('leaves/', () => {
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
    // Before each impl of this flavour's cases: drop the other flavour's trees, and merkletreejs's
    // fixtures unless the impl is merkletreejs.
    const dropOthers = (impl: string): void => {
      holdOurs.keepOnly(`${f.label}/`);
      const js = impl.startsWith('merkletreejs');
      holdJs.keepOnly(js ? `${f.label}/` : '-');
      holdJsLeaves.keepOnly(js ? 'leaves/' : '-');
    };
    cases.push({
      name: `merkle/root/${fixture}/${f.label}`,
      opsPerCall: n,
      bytesPerOp: 32,
      impls: withGc(
        {
          [`bare ${n} + ${n - 1} sha256 calls (same hasher)`]: () => {
            for (let i = 0; i < n; i++) f.hasher.hashInto(in33, out, 0);
            for (let i = 1; i < n; i++) f.hasher.hashInto(in65, out, 0);
          },
          syncwire: () => merkleRootOfChunks(data(), 32, opts),
          'merkletreejs (same sha256; not RFC 6962)': () =>
            new MerkleTreeJs(jsLeaves(), f.forJs, { hashLeaves: true }).getRoot(),
        },
        dropOthers,
      ),
    });
    const tree = holdOurs.lazy(`${f.label}/`, () => MerkleTree.fromChunks(data(), 32, opts));
    const jsTree = holdJs.lazy(
      `${f.label}/`,
      () => new MerkleTreeJs(jsLeaves(), f.forJs, { hashLeaves: true }),
    );
    cases.push({
      name: `merkle/inclusion-prove+verify/${fixture}/${f.label}`,
      opsPerCall: PROOFS,
      impls: withGc(
        {
          // A fresh InclusionVerifier per batch of proofs: it remembers the nodes verified within the batch.
          syncwire: () => {
            const t = tree();
            const v = new InclusionVerifier(t.root(), n, opts);
            for (const i of indices()) {
              if (!v.verify(t.leafHash(i), i, t.inclusionProof(i))) throw new Error('bench: bad proof');
            }
          },
          // The stateless verifier (no memory between proofs): --full only.
          ...(full
            ? {
                'syncwire stateless verifyInclusion': () => {
                  const t = tree();
                  const root = t.root();
                  for (const i of indices()) {
                    if (!verifyInclusion(t.leafHash(i), i, n, t.inclusionProof(i), root, opts))
                      throw new Error('bench: bad proof');
                  }
                },
              }
            : {}),
          'merkletreejs (same sha256; not RFC 6962)': () => {
            const t = jsTree();
            const root = t.getRoot();
            for (const i of indices()) {
              const leaf = t.getLeaf(i);
              if (!t.verify(t.getProof(leaf, i), leaf, root))
                throw new Error('bench: bad merkletreejs proof');
            }
          },
        },
        dropOthers,
      ),
    });
  }
  return cases;
};

export default suite;
