import { equals, isCodecError } from '@syncwire/bytes';
import { CuckooFilter, cuckooFilter, cuckooFingerprintBits, cuckooLog2Buckets } from '@syncwire/cuckoo';
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

/** Fills `f` with fresh keys until the first insert runs out of evictions; returns the keys added. */
function fillUntilVictim(f: CuckooFilter, seed: number): Uint8Array[] {
  const added: Uint8Array[] = [];
  let refused = 0;
  for (const k of keys32(f.buckets * 4 + 16, seed)) {
    if (f.add(k)) added.push(k);
    else refused++;
    if (f.hasVictim) break;
  }
  expect(refused).toBe(0);
  return added;
}

/** False-positive rate over `n` fresh random 32-byte non-members, generated one at a time into one buffer. */
function freshRate(f: { has(k: Uint8Array): boolean }, n: number, seed: number): number {
  const prng = new Prng(seed);
  const buf = new Uint8Array(32);
  let hits = 0;
  for (let i = 0; i < n; i++) if (f.has(prng.fill(buf))) hits++;
  return hits / n;
}

const NON_MEMBERS = keys32(1_000_000, 0xc0c0);

describe('sizing', () => {
  it('picks the smallest supported fingerprint ≥ log2(2b/ε)', () => {
    expect(cuckooFingerprintBits(0.03125)).toBe(8);
    expect(cuckooFingerprintBits(0.03)).toBe(12);
    expect(cuckooFingerprintBits(0.01)).toBe(12);
    expect(cuckooFingerprintBits(0.001)).toBe(16);
    expect(() => cuckooFingerprintBits(1e-5)).toThrow(RangeError);
  });
  it('uses a power-of-two bucket count planned for 95 % load', () => {
    expect(cuckooLog2Buckets(1_000_000)).toBe(19);
    expect(cuckooLog2Buckets(996_000)).toBe(18);
    expect(cuckooLog2Buckets(1)).toBe(0);
    expect(() => cuckooLog2Buckets(0)).toThrow(RangeError);
  });
});

