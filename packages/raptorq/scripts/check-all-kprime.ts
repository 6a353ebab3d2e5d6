// Builds the encoding plan of every K' in RFC 6330 Table 2 (all 477) and checks each solves: the encoding
// matrix is invertible for every K' (RFC 6330 §5.6) and the solver finds it so. Prints the largest u/K'.
// Run: npx tsx --conditions=@syncwire/source packages/raptorq/scripts/check-all-kprime.ts   (≈ 45 s)
import { clearPlanCache, encodingPlan } from '../src/block-encoder.ts';
import { systematicParams } from '../src/systematic.ts';
import { T2_KPRIME } from '../src/tables.generated.ts';

let n = 0;
const started = Date.now();
for (const kp of T2_KPRIME) {
  const plan = encodingPlan(systematicParams(kp)); // throws if the system does not solve
  clearPlanCache();
  n++;
  if (kp >= 821 && (kp === 821 || kp === 8194 || kp === 56403))
    console.log(`K'=${kp}: u = ${plan.inact.length}`);
}
console.log(`${n} of ${T2_KPRIME.length} K' values solve (${((Date.now() - started) / 1000).toFixed(1)} s)`);
