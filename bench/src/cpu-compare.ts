// Development aid for a noisy shared machine: measures one case's impls by CPU time (not wall clock),
// each impl in rounds interleaved with the others, and prints medians and ratios.
// Usage: tsx src/cpu-compare.ts <case-name-regex> [rounds]
import { OURS } from './registry.ts';
import { loadCases } from './suites.ts';

const pattern = new RegExp(process.argv[2] ?? '.');
const rounds = Number(process.argv[3] ?? 7);

type Loop = (fn: () => unknown, n: number) => void;

/**
 * A fresh timing loop for one impl, like the function benchmark.js compiles for each benchmark: its own
 * feedback, so the call to `fn` stays monomorphic and V8 may inline the impl into it. One loop shared by
 * every impl would see them all, turn megamorphic and measure each impl as an out-of-line call instead.
 */
function makeLoop(): Loop {
  return new Function('fn', 'n', 'for (let i = 0; i < n; i++) fn();') as Loop;
}

function cpuRate(loop: Loop, fn: () => unknown, opsPerCall: number, budgetUs: number): number {
  const start = process.cpuUsage();
  let calls = 0;
  for (;;) {
    loop(fn, 20);
    calls += 20;
    const used = process.cpuUsage(start);
    const us = used.user + used.system;
    if (us >= budgetUs) return (calls * opsPerCall) / (us / 1e6);
  }
}

for (const c of await loadCases(pattern, false)) {
  const only = process.env.IMPLS?.split(',');
  const names = Object.keys(c.impls).filter((n) => !only || only.includes(n));
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const loops: Record<string, Loop> = Object.fromEntries(names.map((n) => [n, makeLoop()]));
  for (const n of names) cpuRate(loops[n]!, c.impls[n]!, 1, 100_000); // warm up
  for (let r = 0; r < rounds; r++) {
    for (const n of names) samples[n]!.push(cpuRate(loops[n]!, c.impls[n]!, c.opsPerCall ?? 1, 150_000));
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ours = med(samples[OURS]!);
  console.log(c.name);
  for (const n of names) {
    const m = med(samples[n]!);
    console.log(
      `  ${n.padEnd(22)} ${(m / 1e6).toFixed(2).padStart(9)} M ops/cpu-s  ratio ${(ours / m).toFixed(2)}x`,
    );
  }
}
