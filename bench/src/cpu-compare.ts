// Development aid for a noisy shared machine: measures one case's impls by CPU time (not wall clock),
// each impl in rounds interleaved with the others, and prints medians and ratios.
// Usage: tsx src/cpu-compare.ts <case-name-regex> [rounds]
import { OURS } from './registry.ts';
import { loadCases } from './suites.ts';

const pattern = new RegExp(process.argv[2] ?? '.');
const rounds = Number(process.argv[3] ?? 7);

function cpuRate(fn: () => unknown, opsPerCall: number, budgetUs: number): number {
  const start = process.cpuUsage();
  let calls = 0;
  for (;;) {
    for (let i = 0; i < 20; i++) fn();
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
  for (const n of names) cpuRate(c.impls[n]!, 1, 100_000); // warm up
  for (let r = 0; r < rounds; r++) {
    for (const n of names) samples[n]!.push(cpuRate(c.impls[n]!, c.opsPerCall ?? 1, 150_000));
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
