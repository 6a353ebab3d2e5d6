import type { BenchResults, HistoryEntry, ResultRow } from '../src/types.ts';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(where: string, what: string): never {
  throw new Error(`dashboard: ${where}: ${what}`);
}

function str(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(where, `"${key}" expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function finite(v: unknown, what: string, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, `${what} expected a finite number, got ${v}`);
  return v;
}

function numberMap(v: unknown, what: string, where: string): Record<string, number> {
  if (!isObject(v)) fail(where, `${what} expected an object of numbers`);
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(v)) out[k] = finite(n, `${what}.${k}`, where);
  return out;
}

function row(v: unknown, where: string): ResultRow {
  if (!isObject(v)) fail(where, 'expected an object');
  const name = str(v, 'name', where);
  if (name.split('/').length < 2) fail(where, `case name "${name}" is not <package>/<op>/<fixture>`);
  const out: ResultRow = {
    name,
    impl: str(v, 'impl', where),
    hz: finite(v.hz, 'hz', where),
    rme: finite(v.rme, 'rme', where),
    samples: finite(v.samples, 'samples', where),
  };
  if (out.hz <= 0) fail(where, `hz expected > 0, got ${out.hz}`);
  if (v.bytesPerOp !== undefined) out.bytesPerOp = finite(v.bytesPerOp, 'bytesPerOp', where);
  if (v.metrics !== undefined) out.metrics = numberMap(v.metrics, 'metrics', where);
  return out;
}

/** Checks a parsed results file against schema 1 (bench/src/run.ts) and returns it typed. */
export function validateResults(v: unknown, source: string): BenchResults {
  if (!isObject(v)) fail(source, 'expected a JSON object');
  if (v.schema !== 1) fail(source, `schema expected 1, got ${JSON.stringify(v.schema)}`);
  if (!Array.isArray(v.rows)) fail(source, '"rows" expected an array');
  return {
    schema: 1,
    node: str(v, 'node', source),
    cpu: str(v, 'cpu', source),
    date: str(v, 'date', source),
    gitSha: str(v, 'gitSha', source),
    mode: typeof v.mode === 'string' ? v.mode : 'quick',
    rows: v.rows.map((r, i) => row(r, `${source} rows[${i}]`)),
  };
}

/** Checks one parsed history file (see {@link HistoryEntry}). */
export function validateHistoryEntry(v: unknown, source: string): HistoryEntry {
  if (!isObject(v)) fail(source, 'expected a JSON object');
  if (v.schema !== 1) fail(source, `schema expected 1, got ${JSON.stringify(v.schema)}`);
  if (!isObject(v.hz)) fail(source, '"hz" expected an object');
  const hz: Record<string, Record<string, number>> = {};
  for (const [name, impls] of Object.entries(v.hz)) hz[name] = numberMap(impls, `hz["${name}"]`, source);
  return {
    schema: 1,
    gitSha: str(v, 'gitSha', source),
    date: str(v, 'date', source),
    node: str(v, 'node', source),
    cpu: str(v, 'cpu', source),
    mode: str(v, 'mode', source),
    hz,
  };
}
