// The figures the page should show, derived from a results fixture independently of src/model.ts.
import { readFileSync } from 'node:fs';
import type { BenchResults, HistoryEntry, ResultRow } from '../src/types.ts';

export interface ExpectedSeries {
  label: string;
  values: (number | null)[];
  rme?: (number | null)[];
}

export interface ExpectedChart {
  id: string;
  kind: 'overview' | 'speed' | 'ratio' | 'history';
  categories: string[];
  series: ExpectedSeries[];
}

const slug = (s: string) => s.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '');
const pkgOf = (name: string) => name.split('/')[0]!;
const labelOf = (name: string) => name.split('/').slice(1).join('/');
const uniq = <T>(xs: T[]) => [...new Set(xs)];
/** Peer libraries are keyed by package name (no spaces before an optional ` (note)`); others are baselines. */
const benchPackage = JSON.parse(
  readFileSync(new URL('./fixtures/bench-package.json', import.meta.url), 'utf8'),
) as { devDependencies: Record<string, string> };
const deps = Object.keys(benchPackage.devDependencies).filter(
  (d) => !d.startsWith('@syncwire/') && !d.startsWith('@types/'),
);
/** Peer libraries: the key's first word is a bench dependency (not one of ours). */
const isLibrary = (impl: string) => deps.includes(impl.split(' ')[0]!);

/** Every chart the fixture should produce, with the numbers it should be given. */
export function expectedCharts(results: BenchResults, history: HistoryEntry[]): ExpectedChart[] {
  const charts: ExpectedChart[] = [];
  const cases = uniq(results.rows.map((r) => r.name));
  const rowsOf = (c: string) => results.rows.filter((r) => r.name === c);
  const find = (c: string, impl: string) => results.rows.find((r) => r.name === c && r.impl === impl);
  const pkgs = uniq(cases.map(pkgOf));
  const vsFastest = new Map<string, number>();
  for (const pkg of pkgs) {
    const pcases = cases.filter((c) => pkgOf(c) === pkg);
    const rank = (i: string) => (i === 'syncwire' ? 0 : i.startsWith('syncwire ') ? 1 : isLibrary(i) ? 2 : 3);
    const seen = uniq(pcases.flatMap((c) => rowsOf(c).map((r) => r.impl)));
    const impls = [0, 1, 2, 3].flatMap((k) => seen.filter((i) => rank(i) === k));
    for (const unit of ['mbs', 'ops'] as const) {
      const group = pcases.filter(
        (c) => rowsOf(c).every((r) => (r.bytesPerOp ?? 0) > 0) === (unit === 'mbs'),
      );
      if (group.length === 0) continue;
      const gImpls = impls.filter((i) => group.some((c) => find(c, i)));
      const v = (r: ResultRow) => (unit === 'mbs' ? (r.hz * r.bytesPerOp!) / 1e6 : r.hz);
      charts.push({
        id: `chart-${slug(pkg)}-speed-${unit}`,
        kind: 'speed',
        categories: group.map(labelOf),
        series: gImpls.map((i) => ({
          label: i,
          values: group.map((c) => {
            const r = find(c, i);
            return r ? v(r) : null;
          }),
          rme: group.map((c) => find(c, i)?.rme ?? null),
        })),
      });
    }
    const compared = pcases.filter((c) => find(c, 'syncwire') && rowsOf(c).length > 1);
    if (compared.length > 0) {
      const peers = impls.filter((i) => i !== 'syncwire' && compared.some((c) => find(c, i)));
      charts.push({
        id: `chart-${slug(pkg)}-ratio`,
        kind: 'ratio',
        categories: compared.map(labelOf),
        series: peers.map((p) => ({
          label: p,
          values: compared.map((c) => {
            const peer = find(c, p);
            return peer ? find(c, 'syncwire')!.hz / peer.hz : null;
          }),
        })),
      });
      const logs = compared.map((c) => {
        const best = Math.max(
          ...rowsOf(c)
            .filter((r) => isLibrary(r.impl))
            .map((r) => r.hz),
        );
        return Math.log(find(c, 'syncwire')!.hz / best);
      });
      vsFastest.set(pkg, Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length));
    }
    const runs = [...history];
    const hcases = uniq(runs.flatMap((e) => Object.keys(e.hz).filter((n) => pkgOf(n) === pkg)));
    const ratioAt = (e: HistoryEntry, n: string): number | null => {
      const m = e.hz[n];
      if (!m || m.syncwire === undefined) return null;
      const peers = Object.entries(m).filter(([k]) => isLibrary(k));
      if (peers.length === 0) return null;
      return m.syncwire / Math.max(...peers.map(([, hz]) => hz));
    };
    const withData = hcases.filter((n) => runs.some((e) => ratioAt(e, n) !== null));
    const runsWithData = runs.filter((e) => withData.some((n) => ratioAt(e, n) !== null));
    if (runs.length >= 2 && withData.length > 0 && runsWithData.length >= 2)
      charts.push({
        id: `chart-${slug(pkg)}-history`,
        kind: 'history',
        categories: runs.map((e) => e.gitSha),
        series: withData.map((n) => ({ label: labelOf(n), values: runs.map((e) => ratioAt(e, n)) })),
      });
  }
  if (vsFastest.size > 0)
    charts.unshift({
      id: 'chart-overview',
      kind: 'overview',
      categories: [...vsFastest.keys()],
      series: [{ label: 'syncwire ÷ fastest peer', values: [...vsFastest.values()] }],
    });
  return charts;
}

/** The history the page should plot: fixture entries by date, then the latest run. */
export function expectedHistory(results: BenchResults, entries: HistoryEntry[]): HistoryEntry[] {
  const sorted = [...entries].sort((a, b) => a.date.localeCompare(b.date));
  const hz: HistoryEntry['hz'] = {};
  for (const r of results.rows) (hz[r.name] ??= {})[r.impl] = Number(r.hz.toPrecision(4));
  const { gitSha, date, node, cpu, mode } = results;
  return [...sorted, { schema: 1, gitSha, date, node, cpu, mode, hz }];
}
