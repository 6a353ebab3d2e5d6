import { toHex } from '@syncwire/bytes';
import { Capability, type SessionEvent, SyncSession } from '@syncwire/session';
import { randomBytes } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pair, run } from './lossy.ts';

/** n distinct 32-byte ids from a seed. */
function ids(n: number, seed: number): Uint8Array[] {
  const b = randomBytes(32 * n, seed);
  return Array.from({ length: n }, (_, i) => b.slice(32 * i, 32 * i + 32));
}

const hexes = (xs: Uint8Array[]) => xs.map(toHex).sort();
const result = (evs: SessionEvent[]) =>
  evs.find((e) => e.type === 'reconciled' || e.type === 'reconcile-failed');

/** Two overlapping sets: `common` shared, `onlyA` / `onlyB` on one side each. */
function sets(common: number, onlyA: number, onlyB: number, seed: number) {
  const all = ids(common + onlyA + onlyB, seed);
  return {
    a: all.slice(0, common + onlyA),
    b: [...all.slice(0, common), ...all.slice(common + onlyA)],
    onlyA: all.slice(common, common + onlyA),
    onlyB: all.slice(common + onlyA),
  };
}

describe('RECON: scope reconciliation inside a session', () => {
  it('finds the exact difference with RIBLT in one round trip on a clean link', () => {
    const s = sets(5000, 30, 20, 7);
    const p = pair();
    p.a.setScope(1, s.a);
    p.b.setScope(1, s.b);
    p.a.reconcile(1, 0);
    run(p, () => result(p.ev.a) !== undefined);
    const r = result(p.ev.a);
    expect(r).toMatchObject({ type: 'reconciled', scope: 1, algo: 'riblt' });
    if (r?.type !== 'reconciled') return;
    expect(hexes(r.localOnly)).toEqual(hexes(s.onlyA));
    expect(hexes(r.remoteOnly)).toEqual(hexes(s.onlyB));
    expect(r.messages).toBeLessThanOrEqual(2); // WANT, then DONE
  });

  it('falls back to Negentropy when the difference exceeds the RIBLT symbol cap', () => {
    const s = sets(2000, 300, 250, 8);
    const p = pair({ reconSymbols: 256 }, { reconSymbols: 256 });
    p.a.setScope(3, s.a);
    p.b.setScope(3, s.b);
    p.a.reconcile(3, 0);
    run(p, () => result(p.ev.a) !== undefined);
    const r = result(p.ev.a);
    expect(r).toMatchObject({ type: 'reconciled', algo: 'negentropy' });
    if (r?.type !== 'reconciled') return;
    expect(hexes(r.localOnly)).toEqual(hexes(s.onlyA));
    expect(hexes(r.remoteOnly)).toEqual(hexes(s.onlyB));
  });

  it('uses Negentropy alone when RIBLT is not a shared capability', () => {
    const s = sets(500, 5, 9, 9);
    const p = pair({ capabilities: Capability.RECON_NEGENTROPY });
    p.a.setScope(0, s.a);
    p.b.setScope(0, s.b);
    p.a.reconcile(0, 0);
    run(p, () => result(p.ev.a) !== undefined);
    expect(result(p.ev.a)).toMatchObject({ type: 'reconciled', algo: 'negentropy' });
  });

  it('reports a scope the peer does not have, and a missing common algorithm', () => {
    const p = pair();
    p.a.setScope(4, ids(3, 1));
    p.a.reconcile(4, 0);
    run(p, () => result(p.ev.a) !== undefined);
    expect(result(p.ev.a)).toMatchObject({
      type: 'reconcile-failed',
      scope: 4,
      reason: 'declined by the peer',
    });
    const q = pair({ capabilities: Capability.HAVE });
    q.a.setScope(4, ids(3, 1));
    q.b.setScope(4, ids(3, 1));
    q.a.reconcile(4, 0);
    run(q, () => result(q.ev.a) !== undefined);
    expect(result(q.ev.a)).toMatchObject({ type: 'reconcile-failed', reason: 'no common algorithm' });
  });

  it('gets the exact difference over a link that drops, duplicates and reorders (property)', () => {
    let failed = 0;
    let lossy = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 30 }),
        fc.boolean(),
        fc.nat(),
        (common, onlyA, onlyB, lossPct, small, seed) => {
          const s = sets(common, onlyA, onlyB, seed);
          const o = small ? { reconSymbols: 64 } : {};
          const p = pair(o, o);
          p.a.setScope(9, s.a);
          p.b.setScope(9, s.b);
          p.a.reconcile(9, 0);
          run(p, () => result(p.ev.a) !== undefined, lossPct / 100, seed);
          const r = result(p.ev.a);
          if (lossPct > 0) lossy++;
          // Heavy loss may exhaust the retransmissions; it must never produce a wrong answer.
          if (r?.type === 'reconcile-failed') {
            expect(lossPct).toBeGreaterThan(0);
            failed++;
            return;
          }
          expect(r?.type).toBe('reconciled');
          if (r?.type !== 'reconciled') return;
          expect(hexes(r.localOnly)).toEqual(hexes(s.onlyA));
          expect(hexes(r.remoteOnly)).toEqual(hexes(s.onlyB));
          expect(p.a.stats.score + p.b.stats.score).toBe(0);
        },
      ),
      { numRuns: Number(process.env.RECON_RUNS ?? 60) },
    );
    expect(failed).toBeLessThanOrEqual(lossy / 10);
  });

  it('queues a reconcile asked for before HELLO, and both sides can reconcile the same scope at once', () => {
    const s = sets(100, 4, 6, 11);
    const p = pair();
    p.a.setScope(2, s.a);
    p.b.setScope(2, s.b);
    p.a.reconcile(2, 0);
    p.b.reconcile(2, 0);
    run(p, () => result(p.ev.a) !== undefined && result(p.ev.b) !== undefined);
    const ra = result(p.ev.a);
    const rb = result(p.ev.b);
    if (ra?.type !== 'reconciled' || rb?.type !== 'reconciled') throw new Error('not reconciled');
    expect(hexes(ra.remoteOnly)).toEqual(hexes(s.onlyB));
    expect(hexes(rb.remoteOnly)).toEqual(hexes(s.onlyA));
  });
});

describe('HELLO and HAVE', () => {
  it('negotiate capabilities (AND) and carry peer ids; HAVE reaches the peer and is repeated on restart', () => {
    const p = pair({ peerId: Uint8Array.of(0xaa), capabilities: 31 }, { capabilities: Capability.HAVE | 1 });
    const blob = randomBytes(32, 5);
    p.a.announce(blob, 'all');
    p.a.announce(randomBytes(32, 6), [
      [0, 4],
      [10, 12],
    ]);
    run(p, () => p.ev.b.filter((e) => e.type === 'peer-have').length >= 2);
    const est = p.ev.b.find((e) => e.type === 'established');
    expect(est).toMatchObject({ capabilities: Capability.HAVE | 1, peerId: Uint8Array.of(0xaa) });
    const haves = p.ev.b.filter((e) => e.type === 'peer-have');
    expect(haves[0]).toMatchObject({ all: true, blobId: blob });
    expect(haves[1]).toMatchObject({
      all: false,
      ranges: [
        [0, 4],
        [10, 12],
      ],
    });
    expect(() => p.a.announce(blob, [[3, 3]])).toThrow(RangeError);
    expect(() => new SyncSession({ nonce: new Uint8Array(3) })).toThrow(RangeError);
    expect(() => new SyncSession({ peerId: new Uint8Array(0) })).toThrow(RangeError);
    expect(new SyncSession().nonce).not.toEqual(new SyncSession().nonce);
  });
});
