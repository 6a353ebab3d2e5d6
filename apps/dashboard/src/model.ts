import { type BenchResults, type HistoryEntry, OURS, type ResultRow } from './types.ts';

/** Speeds of a case are plotted in MB/s when every impl records bytes per op, else in ops/s. */
export type Unit = 'MB/s' | 'ops/s';

/** What an impl key stands for. */
export type ImplKind = 'ours' | 'variant' | 'library' | 'baseline';

const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/**
 * Sorts impl keys (bench/src/registry.ts: `syncwire`, then "peers by package name, with a parenthetical note
 * where the comparison needs one") into:
 * - `ours`: `syncwire`; `variant`: another syncwire configuration (`syncwire stateless verifyInclusion`);
 * - `library`: the key's first word is a package the benches depend on (`bloom-filters CuckooFilter (Buffer
 *   keys)`, `merkletreejs (same sha256…)`), other than an `@syncwire/*` one;
 * - `baseline`: anything else (`bare 65536 sha256 calls`, `@syncwire/bloom BloomFilter (reference)`): charted
 *   and tabled like a peer, but not a competitor in the "vs fastest peer" headline.
 * Without a dependency list (no bench/package.json), a key whose part before ` (` is one npm-style name counts
 * as a library.
 */
export class ImplKinds {
  readonly #libraries: ReadonlySet<string>;

  constructor(libraries: readonly string[] = []) {
    this.#libraries = new Set(libraries);
  }

