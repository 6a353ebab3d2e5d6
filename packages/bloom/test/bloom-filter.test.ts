import { BloomFilter, bloomFilter, bloomSize } from '@syncwire/bloom';
import { equals, isCodecError } from '@syncwire/bytes';
import { garbage, mutated, notBytes, Prng } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** `n` distinct-with-overwhelming-probability 32-byte keys from a seeded PRNG. */
function keys32(n: number, seed: number): Uint8Array[] {
  const all = new Prng(seed).bytes(32 * n);
  return Array.from({ length: n }, (_, i) => all.subarray(32 * i, 32 * i + 32));
}

/** Fraction of `queries` the filter answers true for. */
function rate(f: { has(k: Uint8Array): boolean }, queries: Uint8Array[]): number {
  let hits = 0;
  for (const q of queries) if (f.has(q)) hits++;
  return hits / queries.length;
}

const NON_MEMBERS = keys32(1_000_000, 0xbad);

describe('bloomSize', () => {
  it('gives the exact optimum: 9.585 bits/item, k = 7 at 1 %; 14.378, k = 10 at 0.1 %', () => {
    expect(bloomSize(1_000_000, 0.01)).toEqual({ bits: 9_585_059, hashes: 7 });
    expect(bloomSize(1_000_000, 0.001)).toEqual({ bits: 14_377_588, hashes: 10 });
  });
  it('rejects bad sizes', () => {
    expect(() => bloomSize(0, 0.01)).toThrow(RangeError);
    expect(() => bloomSize(10, 0)).toThrow(RangeError);
    expect(() => bloomSize(10, 0.9)).toThrow(RangeError);
    expect(() => bloomSize(1e9, 1e-9)).toThrow(/2\^31/);
  });
});

