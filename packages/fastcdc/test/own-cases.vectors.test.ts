import { createHash } from 'node:crypto';
import { type ChunkRef, chunk, cutPoints } from '@syncwire/fastcdc';
import { loadVectors, Prng, randomBytes } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type OracleOptions, oracleChunks } from './oracle.ts';

interface OwnCase {
  why: string;
  input: { prngSeed: number; length: number; sha256: string };
  options: Omit<OracleOptions, 'seed'> & { seed: string };
  chunks: [number, number, string][];
}

const own = loadVectors<{ cases: OwnCase[] }>(import.meta.url, 'own-cases.json');
const triples = (chunks: readonly ChunkRef[]) => chunks.map((c) => [c.offset, c.length, String(c.hash)]);

describe('own vectors (odd sizes, tiny inputs, levels, seeds; from the BigInt oracle)', () => {
  for (const c of own.cases) {
    it(`${c.why} (${c.input.length} bytes)`, () => {
      const data = randomBytes(c.input.length, c.input.prngSeed);
      expect(createHash('sha256').update(data).digest('hex')).toBe(c.input.sha256);
      for (const engine of ['js', 'wasm'] as const) {
        const got = chunk(data, { ...c.options, seed: BigInt(c.options.seed), hashes: true, engine });
        expect(triples(got)).toEqual(c.chunks);
      }
    });
  }

  it('an odd min can cut at min - 1 (v2020 starts hashing at byte min - 1)', () => {
    // GEAR[192] & MASKS[8] == 0 (the only such byte): with avg 256, level 0 (mask_s = MASKS[8]) and byte 192
    // at index 64 = min - 1, the very first hashed byte matches, so the chunk is 64 bytes long although min is
    // 65. v2016, which starts at min, cannot do that.
    const data = randomBytes(3000, 5);
    data[64] = 192;
    const o: OracleOptions = { min: 65, avg: 256, max: 1024, level: 0, seed: 0n, variant: 'v2020' };
    const got = chunk(data, { ...o, hashes: true });
    expect(got[0]!.length).toBe(64);
    expect(triples(got)).toEqual(oracleChunks(data, o).map((k) => [k.offset, k.length, k.hash.toString()]));
    expect(chunk(data, { ...o, variant: 'v2016' })[0]!.length).toBeGreaterThanOrEqual(65);
  });
});

describe('differential against the BigInt oracle', () => {
  const options = fc.record({
    min: fc.integer({ min: 64, max: 700 }),
    avgExtra: fc.integer({ min: 0, max: 3000 }),
    maxExtra: fc.integer({ min: 0, max: 5000 }),
    level: fc.integer({ min: 0, max: 3 }),
    seed: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
    variant: fc.constantFrom('v2020' as const, 'v2016' as const),
  });
  it('random sizes (odd and even), levels, seeds and variants give identical chunks and hashes', () => {
    fc.assert(
      fc.property(options, fc.integer({ min: 0, max: 30_000 }), fc.nat(), (o, length, seed) => {
        const avg = Math.max(256, o.min + o.avgExtra);
        const max = Math.max(1024, avg + o.maxExtra);
        const opts: OracleOptions = {
          min: o.min,
          avg,
          max,
          level: o.level,
          seed: o.seed,
          variant: o.variant,
        };
        const data = new Prng(seed).bytes(length);
        const want = oracleChunks(data, opts).map((k) => [k.offset, k.length, k.hash.toString()]);
        expect(triples(chunk(data, { ...opts, hashes: true }))).toEqual(want);
        expect(Array.from(cutPoints(data, opts))).toEqual(
          want.map((k) => (k[0] as number) + (k[1] as number)),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('low-entropy inputs (runs of one byte, short periods)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 3000 })), {
          maxLength: 12,
        }),
        fc.integer({ min: 0, max: 3 }),
        (runs, level) => {
          const data = Uint8Array.from(runs.flatMap(([b, n]) => new Array<number>(n).fill(b)));
          const opts: OracleOptions = { min: 127, avg: 511, max: 2047, level, seed: 0n, variant: 'v2020' };
          const want = oracleChunks(data, opts).map((k) => [k.offset, k.length, k.hash.toString()]);
          expect(triples(chunk(data, { ...opts, hashes: true }))).toEqual(want);
        },
      ),
      { numRuns: 40 },
    );
  });
});
