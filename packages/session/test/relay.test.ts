import { buildManifest, type Manifest } from '@syncwire/blob';
import { toHex } from '@syncwire/bytes';
import { randomBytes } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flipBit, HOSTILE_OPTIONS, SMALL_CHUNKS } from './hostile.ts';
import { Link, SimPeer, type StoredBlob } from './sim.ts';

// Three peers in a line, A — B — C: A is the origin of a blob, B fetches it from A and C fetches it from B while B
// is still fetching (store and forward: B serves the pages and chunks it has verified and answers NO_DATA for the
// rest; C's driver retries failed fetches). Both links are hostile and driven by fc.commands. Invariants after
// every command; at the end (healed, run to quiescence) B and C hold the blob byte-identical and fetched no chunk
// twice.

const OPTIONS = { ...HOSTILE_OPTIONS, pageBits: 2 };

interface World {
  links: [Link, Link];
  key: string;
  m: Manifest;
  /** B's two faces share one store. */
  b: [SimPeer, SimPeer];
  c: SimPeer;
}

function makeWorld(seed: number, size: number): World {
  const bytes = randomBytes(size, seed);
  const m = buildManifest(bytes, { chunking: SMALL_CHUNKS });
  const truth = new Map([[toHex(m.id), { manifest: m, bytes }]]);
  const a = new SimPeer('A', truth, OPTIONS);
  a.addBlob(m, bytes);
  const bStore = new Map<string, StoredBlob>();
  const bUp = new SimPeer('B(up)', truth, OPTIONS, bStore);
  const bDown = new SimPeer('B(down)', truth, OPTIONS, bStore);
  const c = new SimPeer('C', truth, OPTIONS);
  bUp.want(m.id);
  c.want(m.id);
  const links: [Link, Link] = [new Link(a, bUp), new Link(bDown, c)];
  for (const l of links) l.flush();
  return { links, key: toHex(m.id), m, b: [bUp, bDown], c };
}

/** C's driver: a fetch that failed with NO_DATA (B did not have it yet) is asked for again. */
function retry(w: World): void {
  const c = w.c;
  const failed = c.events.some((e) => e.type === 'blob-failed');
  if (failed && !c.holds(w.key) && c.session.state !== 'closed') {
    c.events.length = 0;
    c.want(w.m.id);
  }
}

function invariants(w: World): void {
  for (const l of w.links) {
    expect(l.largestFrame).toBeLessThanOrEqual(OPTIONS.maxFrame);
    for (const p of l.peers)
      expect(p.session.stats.chunkBytesSent).toBeLessThanOrEqual(p.session.stats.peerCredit);
  }
}

type Cmd = fc.Command<object, World>;
const cmd = (name: string, run: (w: World) => void): Cmd => ({
  check: () => true,
  run: (_m, w) => {
    run(w);
    for (const l of w.links) l.flush();
    retry(w);
    invariants(w);
  },
  toString: () => name,
});
const link = fc.integer({ min: 0, max: 1 });

const commands = [
  fc.tuple(link, fc.integer({ min: 1, max: 40 })).map(([l, n]) =>
    cmd(`run(${l},${n})`, (w) => {
      for (let i = 0; i < n && w.links[l]!.queue.length > 0; i++) {
        w.links[l]!.deliver(0);
        w.links[l]!.flush();
      }
    }),
  ),
  fc.tuple(link, fc.nat()).map(([l, k]) => cmd(`deliver(${l},${k})`, (w) => w.links[l]!.deliver(k))),
  fc.tuple(link, fc.nat()).map(([l, k]) =>
    cmd(`drop(${l},${k})`, (w) => {
      const q = w.links[l]!.queue;
      if (q.length) q.splice(k % q.length, 1);
    }),
  ),
  fc.tuple(link, fc.nat()).map(([l, k]) =>
    cmd(`duplicate(${l},${k})`, (w) => {
      const q = w.links[l]!.queue;
      if (q.length) q.push({ ...q[k % q.length]! });
    }),
  ),
  fc.tuple(link, fc.nat(), fc.nat()).map(([l, k, bit]) =>
    cmd(`corrupt(${l},${k},${bit})`, (w) => {
      const q = w.links[l]!.queue;
      if (!q.length) return;
      const m = q[k % q.length]!;
      m.frame = flipBit(m.frame, bit);
    }),
  ),
  fc.integer({ min: 1, max: 500 }).map((ms) =>
    cmd(`tick(${ms})`, (w) => {
      for (const l of w.links) l.tick(ms);
    }),
  ),
  fc.constant(
    cmd('restart(B)', (w) => {
      // B restarts: both its connections reset; its store is kept.
      for (const l of w.links) for (const p of l.peers) p.restart();
    }),
  ),
];

describe('model: relay A — B — C', () => {
  it('store-and-forward through a peer that is still fetching', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 50_000 }),
        fc.commands(commands, { maxCommands: 80 }),
        (seed, size, cmds) => {
          const w = makeWorld(seed, size);
          fc.modelRun(() => ({ model: {}, real: w }), cmds);
          for (let round = 0; round < 40 && !w.c.holds(w.key); round++) {
            for (const l of w.links) {
              if (l.peers.some((p) => p.session.state === 'closed')) for (const p of l.peers) p.restart();
              l.now += 1000;
              l.settle(20_000);
            }
            retry(w);
            invariants(w);
          }
          expect(w.b[0].holds(w.key)).toBe(true);
          expect(w.c.holds(w.key)).toBe(true);
          expect(w.b[0].refetched + w.b[1].refetched + w.c.refetched).toBe(0);
          expect(w.b[0].storedBytes + w.b[1].storedBytes).toBe(w.m.byteLength);
          expect(w.c.storedBytes).toBe(w.m.byteLength);
        },
      ),
      { numRuns: Number(process.env.MODEL_RUNS ?? 150), seed: Number(process.env.FC_SEED ?? 20261122) },
    );
  });
});
