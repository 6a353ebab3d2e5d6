import { MAX_TOTAL_SHARDS, type MaybeShards, ReedSolomon } from '@syncwire/reed-solomon';
import { notBytes, Prng } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectSameShards } from './helpers.ts';

function randomShards(prng: Prng, k: number, len: number): Uint8Array[] {
  return Array.from({ length: k }, () => prng.bytes(len));
}

describe('ReedSolomon', () => {
  it('picks SIMD automatically here and honours kernel: "table"', () => {
    expect(new ReedSolomon(4, 2).kernel).toBe('simd');
    expect(new ReedSolomon(4, 2, { kernel: 'table' }).kernel).toBe('table');
  });

  it('encode fills parity in place, allocating missing slots', () => {
    const prng = new Prng(1);
    const rs = new ReedSolomon(4, 2);
    const data = randomShards(prng, 4, 100);
    const slot = new Uint8Array(100);
    const shards = rs.encode([...data, slot, null]);
    expect(shards[4]).toBe(slot);
    expect(shards[5]).toBeInstanceOf(Uint8Array);
    expectSameShards(shards.slice(4), rs.encodeParity(data));
    expect(rs.verify(shards)).toBe(true);
  });

  it('parity does not depend on the shard length (a prefix of the data gives a prefix of the parity)', () => {
    const prng = new Prng(2);
    const rs = new ReedSolomon(7, 3);
    const data = randomShards(prng, 7, 1000);
    const full = rs.encodeParity(data);
    const short = rs.encodeParity(data.map((d) => d.subarray(0, 37)));
    expectSameShards(
      short,
      full.map((p) => p.subarray(0, 37)),
    );
  });

  it('zero-length shards encode, verify and reconstruct', () => {
    const rs = new ReedSolomon(3, 2);
    const shards = rs.encode([new Uint8Array(0), new Uint8Array(0), new Uint8Array(0), null, null]);
    expect(shards.map((s) => s.length)).toEqual([0, 0, 0, 0, 0]);
    expect(rs.verify(shards)).toBe(true);
    const partial: MaybeShards = [null, shards[1], null, shards[3], shards[4]];
    expect(rs.reconstruct(partial).map((s) => s.length)).toEqual([0, 0, 0, 0, 0]);
  });

  it('verify detects any single flipped byte', () => {
    const prng = new Prng(3);
    const rs = new ReedSolomon(5, 3);
    const shards = rs.encode([...randomShards(prng, 5, 70_000), null, null, null]);
    for (let trial = 0; trial < 20; trial++) {
      const i = prng.below(8);
      const j = prng.below(70_000);
      const shard = shards[i] as Uint8Array;
      shard[j] = (shard[j] as number) ^ (1 + prng.below(255));
      expect(rs.verify(shards)).toBe(false);
      shard[j] = 0;
      rs.encode(shards); // repair parity (data byte now 0) so the next trial starts valid
      expect(rs.verify(shards)).toBe(true);
    }
  });

  it('property: any k of the k + m shards rebuild everything exactly (both kernels)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 300 }),
        fc.boolean(),
        fc.integer(),
        (k, m, len, table, seed) => {
          const prng = new Prng(seed);
          const rs = new ReedSolomon(k, m, { kernel: table ? 'table' : 'simd' });
          const full = rs.encode([...randomShards(prng, k, len), ...Array(m).fill(null)]);
          // Drop a random set of exactly m shards (the worst case), in random positions.
          const order = full.map((_, i) => i).sort(() => prng.float() - 0.5);
          const lost = new Set(order.slice(0, m));
          const partial: MaybeShards = full.map((s, i) => (lost.has(i) ? null : s));
          rs.reconstruct(partial);
          expectSameShards(partial, full);
          const dataOnly: MaybeShards = full.map((s, i) => (lost.has(i) ? null : s));
          const data = rs.reconstructData(dataOnly);
          expectSameShards(data, full.slice(0, k));
          for (let i = k; i < k + m; i++) if (lost.has(i)) expect(dataOnly[i]).toBeNull();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('k + m = 256 reconstructs from any k', () => {
    const prng = new Prng(4);
    for (const [k, m] of [
      [1, 255],
      [128, 128],
      [255, 1],
      [200, 56],
    ] as const) {
      const rs = new ReedSolomon(k, m);
      const full = rs.encode([...randomShards(prng, k, 19), ...Array(m).fill(null)]);
      const lost = new Set<number>();
      while (lost.size < m) lost.add(prng.below(k + m));
      const partial: MaybeShards = full.map((s, i) => (lost.has(i) ? null : s));
      expectSameShards(rs.reconstruct(partial), full);
    }
  });

  it('present mask: reuses the caller buffers of missing shards and ignores their contents', () => {
    const prng = new Prng(5);
    const rs = new ReedSolomon(6, 3);
    const full = rs.encode([...randomShards(prng, 6, 500), null, null, null]);
    const work = full.map((s) => s.slice());
    const present = work.map((_, i) => i !== 1 && i !== 4 && i !== 7);
    const bufs = [work[1], work[4], work[7]];
    for (const i of [1, 4, 7]) (work[i] as Uint8Array).fill(0xaa);
    rs.reconstruct(work, present);
    expect(work[1]).toBe(bufs[0]);
    expect(work[4]).toBe(bufs[1]);
    expect(work[7]).toBe(bufs[2]);
    expectSameShards(work, full);
  });

  it('caches one inverted matrix per erasure pattern, bounded by maxCachedMatrices', () => {
    const prng = new Prng(6);
    const rs = new ReedSolomon(4, 3, { maxCachedMatrices: 2 });
    const full = rs.encode([...randomShards(prng, 4, 10), null, null, null]);
    const drop = (lost: number[]) => rs.reconstruct(full.map((s, i) => (lost.includes(i) ? null : s)));
    drop([0]);
    drop([0]);
    expect(rs.cachedMatrices).toBe(1);
    drop([1]);
    drop([2, 3]);
    expect(rs.cachedMatrices).toBe(2);
    drop([5]); // only parity missing: no inversion needed
    expect(rs.cachedMatrices).toBe(2);
    const none = new ReedSolomon(4, 3, { maxCachedMatrices: 0 });
    none.reconstruct(full.map((s, i) => (i === 0 ? null : s)));
    expect(none.cachedMatrices).toBe(0);
  });

  describe('bad arguments', () => {
    it('rejects bad k and m with TypeError/RangeError', () => {
      expect(() => new ReedSolomon(0, 1)).toThrow(RangeError);
      expect(() => new ReedSolomon(1, 0)).toThrow(RangeError);
      expect(() => new ReedSolomon(200, 57)).toThrow(/at most 256, got 257/);
      expect(() => new ReedSolomon(1.5, 1)).toThrow(TypeError);
      expect(() => new ReedSolomon('4' as unknown as number, 2)).toThrow(TypeError);
      expect(() => new ReedSolomon(4, 2, { kernel: 'gpu' as 'simd' })).toThrow(TypeError);
      expect(() => new ReedSolomon(4, 2, { maxCachedMatrices: -1 })).toThrow(RangeError);
      expect(MAX_TOTAL_SHARDS).toBe(256);
    });

    it('rejects wrong shard counts, types and mismatched lengths', () => {
      const rs = new ReedSolomon(2, 1);
      const a = new Uint8Array(4);
      expect(() => rs.encode([a, a])).toThrow(RangeError);
      expect(() => rs.encode([a, new Uint8Array(5), null])).toThrow(/length 5, expected 4/);
      expect(() => rs.encode([a, a, new Uint8Array(3)])).toThrow(RangeError);
      expect(() => rs.encode('abc' as unknown as MaybeShards)).toThrow(TypeError);
      for (const [, bad] of notBytes) {
        expect(() => rs.encode([a, bad as Uint8Array, null])).toThrow(TypeError);
        expect(() => rs.encodeParity([bad as Uint8Array, a])).toThrow(TypeError);
        if (bad !== null && bad !== undefined) {
          expect(() => rs.reconstruct([a, bad as Uint8Array, null])).toThrow(TypeError);
        }
      }
      expect(() => rs.verify([a, a])).toThrow(RangeError);
      expect(() => rs.encodeParity([a])).toThrow(RangeError);
    });

    it('never reconstructs from fewer than k shards', () => {
      const rs = new ReedSolomon(3, 2);
      const a = new Uint8Array(4);
      expect(() => rs.reconstruct([a, null, null, a, null])).toThrow(
        /need at least 3 present shards to reconstruct, got 2/,
      );
      expect(() => rs.reconstructData([null, null, null, a, a])).toThrow(RangeError);
      expect(() => rs.reconstruct([a, a, a, a, a], [true, false, false, false, true])).toThrow(RangeError);
      expect(() => rs.reconstruct([a, null, a, a, a], [true, true, true, true, true])).toThrow(TypeError);
      expect(() => rs.reconstruct([a, a, a, a, a], [true])).toThrow(RangeError);
      expect(() => rs.reconstruct([a, a, a, a, new Uint8Array(2)])).toThrow(RangeError);
    });
  });
});

describe('ReedSolomon.allocateShards', () => {
  it('encodes and reconstructs in place with both kernels, identically to plain arrays', () => {
    const prng = new Prng(12);
    for (const kernel of ['simd', 'table'] as const) {
      const rs = new ReedSolomon(10, 4, { kernel });
      const shards = rs.allocateShards(65_537);
      for (let i = 0; i < 10; i++) prng.fill(shards[i] as Uint8Array);
      rs.encode(shards);
      const copy = shards.map((s) => s.slice());
      expectSameShards(rs.encodeParity(copy.slice(0, 10)), copy.slice(10));
      const present = shards.map((_, i) => i >= 4);
      for (let i = 0; i < 4; i++) (shards[i] as Uint8Array).fill(0);
      rs.reconstructData(shards, present);
      expectSameShards(shards, copy);
    }
    expect(() => new ReedSolomon(2, 1).allocateShards(-1)).toThrow(RangeError);
    expect(new ReedSolomon(2, 1).allocateShards(0).map((s) => s.length)).toEqual([0, 0, 0]);
  });
});
