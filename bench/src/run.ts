import { execSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Benchmark from 'benchmark';
import { type CaseSpec, OURS } from './registry.ts';
import { loadCases, suiteFiles } from './suites.ts';
import { printCase, type Row } from './table.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const full = args.includes('--full');
const childIndex = args.indexOf('--child');
const childSuite = childIndex >= 0 ? args[childIndex + 1] : undefined;
const pattern = args.find((a, i) => !a.startsWith('--') && (childIndex < 0 || i !== childIndex + 1));
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

/**
 * Child mode: run one suite file's cases and write their rows to the file named by SYNCWIRE_BENCH_ROWS.
 * Each suite runs in its own process so one package's fixtures, GC state and JIT feedback (a shared
 * dependency warmed up on other data) cannot skew another's numbers; within a case, syncwire and its
 * peers still share one process.
 */
async function runChild(file: string): Promise<void> {
  const cases = await loadCases(filter, full, [file]);
  const rows: Row[] = [];
  for (const spec of cases) {
    if (!(OURS in spec.impls)) throw new Error(`bench: case ${spec.name} has no ${OURS} impl`);
    const caseRows = Object.entries(spec.impls).map(([impl, fn]) => measure(spec, impl, fn));
    printCase(caseRows);
    rows.push(...caseRows);
  }
  writeFileSync(process.env.SYNCWIRE_BENCH_ROWS!, JSON.stringify(rows));
}

if (childSuite !== undefined) {
  await runChild(childSuite);
  process.exit(0);
}

const files = suiteFiles(filter);
console.log(
  `syncwire bench — ${full ? 'full' : 'quick'} mode, ${files.length} suites, node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu?'}`,
);
console.log('ratio = syncwire speed / that impl; > 1 means syncwire is faster. Same process, same run.\n');
const tmp = mkdtempSync(join(os.tmpdir(), 'syncwire-bench-'));
const rows: Row[] = [];
let failed = 0;
for (const file of files) {
  const rowsFile = join(tmp, `${file}.json`);
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), ...args, '--child', file],
    {
      stdio: 'inherit',
      env: { ...process.env, SYNCWIRE_BENCH_ROWS: rowsFile },
    },
  );
  if (child.status !== 0) {
    failed++;
    console.error(`bench: suite ${file} failed (exit ${child.status ?? child.signal})`);
    continue;
  }
  rows.push(...(JSON.parse(readFileSync(rowsFile, 'utf8')) as Row[]));
}
rmSync(tmp, { recursive: true, force: true });
if (rows.length === 0) {
  console.error(`bench: no case matches ${pattern ?? '(all)'}`);
  process.exit(1);
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
if (failed > 0) process.exit(1);
