import { buildManifest, type Manifest } from '@syncwire/blob';
import { type Hasher, sha256Hasher } from '@syncwire/merkle';
import { nodeSha256Hasher } from '@syncwire/merkle/node';
import { SyncSession } from '@syncwire/session';
import { Prng, randomBytes } from '@syncwire/testkit';
import { crc32c } from '@syncwire/tlv';
import type { CaseSpec, Suite } from '../src/registry.ts';
import { lazy } from './fixtures.ts';

// Issue 9 (session part), same run:
// - two in-memory sessions move a blob of random bytes (256 MiB with --full, 16 MiB quick) at >= 50 % of the
//   bare SHA-256 throughput of the same hasher (the receiver hashes every chunk: that is the floor cost);
// - a copy edited in 16 places (1 % of its bytes in all, inserts and overwrites) moves <= 3 % of its bytes to a
//   peer holding the original (chunks found locally by digest are not fetched). Quick mode edits its 16 MiB in
//   2 places (1 % in all), so each edit is about the size of one of the 256 MiB run's; 8 KiB chunks: --full only.
// The sender's manifest is built once outside the timed loop (a serving peer has it stored), and so are the
// chunks' CRC-32Cs (a serving peer stores one per chunk and passes it to respondChunk); a second case shows the
// cost without them.

/** Moves blob `m` from a serving session to a fetching one over a perfect in-memory link; returns wire bytes. */
function transfer(
  m: Manifest,
  bytes: Uint8Array,
  hasher: Hasher,
  local?: (digest: Uint8Array, length: number) => Uint8Array | undefined,
  crcs?: Uint32Array,
): { wire: number; chunkBytes: number } {
  const server = new SyncSession({ hasher });
  const client = new SyncSession({ hasher });
  client.want(m.id, local ? { local } : undefined);
  let wire = 0;
  let done = false;
  let stored = 0;
  for (let now = 0; !done; now++) {
    if (now > 10_000_000) throw new Error('bench: transfer did not finish');
    for (let f = server.pollTransmit(now); f; f = server.pollTransmit(now)) {
      wire += f.length;
      client.handleFrame(f, now);
    }
    for (let f = client.pollTransmit(now); f; f = client.pollTransmit(now)) {
      wire += f.length;
      server.handleFrame(f, now);
    }
    for (let e = server.pollEvent(); e; e = server.pollEvent()) {
      if (e.type === 'need-page') server.respondPage(e.reqId, m.header, m.page(e.pageIndex, e.pageBits));
      else if (e.type === 'need-chunk') {
        const chunk = bytes.subarray(m.chunkOffset(e.index), m.chunkOffset(e.index + 1));
        server.respondChunk(e.reqId, chunk, crcs ? { crc32c: crcs[e.index]! } : undefined);
      }
    }
    for (let e = client.pollEvent(); e; e = client.pollEvent()) {
      if (e.type === 'store-chunk') stored += e.bytes.length;
      else if (e.type === 'blob-complete') done = true;
      else if (e.type === 'blob-failed' || e.type === 'closed') throw new Error(`bench: ${e.type}`);
    }
  }
  if (stored !== m.byteLength) throw new Error('bench: stored bytes differ from the blob');
  return { wire, chunkBytes: client.stats.chunkBytesReceived };
}

/** `original` edited in `edits` places, 1 % of its bytes in all: alternately overwritten and inserted runs. */
function edit(original: Uint8Array, edits: number, seed: number): Uint8Array {
  const prng = new Prng(seed);
  const run = Math.floor((original.length * 0.01) / edits);
  const stride = Math.floor(original.length / edits);
  const parts: Uint8Array[] = [];
  let at = 0;
  for (let k = 0; k < edits; k++) {
    const pos = k * stride + prng.below(stride - run);
    parts.push(original.subarray(at, pos), prng.bytes(run));
    at = k % 2 === 0 ? pos + run : pos; // even: overwrite, odd: insert
  }
  parts.push(original.subarray(at));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const suite: Suite = ({ full }) => {
  const size = (full ? 256 : 16) << 20;
  const edits = full ? 16 : 2;
  const label = `random-${size >> 20}MiB`;
  const bytes = lazy(() => randomBytes(size, 0x73657373));
  const cases: CaseSpec[] = [];
  const digest = new Uint8Array(32);
  for (const [name, hasher] of [
    ['noble', sha256Hasher],
    ['node-crypto', nodeSha256Hasher],
  ] as const) {
    const manifest = lazy(() => buildManifest(bytes(), { hasher }));
    const crcs = lazy(() => {
      const m = manifest();
      const out = new Uint32Array(m.chunkCount);
      for (let i = 0; i < m.chunkCount; i++)
        out[i] = crc32c(bytes().subarray(m.chunkOffset(i), m.chunkOffset(i + 1)));
      return out;
    });
    cases.push({
      name: `session/transfer/${label}/${name}`,
      bytesPerOp: size,
      impls: {
        syncwire: () => transfer(manifest(), bytes(), hasher, undefined, crcs()).wire,
        'syncwire (no stored chunk CRCs)': () => transfer(manifest(), bytes(), hasher).wire,
        [`bare sha256 of the same bytes (same hasher: ${hasher.name})`]: () =>
          hasher.hashInto(bytes(), digest, 0),
      },
    });
  }
  // The edited copy: what crosses the wire when the receiver already holds the original, at the default 16 KiB
  // average chunks and at 8 KiB (more manifest, less chunk data around each edit).
  for (const avg of full ? [16384, 8192] : [16384]) {
    const chunking = { min: avg / 4, avg, max: avg * 4 };
    const edited = lazy(() => {
      const original = bytes();
      const copy = edit(original, edits, 16);
      const opts = { hasher: nodeSha256Hasher, chunking };
      const mo = buildManifest(original, opts);
      const me = buildManifest(copy, opts);
      const held = new Map<string, Uint8Array>();
      for (let i = 0; i < mo.chunkCount; i++) {
        held.set(
          Buffer.from(mo.chunkDigest(i)).toString('hex'),
          original.subarray(mo.chunkOffset(i), mo.chunkOffset(i + 1)),
        );
      }
      const local = (d: Uint8Array) => held.get(Buffer.from(d).toString('hex'));
      return { copy, me, local, result: transfer(me, copy, nodeSha256Hasher, local) };
    });
    cases.push({
      name: `session/edited-copy-${edits}-edits-1pct/${label}/avg-${avg >> 10}KiB/node-crypto`,
      bytesPerOp: size,
      impls: {
        syncwire: () => {
          const { copy, me, local } = edited();
          return transfer(me, copy, nodeSha256Hasher, local).wire;
        },
      },
      // A getter: the runner reads metrics after timing, so the fixture is built only when this case runs.
      metrics: {
        get syncwire() {
          const e = edited();
          return {
            'wire bytes % of blob': (100 * e.result.wire) / e.copy.length,
            'chunk bytes % of blob': (100 * e.result.chunkBytes) / e.copy.length,
          };
        },
      },
    });
  }
  return cases;
};

export default suite;
