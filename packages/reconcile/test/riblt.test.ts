import { toHex } from '@syncwire/bytes';
import {
  deriveRibltKey,
  RibltDecoder,
  RibltEncoder,
  RibltRequester,
  RibltResponder,
  type RibltResult,
  RibltSketch,
} from '@syncwire/reconcile';
import { notBytes, Prng } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const KEY = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

interface Sets {
  common: Uint8Array;
  a: Uint8Array; // only on the decoding (local) side
  b: Uint8Array; // only on the remote side
}

function sets(seed: number, n: number, onlyA: number, onlyB: number): Sets {
  const rng = new Prng(seed);
  return { common: rng.bytes(32 * n), a: rng.bytes(32 * onlyA), b: rng.bytes(32 * onlyB) };
}

function split(flat: Uint8Array): string[] {
  const out: string[] = [];
  for (let p = 0; p < flat.length; p += 32) out.push(toHex(flat.subarray(p, p + 32)));
  return out.sort();
}

const hexes = (ids: Uint8Array[]) => ids.map(toHex).sort();

/** Drives requester and responder in memory; returns the result, symbols and bytes sent. */
function reconcile(s: Sets, capacity: number, batchSize = 64) {
  const local = new RibltSketch(KEY, { capacity });
  local.addAll(s.common);
  local.addAll(s.a);
  const remote = new RibltSketch(KEY, { capacity });
  remote.addAll(s.common);
  remote.addAll(s.b);
  const requester = new RibltRequester(local);
  const responder = new RibltResponder(remote, { batchSize });
  responder.receive(requester.start());
  let bytes = 0;
  for (let batch = responder.poll(); batch; batch = responder.poll()) {
    bytes += batch.length;
    const reply = requester.receive(batch);
    if (reply) {
      responder.receive(reply);
      break;
    }
  }
  expect(responder.poll()).toBeUndefined();
  return { requester, result: requester.result(), bytes };
}

function expectExact(result: RibltResult | undefined, s: Sets): void {
  expect(result).toBeDefined();
  expect(hexes(result!.remoteOnly)).toEqual(split(s.b));
  expect(hexes(result!.localOnly)).toEqual(split(s.a));
}

describe('RIBLT index mapping', () => {
  it('maps items to index i with probability 1/(1 + i/2)', () => {
    const sketch = new RibltSketch(KEY, { capacity: 200 });
    const n = 20_000;
    sketch.addAll(new Prng(5).bytes(32 * n));
    // Cell counts are the number of items mapped there: compare with n·ρ(i) within 5 standard deviations.
    const cells = (
      sketch as unknown as { symbolCells(s: number, c: number): { cells: { counts: Int32Array } } }
    ).symbolCells(0, 200).cells.counts;
    expect(cells[0]).toBe(n);
    for (const i of [1, 2, 5, 10, 50, 100, 199]) {
      const p = 1 / (1 + i / 2);
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(cells[i]! - n * p)).toBeLessThan(5 * sd + 1);
    }
  });
});

describe('RibltSketch and RibltEncoder', () => {
  it('produce the same symbols for the same set', () => {
    const s = sets(1, 3000, 0, 0);
    const sketch = new RibltSketch(KEY, { capacity: 300 });
    sketch.addAll(s.common);
    const enc = new RibltEncoder(KEY);
    enc.addAll(s.common);
    expect(toHex(enc.encodeBatch(0, 300))).toBe(toHex(sketch.encodeBatch(0, 300)));
    expect(toHex(enc.encodeBatch(100, 50))).toBe(toHex(sketch.encodeBatch(100, 50)));
  });

  it('updates incrementally: add then remove equals never added; order does not matter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 0, max: 200 }), (seed, n) => {
        const s = sets(seed, n, 20, 0);
        const x = new RibltSketch(KEY, { capacity: 128 });
        x.addAll(s.a);
        x.addAll(s.common);
        for (let p = 0; p < s.a.length; p += 32) x.remove(s.a.subarray(p, p + 32));
        const y = new RibltSketch(KEY, { capacity: 128 });
        for (let p = s.common.length - 32; p >= 0; p -= 32) y.add(s.common.subarray(p, p + 32));
        expect(x.size).toBe(n);
        expect(toHex(x.encodeBatch(0, 128))).toBe(toHex(y.encodeBatch(0, 128)));
      }),
      { numRuns: 30 },
    );
  });

  it('depends on the key', () => {
    const s = sets(2, 100, 0, 0);
    const x = new RibltSketch(KEY, { capacity: 16 });
    const y = new RibltSketch(deriveRibltKey(new Uint8Array(8), new Uint8Array(8).fill(1)), { capacity: 16 });
    x.addAll(s.common);
    y.addAll(s.common);
    expect(toHex(x.encodeBatch(1, 15))).not.toBe(toHex(y.encodeBatch(1, 15)));
  });

  it('rejects bad arguments', () => {
    expect(() => new RibltSketch(new Uint8Array(15))).toThrow(RangeError);
    expect(() => new RibltSketch(KEY, { capacity: 0 })).toThrow(RangeError);
    const sk = new RibltSketch(KEY, { capacity: 8 });
    for (const [, bad] of notBytes) expect(() => sk.add(bad as Uint8Array)).toThrow(TypeError);
    expect(() => sk.add(new Uint8Array(31))).toThrow(RangeError);
    expect(() => sk.addAll(new Uint8Array(33))).toThrow(RangeError);
    expect(() => sk.encodeBatch(4, 5)).toThrow(RangeError);
    const enc = new RibltEncoder(KEY);
    enc.add(new Uint8Array(32));
    enc.encodeBatch(0, 1);
    expect(() => enc.add(new Uint8Array(32).fill(1))).toThrow(Error);
  });
});