  kind(impl: string): ImplKind {
    if (impl === OURS) return 'ours';
    if (impl.startsWith(`${OURS} `)) return 'variant';
    const first = impl.split(' ')[0]!;
    if (first.startsWith('@syncwire/')) return 'baseline';
    if (this.#libraries.size > 0) return this.#libraries.has(first) ? 'library' : 'baseline';
    return NPM_NAME.test(impl.split(' (')[0]!) ? 'library' : 'baseline';
  }

  isLibrary(impl: string): boolean {
    return this.kind(impl) === 'library';
  }

  /** ours, variants, libraries, baselines; stable within each rank. */
  rank<T>(items: T[], impl: (t: T) => string): T[] {
    const order: Record<ImplKind, number> = { ours: 0, variant: 1, library: 2, baseline: 3 };
    return items
      .map((t, k) => ({ t, k, r: order[this.kind(impl(t))] }))
      .sort((a, b) => a.r - b.r || a.k - b.k)
      .map((x) => x.t);
  }
}

/** One benchmark case: every impl's row for one `<package>/<op>/<fixture>`. */
export interface CaseView {
  name: string;
  /** `<op>/<fixture>`: the name without the package. */
  label: string;
  unit: Unit;
  /** syncwire, its variants, peer libraries, baselines; results order within each. */
  rows: ResultRow[];
  ours: ResultRow | undefined;
  /** The fastest peer library of the case (baselines and variants do not count). */
  fastest: ResultRow | undefined;
}

/** Cases of one package that share a unit, plotted in one chart. */
export interface SpeedGroup {
  unit: Unit;
  cases: CaseView[];
}

/** Everything shown for one package. */
export interface PackageView {
  name: string;
  cases: CaseView[];
  /** Same ranking as a case's rows, first appearance within each rank. */
  impls: string[];
  /** Every impl but syncwire itself. */
  peers: string[];
  /** By {@link ImplKinds}. */
  variants: string[];
  libraries: string[];
  baselines: string[];
  speedGroups: SpeedGroup[];
  /** Union of the metrics keys of the package's rows, in order of first appearance. */
  metricKeys: string[];
  /** Geometric mean over cases of syncwire ÷ the fastest peer library of that case; null without one. */
  vsFastest: number | null;
}

/** The package part of a case name. */
export function packageOf(caseName: string): string {
  return caseName.split('/')[0] ?? caseName;
}

/** Plotted speed of a row: MB/s (hz × bytesPerOp / 10⁶) or ops/s. */
export function speed(row: ResultRow, unit: Unit): number {
  return unit === 'MB/s' ? (row.hz * (row.bytesPerOp ?? 0)) / 1e6 : row.hz;
}

/** syncwire's speed over a peer's: > 1 means syncwire is faster (same definition as bench/src/table.ts). */
export function ratio(ours: ResultRow | undefined, peer: ResultRow | undefined): number | null {
  return ours && peer ? ours.hz / peer.hz : null;
}

export function geomean(values: number[]): number | null {
  if (values.length === 0) return null;
  return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}

function unitOf(rows: ResultRow[]): Unit {
  return rows.every((r) => r.bytesPerOp !== undefined && r.bytesPerOp > 0) ? 'MB/s' : 'ops/s';
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** Groups a results file by package, then by case, keeping the order the suites ran in. */
export function buildPackages(results: BenchResults, kinds: ImplKinds): PackageView[] {
  const byCase = new Map<string, ResultRow[]>();
  for (const r of results.rows) {
    const list = byCase.get(r.name);
    if (list) list.push(r);
    else byCase.set(r.name, [r]);
  }
  const byPkg = new Map<string, CaseView[]>();
  for (const [name, rows] of byCase) {
    const sorted = kinds.rank(rows, (r) => r.impl);
    let fastest: ResultRow | undefined;
    for (const r of sorted) if (kinds.isLibrary(r.impl) && (!fastest || r.hz > fastest.hz)) fastest = r;
    const c: CaseView = {
      name,
      label: name.split('/').slice(1).join('/'),
      unit: unitOf(rows),
      rows: sorted,
      ours: sorted.find((r) => r.impl === OURS),
      fastest,
    };
    const pkg = packageOf(name);
    const list = byPkg.get(pkg);
    if (list) list.push(c);
    else byPkg.set(pkg, [c]);
  }
  return [...byPkg].map(([name, cases]) => {
    const impls = kinds.rank(unique(cases.flatMap((c) => c.rows.map((r) => r.impl))), (i) => i);
    const speedGroups: SpeedGroup[] = [];
    for (const unit of ['MB/s', 'ops/s'] as const) {
      const group = cases.filter((c) => c.unit === unit);
      if (group.length > 0) speedGroups.push({ unit, cases: group });
    }
    const ratios = cases.map((c) => ratio(c.ours, c.fastest)).filter((r): r is number => r !== null);
    const of = (k: string) => impls.filter((i) => kinds.kind(i) === k);
    return {
      name,
      cases,
      impls,
      peers: impls.filter((i) => i !== OURS),
      variants: of('variant'),
      libraries: of('library'),
      baselines: of('baseline'),
      speedGroups,
      metricKeys: unique(cases.flatMap((c) => c.rows.flatMap((r) => Object.keys(r.metrics ?? {})))),
      vsFastest: geomean(ratios),
    };
  });
}

/** syncwire ÷ fastest peer library for one case in one history entry, null when either is missing. */
export function historyRatio(entry: HistoryEntry, caseName: string, kinds: ImplKinds): number | null {
  const impls = entry.hz[caseName];
  if (!impls) return null;
  const ours = impls[OURS];
  let best = 0;
  for (const [impl, hz] of Object.entries(impls)) if (kinds.isLibrary(impl) && hz > best) best = hz;
  return ours !== undefined && best > 0 ? ours / best : null;
}

/** The case names of one package across the history, in first-seen order. */
export function historyCases(history: HistoryEntry[], pkg: string): string[] {
  return unique(history.flatMap((e) => Object.keys(e.hz).filter((n) => packageOf(n) === pkg)));
}

/** Every package named in the latest results or the history, latest's order first. */
export function allPackages(latest: BenchResults | null, history: HistoryEntry[]): string[] {
  return unique([
    ...(latest?.rows.map((r) => packageOf(r.name)) ?? []),
    ...history.flatMap((e) => Object.keys(e.hz).map(packageOf)),
  ]);
}