describe('CuckooFilter', () => {
  it('has no false negatives for any inserted set (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 16, maxLength: 40 }), { maxLength: 300 }),
        fc.constantFrom(8, 12, 16),
        fc.constantFrom('digest' as const, 'xxh64' as const),
        (ks, fingerprintBits, hash) => {
          const f = new CuckooFilter({
            capacity: Math.max(1, ks.length),
            fingerprintBits: fingerprintBits as 8,
            hash,
          });
          const stored = ks.filter((k) => f.add(k));
          for (const k of stored) expect(f.has(k)).toBe(true);
          const g = CuckooFilter.fromBytes(f.toBytes());
          for (const k of stored) expect(g.has(k)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('deletes after insert and inserts after delete, without disturbing other keys (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uint8Array({ minLength: 16, maxLength: 16 }), {
          maxLength: 200,
          comparator: (a, b) => equals(a, b),
        }),
        fc.array(fc.boolean(), { maxLength: 200 }),
        (ks, remove) => {
          const f = new CuckooFilter({ capacity: 256, fingerprintBits: 16, hash: 'digest' });
          for (const k of ks) expect(f.add(k)).toBe(true);
          const gone = ks.filter((_, i) => remove[i]);
          const kept = ks.filter((_, i) => !remove[i]);
          for (const k of gone) expect(f.delete(k)).toBe(true);
          for (const k of kept) expect(f.has(k)).toBe(true);
          expect(f.count).toBe(kept.length);
          for (const k of gone) expect(f.add(k)).toBe(true);
          for (const k of ks) expect(f.has(k)).toBe(true);
          expect(f.count).toBe(ks.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps duplicates as separate copies', () => {
    const f = new CuckooFilter({ capacity: 100 });
    const k = new Uint8Array([1, 2, 3]);
    f.add(k);
    f.add(k);
    expect(f.delete(k)).toBe(true);
    expect(f.has(k)).toBe(true);
    expect(f.delete(k)).toBe(true);
    expect(f.count).toBe(0);
  });

  for (const fingerprintBits of [8, 12, 16] as const) {
    it(`reaches ≥ 95 % load before the first failed insert, then fails without losing anything (f = ${fingerprintBits})`, () => {
      const f = new CuckooFilter({ log2Buckets: 14, fingerprintBits, hash: 'digest' });
      const added = fillUntilVictim(f, fingerprintBits);
      expect(f.load).toBeGreaterThanOrEqual(0.95);
      // full now: further adds may fail, but report it, and every stored key stays visible
      let failed = 0;
      for (const k of keys32(2000, 99)) {
        if (f.add(k)) added.push(k);
        else failed++;
      }
      expect(failed).toBeGreaterThan(0);
      expect(added.filter((k) => !f.has(k))).toEqual([]);
      expect(f.count).toBe(added.length);
      // the victim survives serialisation, and deleting frees room again
      const g = CuckooFilter.fromBytes(f.toBytes());
      expect(g.hasVictim).toBe(true);
      expect(added.filter((k) => !g.has(k))).toEqual([]);
      let deleted = 0;
      for (const k of added.slice(0, 2000)) if (g.delete(k)) deleted++;
      expect(deleted).toBe(2000);
      expect(g.hasVictim).toBe(false);
      let missing = 0;
      for (const k of added.slice(2000)) if (!g.has(k)) missing++;
      expect(missing).toBe(0);
    });
  }

  for (const [fingerprintBits, samples] of [
    [8, 1_000_000],
    [12, 1_000_000],
    [16, 8_000_000],
  ] as const) {
    it(`measured FPR at ~95 % load is within 10 % of 2b/2^f (f = ${fingerprintBits}, ${samples} non-members)`, () => {
      const f = new CuckooFilter({ log2Buckets: 16, fingerprintBits, hash: 'digest', maxKicks: 2000 });
      fillUntilVictim(f, 1000 + fingerprintBits);
      const bound = f.fprBound;
      const measured = freshRate(f, samples, 0xf00d + fingerprintBits);
      expect(Math.abs(measured - bound) / bound).toBeLessThan(0.1);
    });
  }

  for (const fpr of [0.01, 0.001]) {
    it(`stays under a ${fpr} target over 10^6 non-members when full`, () => {
      const f = new CuckooFilter({ capacity: 50_000, fpr });
      const ks = keys32(50_000, 77);
      expect(f.addAll(ks)).toBe(ks.length);
      expect(rate(f, NON_MEMBERS)).toBeLessThan(fpr);
    });
  }

  it('fromBytes(toBytes(f)) answers identically and re-encodes to the same bytes (every width)', () => {
    for (const fingerprintBits of [8, 12, 16] as const) {
      const f = new CuckooFilter({ capacity: 3000, fingerprintBits, seed: 0xdeadbeefn });
      f.addAll(keys32(3000, fingerprintBits));
      const b = f.toBytes();
      expect(b.length).toBe(20 + 16 + (f.buckets * 4 * fingerprintBits) / 8);
      const g = CuckooFilter.fromBytes(b);
      expect(equals(g.toBytes(), b)).toBe(true);
      for (const k of keys32(20_000, 5)) expect(g.has(k)).toBe(f.has(k));
      expect([g.count, g.seed, g.fingerprintBits]).toEqual([f.count, 0xdeadbeefn, fingerprintBits]);
    }
  });

  it('cuckooFilter() builds from keys', () => {
    const ks = keys32(1000, 8);
    const f = cuckooFilter(ks, { fpr: 0.001, hash: 'digest' });
    expect(f.fingerprintBits).toBe(16);
    for (const k of ks) expect(f.has(k)).toBe(true);
  });

  it('rejects bad arguments', () => {
    const f = new CuckooFilter({ capacity: 10 });
    for (const [, bad] of notBytes) {
      expect(() => f.add(bad as Uint8Array)).toThrow(TypeError);
      expect(() => f.has(bad as Uint8Array)).toThrow(TypeError);
      expect(() => f.delete(bad as Uint8Array)).toThrow(TypeError);
    }
    expect(() => new CuckooFilter({})).toThrow(TypeError);
    expect(() => new CuckooFilter({ log2Buckets: 29 })).toThrow(RangeError);
    expect(() => new CuckooFilter({ capacity: 10, fingerprintBits: 10 as 8 })).toThrow(RangeError);
    expect(() => new CuckooFilter({ capacity: 10, maxKicks: -1 })).toThrow(RangeError);
    expect(() => new CuckooFilter({ capacity: 10, hash: 'digest' }).add(new Uint8Array(8))).toThrow(
      RangeError,
    );
  });

  describe('fromBytes on hostile input', () => {
    const valid = fc
      .tuple(
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(8, 12, 16),
        fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 40 }),
      )
      .map(([log2Buckets, fingerprintBits, ks]) => {
        const f = new CuckooFilter({ log2Buckets, fingerprintBits: fingerprintBits as 8, maxKicks: 5 });
        for (const k of ks) f.add(k);
        return f.toBytes();
      });

    it('decodes or throws CodecError, never anything else; what decodes is canonical', () => {
      fc.assert(
        fc.property(fc.oneof(garbage(200), mutated(valid)), (b) => {
          try {
            expect(equals(CuckooFilter.fromBytes(b).toBytes(), b)).toBe(true);
          } catch (e) {
            expect(isCodecError(e)).toBe(true);
          }
        }),
        { numRuns: 1000 },
      );
    });

    it('rejects a wrong count, a bad victim, bad widths and oversized tables', () => {
      const f = new CuckooFilter({ log2Buckets: 2, fingerprintBits: 8 });
      f.add(new Uint8Array([1]));
      const good = f.toBytes();
      const code = (b: Uint8Array, o?: { maxTableBytes: number }) => {
        try {
          CuckooFilter.fromBytes(b, o);
          return 'ok';
        } catch (e) {
          return isCodecError(e) ? e.code : String(e);
        }
      };
      const at = (i: number, v: number) => {
        const b = good.slice();
        b[i] = v;
        return b;
      };
      expect(code(good)).toBe('ok');
      expect(code(at(32, 2))).toBe('invalid_value'); // count
      expect(code(at(24, 1))).toBe('invalid_value'); // victim fp without flag
      expect(code(at(23, 1))).toBe('invalid_value'); // flag without victim fp
      expect(code(at(21, 10))).toBe('out_of_range');
      expect(code(at(20, 29))).toBe('out_of_range');
      expect(code(at(22, 2))).toBe('out_of_range');
      expect(code(at(20, 3))).toBe('invalid_value'); // table size no longer matches
      expect(code(good, { maxTableBytes: 8 })).toBe('limit_exceeded');
    });
  });
});