describe('deriveRibltKey', () => {
  it('gives both peers the same 16-byte key whatever the argument order', () => {
    const a = new Prng(1).bytes(16);
    const b = new Prng(2).bytes(16);
    expect(toHex(deriveRibltKey(a, b))).toBe(toHex(deriveRibltKey(b, a)));
    expect(deriveRibltKey(a, b).length).toBe(16);
    expect(toHex(deriveRibltKey(a, b))).not.toBe(toHex(deriveRibltKey(a, a)));
    expect(() => deriveRibltKey(new Uint8Array(7), b)).toThrow(RangeError);
    expect(() => deriveRibltKey('x' as unknown as Uint8Array, b)).toThrow(TypeError);
  });
});

describe('RIBLT reconciliation', () => {
  it('recovers exactly A\\B and B\\A for random sets (n ≤ 5 000, d ≤ 600)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        (seed, n, x, y) => {
          const s = sets(seed, n, x, y);
          const { result, requester } = reconcile(s, 4096);
          expectExact(result, s);
          // Equal ids never appear: nothing common shows up in either list.
          const common = new Set(split(s.common));
          for (const id of [...result!.remoteOnly, ...result!.localOnly])
            expect(common.has(toHex(id))).toBe(false);
          expect(requester.received).toBeLessThanOrEqual(Math.max(1, 3 * (x + y)) + 16);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('recovers exactly at 10^5 items with d from 0 to 10^4 (few runs)', () => {
    for (const [seed, n, x, y] of [
      [11, 100_000, 0, 0],
      [12, 100_000, 1, 0],
      [13, 100_000, 500, 500],
      [14, 90_000, 5000, 5000],
    ] as const) {
      const s = sets(seed, n, x, y);
      const { result, requester } = reconcile(s, 1 << 15, 256);
      expectExact(result, s);
      expect(requester.received).toBeLessThan(1.7 * (x + y) + 40);
    }
  });

  it('recovers exactly for random sets of 2·10^4 … 10^5 items with d up to 10^4 (property, 3 runs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 20_000, max: 100_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, n, d, share) => {
          const x = Math.round(d * share);
          const s = sets(seed, n, x, d - x);
          const { result } = reconcile(s, 1 << 15, 512);
          expectExact(result, s);
        },
      ),
      { numRuns: 3 },
    );
  });

  it('is chunking-invariant: any split of the stream into batches gives the same result after the same symbols', () => {
    const s = sets(21, 2000, 60, 40);
    const local = new RibltSketch(KEY, { capacity: 1024 });
    local.addAll(s.common);
    local.addAll(s.a);
    const remote = new RibltSketch(KEY, { capacity: 1024 });
    remote.addAll(s.common);
    remote.addAll(s.b);
    const whole = new RibltDecoder(local);
    whole.push(remote.encodeBatch(0, 1024));
    expectExact(whole.result(), s);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 40 }), (sizes) => {
        const dec = new RibltDecoder(local);
        let start = 0;
        for (let k = 0; dec.state === 'running' && start < 1024; k++) {
          const count = Math.min(sizes[k % sizes.length]!, 1024 - start);
          dec.push(remote.encodeBatch(start, count));
          start += count;
        }
        expect(dec.received).toBe(whole.received);
        expectExact(dec.result(), s);
      }),
      { numRuns: 50 },
    );
  });

  it('needs about 1.35–1.5 coded symbols per difference on average', () => {
    let symbols = 0;
    let diffs = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const s = sets(seed, 2000, 250, 250);
      symbols += reconcile(s, 4096).requester.received;
      diffs += 500;
    }
    expect(symbols / diffs).toBeGreaterThan(1.2);
    expect(symbols / diffs).toBeLessThan(1.5);
  });

  it('never reports an item from a truncated stream: "not yet" or the exact answer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1.2, noNaN: true }),
        (seed, d, frac) => {
          const s = sets(seed, 1000, d >> 1, d - (d >> 1));
          const local = new RibltSketch(KEY, { capacity: 1024 });
          local.addAll(s.common);
          local.addAll(s.a);
          const remote = new RibltSketch(KEY, { capacity: 1024 });
          remote.addAll(s.common);
          remote.addAll(s.b);
          const dec = new RibltDecoder(local);
          const k = Math.max(1, Math.min(1024, Math.floor(frac * d)));
          // Feed the prefix one symbol at a time: the result may only ever be undefined or exact.
          for (let i = 0; i < k && dec.state === 'running'; i++) {
            dec.push(remote.encodeBatch(i, 1));
            const r = dec.result();
            if (r) expectExact(r, s);
            else expect(dec.state).toBe('running');
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gives up at the symbol cap so the caller can fall back, without a result', () => {
    const s = sets(3, 500, 300, 300);
    const { requester, result } = reconcile(s, 256);
    expect(requester.state).toBe('failed');
    expect(requester.failure).toMatch(/cap/);
    expect(result).toBeUndefined();
  });

  it('never decodes under a different key (it fails, it does not invent items)', () => {
    const s = sets(4, 500, 5, 5);
    const local = new RibltSketch(KEY, { capacity: 512 });
    local.addAll(s.common);
    const remote = new RibltSketch(new Uint8Array(16), { capacity: 512 });
    remote.addAll(s.common);
    const dec = new RibltDecoder(local);
    dec.push(remote.encodeBatch(0, 512));
    expect(dec.state).toBe('failed');
    expect(dec.result()).toBeUndefined();
  });

  it('a crafted stream (an id counted twice, counts shifted) fails at the cap instead of answering', () => {
    const s = sets(5, 400, 0, 1);
    const local = new RibltSketch(KEY, { capacity: 256 });
    local.addAll(s.common);
    const twice = new RibltSketch(KEY, { capacity: 256 });
    twice.addAll(s.common);
    twice.addAll(s.b);
    twice.addAll(s.b);
    const dec = new RibltDecoder(local);
    dec.push(twice.encodeBatch(0, 256));
    expect(dec.state).toBe('failed');
    expect(dec.result()).toBeUndefined();
    // Declaring a set size that the decoded difference contradicts is caught too.
    const honest = new RibltSketch(KEY, { capacity: 256 });
    honest.addAll(s.common);
    honest.addAll(s.b);
    const bytes = honest.encodeBatch(0, 8);
    const liar = Uint8Array.from(bytes);
    const dec2 = new RibltDecoder(local);
    // setSize is the first varint (2 bytes for 401): add one to it; counts decode relative to it, so they shift.
    liar[1] = liar[1]! + 1;
    dec2.push(liar);
    expect(dec2.result()).toBeUndefined();
  });

  it('works from an unbounded encoder on either side', () => {
    const s = sets(8, 3000, 40, 60);
    const local = new RibltEncoder(KEY);
    local.addAll(s.common);
    local.addAll(s.a);
    const remote = new RibltEncoder(KEY);
    remote.addAll(s.common);
    remote.addAll(s.b);
    const requester = new RibltRequester(local, { maxSymbols: 10_000 });
    const responder = new RibltResponder(remote, { batchSize: 32 });
    responder.receive(requester.start());
    for (let b = responder.poll(); b; b = responder.poll()) {
      const reply = requester.receive(b);
      if (reply) {
        responder.receive(reply);
        break;
      }
    }
    expect(responder.finished).toBe(true);
    expectExact(requester.result(), s);
  });
});
