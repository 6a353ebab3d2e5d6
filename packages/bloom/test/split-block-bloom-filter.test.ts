import { SplitBlockBloomFilter, splitBlockBlocks } from '@syncwire/bloom';
import { equals, isCodecError } from '@syncwire/bytes';
import { garbage, mutated, notBytes, Prng } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

function keys32(n: number, seed: number): Uint8Array[] {
  const all = new Prng(seed).bytes(32 * n);
  return Array.from({ length: n }, (_, i) => all.subarray(32 * i, 32 * i + 32));
}

function rate(f: { has(k: Uint8Array): boolean }, queries: Uint8Array[]): number {
  let hits = 0;
  for (const q of queries) if (f.has(q)) hits++;
  return hits / queries.length;
}

const NON_MEMBERS = keys32(1_000_000, 0x5bbf);

describe('SplitBlockBloomFilter', () => {
  it('has no false negatives for any inserted set (property, both hash modes)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 16, maxLength: 40 }), { maxLength: 300 }),
        fc.constantFrom('digest' as const, 'xxh64' as const),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (ks, hash, seed) => {
          const f = SplitBlockBloomFilter.create({
            expectedItems: Math.max(1, ks.length),
            fpr: 0.05,
            hash,
            seed,
          });
          f.addAll(ks);
          const g = SplitBlockBloomFilter.fromBytes(f.toBytes());
          for (const k of ks) {
            expect(f.has(k)).toBe(true);
            expect(g.has(k)).toBe(true);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  for (const target of [0.01, 0.001]) {
    it(`sized from the Parquet table, measured FPR over 10^6 non-members is within 15 % of ${target}`, () => {
      const n = 100_000;
      const f = SplitBlockBloomFilter.create({ expectedItems: n, fpr: target, hash: 'digest' });
      expect(f.blocks).toBe(splitBlockBlocks(n, target));
      f.addAll(keys32(n, 21));
      const measured = rate(f, NON_MEMBERS);
      expect(Math.abs(measured - target) / target).toBeLessThan(0.15);
      expect(Math.abs(f.estimateFpr() - measured) / measured).toBeLessThan(0.1);
      expect(Math.abs(f.estimateCount() - n) / n).toBeLessThan(0.05);
    });
  }

  it('round-trips through toBytes/fromBytes and Parquet bitsets', () => {
    const f = new SplitBlockBloomFilter({ blocks: 37, seed: 5n });
    f.addAll(keys32(500, 1));
    const b = f.toBytes();
    const g = SplitBlockBloomFilter.fromBytes(b);
    expect(equals(g.toBytes(), b)).toBe(true);
    for (const k of keys32(5000, 2)) expect(g.has(k)).toBe(f.has(k));
    expect(g.seed).toBe(5n);
    const p = SplitBlockBloomFilter.fromParquet(f.toParquet());
    expect(equals(p.toParquet(), f.toParquet())).toBe(true);
  });

  it('union and intersection', () => {
    const a = new SplitBlockBloomFilter({ blocks: 64 });
    const b = new SplitBlockBloomFilter({ blocks: 64 });
    const ka = keys32(300, 3);
    const kb = keys32(300, 4);
    a.addAll(ka);
    b.addAll(kb);
    b.addAll(ka.slice(0, 50));
    const u = a.union(b);
    for (const k of [...ka, ...kb]) expect(u.has(k)).toBe(true);
    const i = a.intersection(b);
    for (const k of ka.slice(0, 50)) expect(i.has(k)).toBe(true);
    expect(() => a.union(new SplitBlockBloomFilter({ blocks: 65 }))).toThrow(RangeError);
    expect(a.clone().toBytes()).toEqual(a.toBytes());
  });

  it('rejects bad arguments', () => {
    const f = new SplitBlockBloomFilter({ blocks: 1 });
    for (const [, bad] of notBytes) expect(() => f.add(bad as Uint8Array)).toThrow(TypeError);
    expect(() => new SplitBlockBloomFilter({ blocks: 0 })).toThrow(RangeError);
    expect(() => f.addHash(-1)).toThrow(TypeError);
    expect(() => f.addHash(1n << 64n)).toThrow(RangeError);
    expect(() => SplitBlockBloomFilter.create({ expectedItems: 10, fpr: 1e-7 })).toThrow(RangeError);
  });

  it('fromBytes / fromParquet are total on garbage and enforce limits before allocating', () => {
    const valid = fc
      .tuple(fc.integer({ min: 1, max: 4 }), fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 10 }))
      .map(([blocks, ks]) => new SplitBlockBloomFilter({ blocks }).addAll(ks).toBytes());
    fc.assert(
      fc.property(fc.oneof(garbage(200), mutated(valid)), (b) => {
        try {
          expect(equals(SplitBlockBloomFilter.fromBytes(b).toBytes(), b)).toBe(true);
        } catch (e) {
          expect(isCodecError(e)).toBe(true);
        }
        try {
          SplitBlockBloomFilter.fromParquet(b);
        } catch (e) {
          expect(isCodecError(e)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
    expect(() => SplitBlockBloomFilter.fromParquet(new Uint8Array(64), { maxTableBytes: 32 })).toThrow(
      expect.objectContaining({ code: 'limit_exceeded' }),
    );
    expect(() => SplitBlockBloomFilter.fromParquet(new Uint8Array(33))).toThrow(
      expect.objectContaining({ code: 'invalid_value' }),
    );
  });
});
