import { buildManifest, ManifestVerifier } from '@syncwire/blob';
import { chunk } from '@syncwire/fastcdc';
import { type Hasher, sha256Hasher } from '@syncwire/merkle';
import { nodeSha256Hasher } from '@syncwire/merkle/node';
import { randomBytes } from '@syncwire/testkit';
import type { CaseSpec, Suite } from '../src/registry.ts';
import { lazy } from './fixtures.ts';

// Issue 9 (blob part): building a manifest (FastCDC + one SHA-256 per chunk byte + a 36-byte leaf record and an
// O(log n) Merkle append per chunk) against the floor cost of hashing the same bytes once with the same hasher,
// and verifying a received blob (pages + every chunk) against the same floor. No npm library builds this
// manifest format, so the peers are the bare costs it is made of. 256 MiB with --full; quick mode hashes 16 MiB
// and runs the verify cases with --full only.

interface Flavour {
  label: string;
  hasher: Hasher;
}

const flavours: Flavour[] = [
  { label: 'noble', hasher: sha256Hasher },
  { label: 'node-crypto', hasher: nodeSha256Hasher },
];

const suite: Suite = ({ full }) => {
  const size = (full ? 256 : 16) << 20;
  const label = `random-${size >> 20}MiB`;
  // Built on first use, so runs of other suites do not pay for the fixtures.
  const bytes = lazy(() => randomBytes(size, 0x626c6f62));
  const digest = new Uint8Array(32);
  const cases: CaseSpec[] = [];
  for (const f of flavours) {
    const opts = { hasher: f.hasher };
    const bare = `bare sha256 of the same bytes (same hasher: ${f.hasher.name})`;
    const hashAll = () => f.hasher.hashInto(bytes(), digest, 0);
    cases.push({
      name: `blob/manifest-build/${label}/${f.label}`,
      bytesPerOp: size,
      impls: {
        syncwire: () => buildManifest(bytes(), opts).chunkCount,
        [bare]: hashAll,
        'bare fastcdc chunk() of the same bytes': () => chunk(bytes()).length,
      },
    });
    const built = lazy(() => {
      const m = buildManifest(bytes(), opts);
      return { m, pages: Array.from({ length: m.pageCount }, (_, p) => m.page(p)) };
    });
    cases.push({
      name: `blob/verify-pages+chunks/${label}/${f.label}`,
      fullOnly: true,
      bytesPerOp: size,
      impls: {
        syncwire: () => {
          const { m, pages } = built();
          const data = bytes();
          const v = ManifestVerifier.create(m.id, m.header, opts)!;
          for (const p of pages) if (!v.addPage(p)) throw new Error('bench: page failed');
          let at = 0;
          for (let i = 0; i < m.chunkCount; i++) {
            const len = m.chunkLength(i);
            if (!v.verifyChunk(i, data.subarray(at, at + len))) throw new Error('bench: chunk failed');
            at += len;
          }
        },
        [bare]: hashAll,
      },
    });
  }
  return cases;
};

export default suite;
