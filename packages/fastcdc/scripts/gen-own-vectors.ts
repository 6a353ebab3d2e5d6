/**
 * Regenerates test/vectors/own-cases.json: cut points for odd and non-power-of-two sizes, every level, seeds,
 * tiny inputs and both variants, computed by the naive BigInt transliteration in test/oracle.ts (not by src/).
 * Inputs are testkit `randomBytes(length, seed)`; their SHA-256 is recorded so a PRNG change cannot go unnoticed.
 * Run: `npx tsx --conditions=@syncwire/source packages/fastcdc/scripts/gen-own-vectors.ts`.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from '@syncwire/testkit';
import { type OracleOptions, oracleChunks } from '../test/oracle.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Spec {
  why: string;
  length: number;
  seed: number;
  options: OracleOptions;
}

const base = { level: 1, seed: 0n, variant: 'v2020' as const };
const specs: Spec[] = [];
const add = (
  why: string,
  length: number,
  seed: number,
  o: Partial<OracleOptions> & Pick<OracleOptions, 'min' | 'avg' | 'max'>,
) => specs.push({ why, length, seed, options: { ...base, ...o } });

// Odd limits: v2020 starts hashing at min - 1, switches masks at avg - 1 and never hashes byte max - 1.
add('odd min, avg and max', 300_000, 11, { min: 4095, avg: 16383, max: 65535 });
add('odd min only', 300_000, 12, { min: 4097, avg: 16384, max: 65536 });
add('odd avg only', 300_000, 13, { min: 4096, avg: 16385, max: 65536 });
add('odd max only, small', 200_000, 14, { min: 1000, avg: 2000, max: 3001 });
add('odd everything, tiny sizes', 50_000, 15, { min: 65, avg: 257, max: 1025 });
add('non-power-of-two avg 1100 (log2 rounds to 10)', 100_000, 16, { min: 275, avg: 1100, max: 4400 });
add('non-power-of-two avg 1500 (log2 rounds to 11)', 100_000, 17, { min: 375, avg: 1500, max: 6000 });
add('non-power-of-two avg 12288 (log2 rounds to 14)', 300_000, 18, { min: 3072, avg: 12288, max: 49152 });
add('non-power-of-two avg 24576 (log2 rounds to 15)', 400_000, 19, { min: 6144, avg: 24576, max: 98304 });
add('min = avg = max', 20_000, 20, { min: 1024, avg: 1024, max: 1024 });
add('min = avg', 100_000, 21, { min: 2048, avg: 2048, max: 8192 });
add('avg = max', 100_000, 22, { min: 512, avg: 4096, max: 4096 });
for (const level of [0, 1, 2, 3]) {
  add(`level ${level}, smallest sizes (masks ${8 + level} / ${8 - level})`, 60_000, 30 + level, {
    min: 64,
    avg: 256,
    max: 1024,
    level,
  });
  add(`level ${level}, large avg (masks ${22 + level} / ${22 - level})`, 1_000_000, 40 + level, {
    min: 65536,
    avg: 4_194_304,
    max: 16_777_216,
    level,
  });
}
add('seed 666, odd sizes', 200_000, 50, { min: 2047, avg: 8191, max: 32767, seed: 666n });
add('seed 2^64 - 1', 200_000, 51, { min: 2048, avg: 8192, max: 32768, seed: (1n << 64n) - 1n });
for (const n of [0, 1, 2, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1023, 1024, 1025, 2047, 2048, 2049]) {
  add(`tiny input of ${n} bytes`, n, 60 + n, { min: 64, avg: 256, max: 1024 });
  add(`tiny input of ${n} bytes, odd limits`, n, 90 + n, { min: 65, avg: 257, max: 1025 });
}
for (const v of ['v2016'] as const) {
  add('v2016 odd min, avg and max', 300_000, 70, { min: 4095, avg: 16383, max: 65535, variant: v });
  add('v2016 tiny sizes, level 3', 60_000, 71, { min: 64, avg: 256, max: 1024, level: 3, variant: v });
  add('v2016 seed 666', 200_000, 72, { min: 4096, avg: 16384, max: 65536, seed: 666n, variant: v });
  add('v2016 tiny input 1025 bytes', 1025, 73, { min: 65, avg: 257, max: 1025, variant: v });
}

const cases = specs.map((s) => {
  const data = randomBytes(s.length, s.seed);
  const chunks = oracleChunks(data, s.options);
  return {
    why: s.why,
    input: { prngSeed: s.seed, length: s.length, sha256: createHash('sha256').update(data).digest('hex') },
    options: { ...s.options, seed: s.options.seed.toString() },
    chunks: chunks.map((c) => [c.offset, c.length, c.hash.toString()]),
  };
});

writeFileSync(
  `${root}test/vectors/own-cases.json`,
  `${JSON.stringify(
    {
      about:
        'syncwire vectors for cases the crate tests do not cover. Computed by test/oracle.ts, a literal BigInt transliteration of fastcdc-rs 4.0.1 cut() (v2020 pair loop and v2016), not by the package. Input = @syncwire/testkit randomBytes(length, prngSeed). chunks: [offset, length, gear hash as decimal string].',
      cases,
    },
    null,
    1,
  )}\n`,
);
console.log(`wrote ${cases.length} cases`);
