// Measures how often a block fails to decode from exactly K, K + 1 and K + 2 random distinct symbols (random
// ESIs over the whole 24-bit space, so almost all are repair symbols). Decoding fails exactly when the
// constraint matrix has rank < L, which the plan builder reports without symbol work.
// Run: npx tsx --conditions=@syncwire/source packages/raptorq/scripts/failure-rates.ts
import { Prng } from '@syncwire/testkit';
import { buildPlan } from '../src/solver.ts';
import { systematicParams } from '../src/systematic.ts';

const cases: [number, number][] = [
  [10, 10000],
  [101, 10000],
  [1002, 2000],
];
for (const [k, trials] of cases) {
  const p = systematicParams(k);
  const rng = new Prng(0x5eed + k);
  const fails = [0, 0, 0];
  for (let t = 0; t < trials; t++) {
    for (let extra = 0; extra <= 2; extra++) {
      const isis = new Set<number>();
      while (isis.size < k + extra) {
        const esi = rng.below(1 << 24);
        isis.add(esi < k ? esi : esi + p.Kp - k);
      }
      if (!buildPlan(p, Int32Array.from(isis))) fails[extra]!++;
    }
  }
  console.log(`| ${k} | ${fails[0]}/${trials} | ${fails[1]}/${trials} | ${fails[2]}/${trials} |`);
}
