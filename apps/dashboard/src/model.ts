import { type BenchResults, type HistoryEntry, OURS, type ResultRow } from './types.ts';

/** Speeds of a case are plotted in MB/s when every impl records bytes per op, else in ops/s. */
export type Unit = 'MB/s' | 'ops/s';

/** One benchmark case: every impl's row for one `<package>/<op>/<fixture>`. */
export interface CaseView {
  name: string;
  /** `<op>/<fixture>`: the name without the package. */
  label: string;
  unit: Unit;
  /** syncwire, its variants, peer libraries, baselines; results order within each. */
  rows: ResultRow[];
  ours: ResultRow | undefined;
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
  /** Everything but syncwire: peer libraries and baselines. */
  peers: string[];
  /** Other syncwire configurations (see {@link isOursVariant}). */
  variants: string[];
  /** Peers whose key is not a package name nor a syncwire variant (see {@link isPeerLibrary}). */
  baselines: string[];
  speedGroups: SpeedGroup[];
  /** Union of the metrics keys of the package's rows, in order of first appearance. */
  metricKeys: string[];
  /** Geometric mean over cases of syncwire ÷ the fastest peer of that case; null without a comparison. */
  vsFastest: number | null;
}

const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/**
 * Whether an impl is a peer library: its key is an npm package name, optionally followed by a parenthetical
 * note (`merkletreejs (same sha256; not RFC 6962)`). Other keys (`bare 65536 sha256 calls`) are baselines:
 * charted and tabled like peers, but left out of the "vs fastest peer" headline.
 */
export function isPeerLibrary(impl: string): boolean {
  if (impl === OURS || isOursVariant(impl)) return false;
  const name = impl.split(' (')[0]!;
  return NPM_NAME.test(name);
}

/** Another syncwire configuration measured beside the main one (`syncwire stateless verifyInclusion`). */
export function isOursVariant(impl: string): boolean {
  return impl.startsWith(`${OURS} `);
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

/** The fastest peer library row of a case (undefined when the case has none; baselines do not count). */
export function fastestPeer(c: CaseView): ResultRow | undefined {
  let best: ResultRow | undefined;
  for (const r of c.rows) if (isPeerLibrary(r.impl) && (!best || r.hz > best.hz)) best = r;
  return best;
}

export function geomean(values: number[]): number | null {
  if (values.length === 0) return null;
  return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}

function unitOf(rows: ResultRow[]): Unit {
  return rows.every((r) => r.bytesPerOp !== undefined && r.bytesPerOp > 0) ? 'MB/s' : 'ops/s';
}

/** Groups a results file by package, then by case, keeping the order the suites ran in. */
export function buildPackages(results: BenchResults): PackageView[] {
  const byCase = new Map<string, ResultRow[]>();
  for (const r of results.rows) {
    const list = byCase.get(r.name);
    if (list) list.push(r);
    else byCase.set(r.name, [r]);
  }
  const byPkg = new Map<string, CaseView[]>();
  for (const [name, rows] of byCase) {
    const sorted = byRank(rows, (r) => r.impl);
    const c: CaseView = {
      name,
      label: name.split('/').slice(1).join('/'),
      unit: unitOf(rows),
      rows: sorted,
      ours: sorted.find((r) => r.impl === OURS),
    };
    const pkg = packageOf(name);
    const list = byPkg.get(pkg);
    if (list) list.push(c);
    else byPkg.set(pkg, [c]);
  }
  return [...byPkg].map(([name, cases]) => {
    const impls = byRank(unique(cases.flatMap((c) => c.rows.map((r) => r.impl))), (i) => i);
    const speedGroups: SpeedGroup[] = [];
    for (const unit of ['MB/s', 'ops/s'] as const) {
      const group = cases.filter((c) => c.unit === unit);
      if (group.length > 0) speedGroups.push({ unit, cases: group });
    }
    const ratios = cases.map((c) => ratio(c.ours, fastestPeer(c))).filter((r): r is number => r !== null);
    return {
      name,
      cases,
      impls,
      peers: impls.filter((i) => i !== OURS),
      variants: impls.filter(isOursVariant),
      baselines: impls.filter((i) => i !== OURS && !isOursVariant(i) && !isPeerLibrary(i)),
      speedGroups,
      metricKeys: unique(cases.flatMap((c) => c.rows.flatMap((r) => Object.keys(r.metrics ?? {})))),
      vsFastest: geomean(ratios),
    };
  });
}

/** syncwire, its variants, peer libraries, then baselines; stable within each rank. */
function byRank<T>(items: T[], impl: (t: T) => string): T[] {
  const rank = (i: string) => (i === OURS ? 0 : isOursVariant(i) ? 1 : isPeerLibrary(i) ? 2 : 3);
  return items
    .map((t, k) => ({ t, k, r: rank(impl(t)) }))
    .sort((a, b) => a.r - b.r || a.k - b.k)
    .map((x) => x.t);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** syncwire ÷ fastest peer for one case in one history entry, null when either is missing. */
export function historyRatio(entry: HistoryEntry, caseName: string): number | null {
  const impls = entry.hz[caseName];
  if (!impls) return null;
  const ours = impls[OURS];
  let best = 0;
  for (const [impl, hz] of Object.entries(impls)) if (isPeerLibrary(impl) && hz > best) best = hz;
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
