import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Benchmark from 'benchmark';
import { type CaseSpec, OURS } from './registry.ts';
import { loadCases } from './suites.ts';
import { printCase, type Row } from './table.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const full = args.includes('--full');
const pattern = args.find((a) => !a.startsWith('--'));
const filter = pattern ? new RegExp(pattern) : null;

/** Runs one impl with benchmark.js and returns its row, hz scaled to single operations. */
function measure(spec: CaseSpec, impl: string, fn: () => unknown): Row {
  const opsPerCall = spec.opsPerCall ?? 1;
  fn(); // warm up and surface errors before sampling
  const bench = new Benchmark(`${spec.name} ${impl}`, fn, {
    maxTime: full ? 3 : 0.4,
    minSamples: full ? 20 : 5,
    initCount: 1,
  });
  bench.run({ async: false });
  const b = bench as unknown as Benchmark & { error?: Error };
  if (b.error) throw b.error;
  const row: Row = {
    name: spec.name,
    impl,
    hz: b.hz * opsPerCall,
    rme: b.stats.rme,
    samples: b.stats.sample.length,
  };
  if (spec.bytesPerOp !== undefined) row.bytesPerOp = spec.bytesPerOp;
  const metrics = spec.metrics?.[impl];
  if (metrics) row.metrics = metrics;
  return row;
}

function gitSha(): string {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

const cases = await loadCases(filter, full);
if (cases.length === 0) {
  console.error(`bench: no case matches ${pattern ?? '(all)'}`);
  process.exit(1);
}
console.log(
  `syncwire bench — ${full ? 'full' : 'quick'} mode, ${cases.length} cases, node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu?'}`,
);
console.log('ratio = syncwire speed / that impl; > 1 means syncwire is faster. Same process, same run.\n');
const rows: Row[] = [];
for (const spec of cases) {
  if (!(OURS in spec.impls)) throw new Error(`bench: case ${spec.name} has no ${OURS} impl`);
  const caseRows = Object.entries(spec.impls).map(([impl, fn]) => measure(spec, impl, fn));
  printCase(caseRows);
  rows.push(...caseRows);
}
const result = {
  schema: 1,
  node: process.version,
  cpu: `${os.cpus()[0]?.model ?? 'unknown'} x${os.cpus().length}`,
  date: new Date().toISOString(),
  gitSha: gitSha(),
  mode: full ? 'full' : 'quick',
  rows,
};
const outDir = join(here, '..', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote bench/results/latest.json (${rows.length} rows)`);
