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

/**
 * Sampling (benchmark.js: samples of at least `minTime`, taken until there are `minSamples` and then until
 * `maxTime` more has passed; its rme uses the t-distribution, so it widens with few samples).
 * Quick, the default, is an overview in about a minute: each impl is first called for `warmup` seconds so
 * its samples start with the JIT settled (without that the first samples read slow and, with so few, pull
 * the mean down), then sampled 4 × ≥ 0.05 s + 0.1 s (about 0.5 s per row); an impl whose first call took
 * ≥ 0.1 s gets 3 one-call samples (and no further warm-up). A `minTime` of 0.025 s read ~15 % slow (each
 * sample compiles a fresh loop), so it stays at 0.05. Quick and full ratios agree within the machine's
 * noise (±10 % here). `--full` samples 20 × 0.05 s + 3 s per impl (5 one-call samples + 3 s for a slow one: the 1 M-item peers
 * take 5–40 s a call), and the issues' floors are judged on it.
 */
const SAMPLING = full
  ? { warmup: 0.2, maxTime: 3, minTime: 0.05, minSamples: 20, slowMinSamples: 5 }
  : { warmup: 0.05, maxTime: 0.1, minTime: 0.05, minSamples: 4, slowMinSamples: 3 };
const SLOW_CALL_S = 0.1;

/** Seconds the current suite spent in first (warm-up) calls, which also build lazy fixtures. */
let firstCallSeconds = 0;

/** Runs one impl with benchmark.js and returns its row, hz scaled to single operations. */
function measure(spec: CaseSpec, impl: string, fn: () => unknown): Row {
  const opsPerCall = spec.opsPerCall ?? 1;
  const t0 = performance.now();
  fn(); // surface errors (and build lazy fixtures) before sampling
  const first = (performance.now() - t0) / 1000;
  firstCallSeconds += first;
  if (first < SLOW_CALL_S) {
    const until = performance.now() + SAMPLING.warmup * 1000;
    while (performance.now() < until) fn();
  }
  const bench = new Benchmark(`${spec.name} ${impl}`, fn, {
    maxTime: SAMPLING.maxTime,
    minTime: SAMPLING.minTime,
    minSamples: first >= SLOW_CALL_S ? SAMPLING.slowMinSamples : SAMPLING.minSamples,
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
  const started = performance.now();
  const cases = await loadCases(filter, full, [file]);
  const rows: Row[] = [];
  for (const spec of cases) {
    if (!(OURS in spec.impls)) throw new Error(`bench: case ${spec.name} has no ${OURS} impl`);
    const caseRows = Object.entries(spec.impls).map(([impl, fn]) => measure(spec, impl, fn));
    printCase(caseRows);
    rows.push(...caseRows);
  }
  writeFileSync(process.env.SYNCWIRE_BENCH_ROWS!, JSON.stringify(rows));
  // Where a suite's time goes: a long first-call share means fixtures built lazily on the first call.
  const secs = (performance.now() - started) / 1000;
  console.log(
    `(${file}: ${secs.toFixed(1)} s, ${rows.length} rows, first calls ${firstCallSeconds.toFixed(1)} s)\n`,
  );
}

if (childSuite !== undefined) {
  await runChild(childSuite);
  process.exit(0);
}

const files = suiteFiles(filter);
console.log(
  `syncwire bench — ${full ? 'full mode (issue-sized fixtures, long sampling)' : 'quick mode (an overview; --full for the issue-sized fixtures and floors)'}, ${files.length} suites, node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu?'}`,
);
console.log('ratio = syncwire speed / that impl; > 1 means syncwire is faster. Same process, same run.\n');
const runStarted = performance.now();
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
console.log(
  `wrote bench/results/latest.json (${rows.length} rows; suites took ${((performance.now() - runStarted) / 1000).toFixed(0)} s)`,
);
if (failed > 0) process.exit(1);