describe('BloomFilter', () => {
  for (const hash of ['digest', 'xxh64'] as const) {
    describe(`${hash} keys`, () => {
      it('has no false negatives for any inserted set (property)', () => {
        fc.assert(
          fc.property(
            fc.array(fc.uint8Array({ minLength: 16, maxLength: 40 }), { maxLength: 200 }),
            fc.double({ min: 1e-4, max: 0.3, noNaN: true }),
            fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
            (ks, fpr, seed) => {
              const f = BloomFilter.create({ expectedItems: Math.max(1, ks.length), fpr, hash, seed });
              f.addAll(ks);
              for (const k of ks) expect(f.has(k)).toBe(true);
              const g = BloomFilter.fromBytes(f.toBytes());
              for (const k of ks) expect(g.has(k)).toBe(true);
            },
          ),
          { numRuns: 50 },
        );
      });

      for (const target of [0.01, 0.001]) {
        it(`measured FPR over 10^6 non-members is within 10 % of ${target}`, () => {
          const n = 100_000;
          const f = BloomFilter.create({ expectedItems: n, fpr: target, hash });
          f.addAll(keys32(n, 7));
          const measured = rate(f, NON_MEMBERS);
          expect(Math.abs(measured - target) / target).toBeLessThan(0.1);
          // the state-based estimate agrees with what was measured
          expect(Math.abs(f.estimateFpr() - measured) / measured).toBeLessThan(0.1);
          expect(Math.abs(f.estimateCount() - n) / n).toBeLessThan(0.02);
        });
      }
    });
  }

  it('fromBytes(toBytes(f)) answers identically and re-encodes to the same bytes', () => {
    const f = BloomFilter.create({ expectedItems: 1000, fpr: 0.02, seed: 99n });
    f.addAll(keys32(1000, 3));
    const bytes = f.toBytes();
    const g = BloomFilter.fromBytes(bytes);
    expect(equals(g.toBytes(), bytes)).toBe(true);
    const probe = keys32(20_000, 4);
    for (const k of probe) expect(g.has(k)).toBe(f.has(k));
    expect([g.bits, g.hashes, g.hash, g.seed]).toEqual([f.bits, f.hashes, 'xxh64', 99n]);
  });

  it('union holds both sides; intersection holds what both hold', () => {
    const a = BloomFilter.create({ expectedItems: 2000, fpr: 0.01 });
    const b = BloomFilter.create({ expectedItems: 2000, fpr: 0.01 });
    const ka = keys32(1000, 10);
    const kb = keys32(1000, 11);
    a.addAll(ka);
    b.addAll(kb);
    b.addAll(ka.slice(0, 100));
    const u = a.union(b);
    for (const k of [...ka, ...kb]) expect(u.has(k)).toBe(true);
    const i = a.intersection(b);
    for (const k of ka.slice(0, 100)) expect(i.has(k)).toBe(true);
    expect(rate(i, kb)).toBeLessThan(0.1);
    expect(() => a.union(BloomFilter.create({ expectedItems: 2000, fpr: 0.01, seed: 1 }))).toThrow(
      RangeError,
    );
    expect(() => a.union(new BloomFilter({ bits: 64, hashes: 2 }))).toThrow(RangeError);
  });

  it('clone is independent', () => {
    const a = new BloomFilter({ bits: 1000, hashes: 3 });
    const c = a.clone();
    c.add(new Uint8Array([1]));
    expect(a.setBits()).toBe(0);
    expect(c.setBits()).toBeGreaterThan(0);
  });

  it('bloomFilter() sizes from the key count', () => {
    const ks = keys32(500, 5);
    const f = bloomFilter(ks, { fpr: 0.001, hash: 'digest' });
    expect(f.bits).toBe(bloomSize(500, 0.001).bits);
    for (const k of ks) expect(f.has(k)).toBe(true);
  });

  it('rejects bad arguments with TypeError/RangeError', () => {
    const f = new BloomFilter({ bits: 100, hashes: 3 });
    for (const [, bad] of notBytes) {
      expect(() => f.add(bad as Uint8Array)).toThrow(TypeError);
      expect(() => f.has(bad as Uint8Array)).toThrow(TypeError);
    }
    const d = new BloomFilter({ bits: 100, hashes: 3, hash: 'digest' });
    expect(() => d.add(new Uint8Array(15))).toThrow(/at least 16 bytes, got 15/);
    expect(() => new BloomFilter({ bits: 0, hashes: 3 })).toThrow(RangeError);
    expect(() => new BloomFilter({ bits: 2 ** 31 + 1, hashes: 3 })).toThrow(RangeError);
    expect(() => new BloomFilter({ bits: 10, hashes: 33 })).toThrow(RangeError);
    expect(() => new BloomFilter({ bits: 10, hashes: 3, hash: 'md5' as 'xxh64' })).toThrow(TypeError);
    expect(() => new BloomFilter(null as never)).toThrow(TypeError);
  });

  describe('fromBytes on hostile input', () => {
    const valid = fc
      .tuple(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 32 }),
        fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 20 }),
      )
      .map(([bits, hashes, ks]) => {
        const f = new BloomFilter({ bits, hashes });
        f.addAll(ks);
        return f.toBytes();
      });

    it('decodes or throws CodecError, never anything else (random and mutated bytes)', () => {
      fc.assert(
        fc.property(fc.oneof(garbage(200), mutated(valid)), (b) => {
          try {
            const f = BloomFilter.fromBytes(b);
            expect(equals(f.toBytes(), b)).toBe(true); // whatever is accepted is canonical
          } catch (e) {
            expect(isCodecError(e)).toBe(true);
          }
        }),
        { numRuns: 500 },
      );
    });

    it('checks the declared table length against the limit before allocating', () => {
      const b = new BloomFilter({ bits: 1 << 20, hashes: 3 }).toBytes();
      expect(() => BloomFilter.fromBytes(b, { maxTableBytes: 1000 })).toThrow(/maxTableBytes/);
      const lying = b.slice(0, 64);
      expect(() => BloomFilter.fromBytes(lying)).toThrow(expect.objectContaining({ code: 'unexpected_eof' }));
    });

    it('rejects set padding bits, bad k, reserved bytes, wrong kind and trailing bytes', () => {
      const good = new BloomFilter({ bits: 40, hashes: 3 }).toBytes();
      const pad = good.slice();
      pad[pad.length - 1] = 0x80;
      expect(() => BloomFilter.fromBytes(pad)).toThrow(expect.objectContaining({ code: 'invalid_value' }));
      const k0 = good.slice();
      k0[24] = 0;
      expect(() => BloomFilter.fromBytes(k0)).toThrow(expect.objectContaining({ code: 'out_of_range' }));
      const res = good.slice();
      res[26] = 1;
      expect(() => BloomFilter.fromBytes(res)).toThrow(expect.objectContaining({ code: 'invalid_value' }));
      const kind = good.slice();
      kind[5] = 2;
      expect(() => BloomFilter.fromBytes(kind)).toThrow(expect.objectContaining({ code: 'invalid_value' }));
      const tail = new Uint8Array(good.length + 1);
      tail.set(good);
      expect(() => BloomFilter.fromBytes(tail)).toThrow(expect.objectContaining({ code: 'trailing_bytes' }));
      expect(() => BloomFilter.fromBytes('x' as never)).toThrow(TypeError);
    });
  });
});
