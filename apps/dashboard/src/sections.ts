import { barChart } from './charts/bar-chart.ts';
import { lineChart } from './charts/line-chart.ts';
import type { ChartData, Charts } from './charts/registry.ts';
import type { ImplColors } from './charts/theme-colors.ts';
import { h, slug } from './dom.ts';
import { fmtDate, fmtMetric, fmtOps, fmtRatio, fmtRme, fmtScaled, fmtSpeed, metricLabel } from './format.ts';
import {
  type CaseView,
  fastestPeer,
  historyCases,
  historyRatio,
  isOursVariant,
  isPeerLibrary,
  type PackageView,
  ratio,
  type SpeedGroup,
  speed,
} from './model.ts';
import { dataTable } from './table.ts';
import { type HistoryEntry, OURS, type ResultRow } from './types.ts';

const CHART_HEIGHT = 300;

function ratioClass(r: number | null): string | null {
  if (r === null) return null;
  return r >= 1.05 ? 'good' : r <= 0.95 ? 'bad' : 'even';
}

/** A chart figure: title, note, HTML legend and the canvas mount, described by the table beside it. */
function figure(
  id: string,
  title: string,
  note: string,
  legend: { label: string; impl?: string }[],
  tableId: string,
): { figure: HTMLElement; mount: HTMLElement; legend: HTMLElement } {
  const legendEl = h('ul', { class: 'legend', 'aria-hidden': 'true' });
  const mount = h('div', {
    class: 'chart',
    role: 'img',
    'aria-label': `${title}. The same figures are in the table "${tableId}" beside it.`,
    'aria-describedby': tableId,
  });
  const fig = h(
    'figure',
    { class: 'chart-card', id },
    h('figcaption', {}, h('h3', {}, title), h('p', { class: 'note' }, note)),
    legend.length > 0 ? legendEl : null,
    mount,
  );
  legendEl.append(
    ...legend.map((l) =>
      h(
        'li',
        { class: l.impl === OURS ? 'ours' : null },
        h('span', { class: 'swatch', 'data-impl': l.impl ?? l.label }),
        l.label,
      ),
    ),
  );
  return { figure: fig, mount, legend: legendEl };
}

/** Paints legend swatches in the current colours (called after each theme change). */
export function paintSwatches(root: HTMLElement, data: ChartData): void {
  const swatches = root.querySelectorAll<HTMLElement>('.legend .swatch');
  swatches.forEach((s, i) => {
    const c = data.series[i]?.color;
    if (c) s.style.background = c;
  });
}

/** The headline: syncwire ÷ fastest peer per package (geometric mean over its cases). */
export function overviewSection(pkgs: PackageView[], charts: Charts, colors: ImplColors): HTMLElement | null {
  const compared = pkgs.filter((p) => p.vsFastest !== null);
  if (compared.length === 0) return null;
  const tableId = 'table-overview';
  const { figure: fig, mount } = figure(
    'chart-overview',
    'syncwire vs the fastest peer, per package',
    'Geometric mean over each package’s cases of syncwire’s speed ÷ the fastest peer in that case. Above 1× = syncwire is faster. Log scale.',
    [],
    tableId,
  );
  charts.add({
    id: 'chart-overview',
    figure: fig,
    mount,
    height: 260,
    describe: (c) => ({
      kind: 'overview',
      unit: '×',
      categories: compared.map((p) => p.name),
      series: [
        {
          label: 'syncwire ÷ fastest peer',
          color: colors.color(OURS, c),
          values: compared.map((p) => p.vsFastest),
        },
      ],
    }),
    build: (el, data, c, onDrawn) => {
      const chart = barChart(
        el,
        {
          categories: data.categories,
          series: data.series.map((s) => ({ ...s, emphasis: true })),
          logBase: 2,
          origin: 1,
          label: fmtRatio,
          axisFormat: fmtAxisRatio,
          valueFormat: (v) => fmtRatio(v),
          height: 260,
          colors: c,
        },
        onDrawn,
      );
      paintSwatches(fig, data);
      return chart;
    },
  });
  const table = dataTable<PackageView>({
    id: tableId,
    caption: 'syncwire ÷ fastest peer by package',
    rows: compared,
    rowAttrs: (p) => ({ 'data-package': p.name }),
    columns: [
      { key: 'package', label: 'package', header: true, text: (p) => p.name },
      {
        key: 'cases',
        label: 'cases',
        numeric: true,
        value: (p) => p.cases.length,
        text: (p) => String(p.cases.length),
      },
      {
        key: 'peers',
        label: 'peer libraries',
        text: (p) => p.peers.filter(isPeerLibrary).join(', '),
      },
      {
        key: 'vsFastest',
        label: 'syncwire ÷ fastest',
        numeric: true,
        value: (p) => p.vsFastest,
        text: (p) => (p.vsFastest === null ? '—' : fmtRatio(p.vsFastest)),
        className: (p) => ratioClass(p.vsFastest),
      },
      {
        key: 'range',
        label: 'range over cases',
        numeric: true,
        text: (p) => {
          const rs = p.cases.map((c) => ratio(c.ours, fastestPeer(c))).filter((r): r is number => r !== null);
          return rs.length ? `${fmtRatio(Math.min(...rs))} – ${fmtRatio(Math.max(...rs))}` : '—';
        },
      },
    ],
  });
  return h(
    'section',
    { class: 'package overview', id: 'overview', 'aria-labelledby': 'overview-h' },
    h('h2', { id: 'overview-h' }, 'Overview'),
    h('div', { class: 'pair' }, fig, table),
  );
}

function fmtAxisRatio(v: number): string {
  return v >= 1 ? `${Number(v.toPrecision(3))}×` : `${Number(v.toPrecision(2))}×`;
}

function speedSection(pkg: PackageView, group: SpeedGroup, charts: Charts, colors: ImplColors): HTMLElement {
  const id = `chart-${slug(pkg.name)}-speed-${group.unit === 'MB/s' ? 'mbs' : 'ops'}`;
  const tableId = `table-${slug(pkg.name)}-${group.unit === 'MB/s' ? 'mbs' : 'ops'}`;
  const impls = pkg.impls.filter((i) => group.cases.some((c) => c.rows.some((r) => r.impl === i)));
  const title = group.unit === 'MB/s' ? 'Throughput (MB/s)' : 'Speed (operations per second)';
  const { figure: fig, mount } = figure(
    id,
    title,
    'Higher is better. Log scale; whiskers show ± the relative margin of error.',
    impls.map((i) => ({ label: i, impl: i })),
    tableId,
  );
  const rowOf = (c: CaseView, impl: string) => c.rows.find((r) => r.impl === impl);
  charts.add({
    id,
    figure: fig,
    mount,
    height: CHART_HEIGHT,
    describe: (c) => ({
      kind: 'speed',
      unit: group.unit,
      categories: group.cases.map((cv) => cv.label),
      series: impls.map((impl) => ({
        label: impl,
        color: colors.color(impl, c),
        values: group.cases.map((cv) => {
          const r = rowOf(cv, impl);
          return r ? speed(r, group.unit) : null;
        }),
        rme: group.cases.map((cv) => rowOf(cv, impl)?.rme ?? null),
      })),
    }),
    build: (el, data, c, onDrawn) => {
      const chart = barChart(
        el,
        {
          categories: data.categories,
          series: data.series.map((s) => ({ ...s, emphasis: s.label === OURS })),
          logBase: 10,
          axisFormat: (v) => (group.unit === 'MB/s' ? `${fmtScaled(v)}` : fmtScaled(v)),
          valueFormat: (v, si, ci) => {
            const rme = data.series[si]?.rme?.[ci];
            return `${fmtSpeed(v, group.unit)}${rme == null ? '' : ` ${fmtRme(rme)}`}`;
          },
          height: CHART_HEIGHT,
          colors: c,
        },
        onDrawn,
      );
      paintSwatches(fig, data);
      return chart;
    },
  });
  const rows = group.cases.flatMap((c) => c.rows.map((r) => ({ c, r })));
  const metricKeys = pkg.metricKeys.filter((k) => rows.some(({ r }) => r.metrics?.[k] !== undefined));
  const table = dataTable<{ c: CaseView; r: ResultRow }>({
    id: tableId,
    caption: `${pkg.name}: ${group.unit === 'MB/s' ? 'throughput' : 'speed'} by case and implementation`,
    rows,
    group: ({ c }) => c.name,
    rowAttrs: ({ r }) => ({ 'data-case': r.name, 'data-impl': r.impl }),
    columns: [
      { key: 'case', label: 'case', header: true, value: ({ c }) => c.name, text: ({ c }) => c.label },
      {
        key: 'impl',
        label: 'impl',
        text: ({ r }) => r.impl,
        className: ({ r }) => (r.impl === OURS ? 'ours' : isOursVariant(r.impl) ? 'ours-variant' : null),
      },
      ...(group.unit === 'MB/s'
        ? [
            {
              key: 'mbs',
              label: 'MB/s',
              numeric: true,
              value: ({ r }: { r: ResultRow }) => speed(r, 'MB/s'),
              text: ({ r }: { r: ResultRow }) => fmtSpeed(speed(r, 'MB/s'), 'MB/s'),
            },
          ]
        : []),
      { key: 'hz', label: 'ops/s', numeric: true, value: ({ r }) => r.hz, text: ({ r }) => fmtOps(r.hz) },
      { key: 'rme', label: '± rme', numeric: true, value: ({ r }) => r.rme, text: ({ r }) => fmtRme(r.rme) },
      {
        key: 'samples',
        label: 'n',
        numeric: true,
        value: ({ r }) => r.samples,
        text: ({ r }) => String(r.samples),
      },
      {
        key: 'ratio',
        label: 'syncwire ÷ this',
        numeric: true,
        value: ({ c, r }) => (r.impl === OURS ? null : ratio(c.ours, r)),
        text: ({ c, r }) => {
          const x = r.impl === OURS ? null : ratio(c.ours, r);
          return x === null ? '—' : fmtRatio(x);
        },
        className: ({ c, r }) => (r.impl === OURS ? null : ratioClass(ratio(c.ours, r))),
      },
      ...metricKeys.map((k) => ({
        key: `metric:${k}`,
        label: metricLabel(k),
        numeric: true,
        value: ({ r }: { r: ResultRow }) => r.metrics?.[k] ?? null,
        text: ({ r }: { r: ResultRow }) => {
          const v = r.metrics?.[k];
          return v === undefined ? '—' : fmtMetric(v);
        },
      })),
    ],
  });
  const longNames = rows.some(({ c, r }) => c.label.length > 28 || r.impl.length > 28);
  const wide = 6 + metricKeys.length + (group.unit === 'MB/s' ? 1 : 0) > 7 || longNames;
  return h('div', { class: `pair${wide ? ' wide-table' : ''}` }, fig, table);
}

function ratioSection(pkg: PackageView, charts: Charts, colors: ImplColors): HTMLElement | null {
  const cases = pkg.cases.filter((c) => c.ours && c.rows.length > 1);
  if (cases.length === 0) return null;
  const id = `chart-${slug(pkg.name)}-ratio`;
  const tableId = `table-${slug(pkg.name)}-ratio`;
  const peers = pkg.peers.filter((p) => cases.some((c) => c.rows.some((r) => r.impl === p)));
  const { figure: fig, mount } = figure(
    id,
    'syncwire ÷ each peer',
    'How many times faster syncwire is than each peer in the same run (above 1×) or slower (below). Log scale.',
    peers.map((p) => ({ label: p, impl: p })),
    tableId,
  );
  const value = (c: CaseView, peer: string) =>
    ratio(
      c.ours,
      c.rows.find((r) => r.impl === peer),
    );
  charts.add({
    id,
    figure: fig,
    mount,
    height: CHART_HEIGHT,
    describe: (c) => ({
      kind: 'ratio',
      unit: '×',
      categories: cases.map((cv) => cv.label),
      series: peers.map((p) => ({
        label: p,
        color: colors.color(p, c),
        values: cases.map((cv) => value(cv, p)),
      })),
    }),
    build: (el, data, c, onDrawn) => {
      const chart = barChart(
        el,
        {
          categories: data.categories,
          series: data.series,
          logBase: 2,
          origin: 1,
          label: fmtRatio,
          axisFormat: fmtAxisRatio,
          valueFormat: (v, si) => `${fmtRatio(v)} vs ${data.series[si]?.label ?? ''}`.trim(),
          height: CHART_HEIGHT,
          colors: c,
        },
        onDrawn,
      );
      paintSwatches(fig, data);
      return chart;
    },
  });
  const table = dataTable<CaseView>({
    id: tableId,
    caption: `${pkg.name}: syncwire ÷ peer, by case`,
    rows: cases,
    rowAttrs: (c) => ({ 'data-case': c.name }),
    columns: [
      { key: 'case', label: 'case', header: true, value: (c) => c.name, text: (c) => c.label },
      ...peers.map((p) => ({
        key: `vs:${p}`,
        label: `÷ ${p}`,
        numeric: true,
        value: (c: CaseView) => value(c, p),
        text: (c: CaseView) => {
          const x = value(c, p);
          return x === null ? '—' : fmtRatio(x);
        },
        className: (c: CaseView) => ratioClass(value(c, p)),
      })),
    ],
  });
  const wide = peers.length > 3 || peers.some((p) => p.length > 28);
  return h('div', { class: `pair${wide ? ' wide-table' : ''}` }, fig, table);
}

function historySection(pkgName: string, history: HistoryEntry[], charts: Charts): HTMLElement | null {
  if (history.length < 2) return null;
  const names = historyCases(history, pkgName).filter((n) =>
    history.some((e) => historyRatio(e, n) !== null),
  );
  // A line needs two points: without two runs that measured this package there is no history to show.
  const runs = history.filter((e) => names.some((n) => historyRatio(e, n) !== null)).length;
  if (names.length === 0 || runs < 2) return null;
  const id = `chart-${slug(pkgName)}-history`;
  const tableId = `table-${slug(pkgName)}-history`;
  const label = (n: string) => n.split('/').slice(1).join('/');
  const { figure: fig, mount } = figure(
    id,
    'History: syncwire ÷ fastest peer, by commit',
    `The last ${history.length} recorded runs, oldest on the left. A ratio within one run is steadier across machines than raw speed. Log scale.`,
    names.map((n) => ({ label: label(n) })),
    tableId,
  );
  charts.add({
    id,
    figure: fig,
    mount,
    height: CHART_HEIGHT,
    describe: (c) => ({
      kind: 'history',
      unit: '×',
      categories: history.map((e) => e.gitSha),
      series: names.map((n, i) => ({
        label: label(n),
        color: c.lines[i % c.lines.length] ?? c.fg,
        values: history.map((e) => historyRatio(e, n)),
      })),
    }),
    build: (el, data, c, onDrawn) => {
      const chart = lineChart(
        el,
        {
          runs: data.categories,
          series: data.series,
          reference: 1,
          axisFormat: fmtAxisRatio,
          valueFormat: fmtRatio,
          height: CHART_HEIGHT,
          colors: c,
        },
        onDrawn,
      );
      paintSwatches(fig, data);
      return chart;
    },
  });
  const table = dataTable<HistoryEntry>({
    id: tableId,
    caption: `${pkgName}: syncwire ÷ fastest peer by commit`,
    rows: history,
    rowAttrs: (e) => ({ 'data-sha': e.gitSha, 'data-date': e.date }),
    columns: [
      { key: 'sha', label: 'commit', header: true, value: (e) => e.gitSha, text: (e) => e.gitSha },
      { key: 'date', label: 'date', value: (e) => e.date, text: (e) => fmtDate(e.date).slice(0, 10) },
      ...names.map((n) => ({
        key: `case:${n}`,
        label: label(n),
        numeric: true,
        value: (e: HistoryEntry) => historyRatio(e, n),
        text: (e: HistoryEntry) => {
          const x = historyRatio(e, n);
          return x === null ? '—' : fmtRatio(x);
        },
        className: (e: HistoryEntry) => ratioClass(historyRatio(e, n)),
      })),
    ],
  });
  return h('div', { class: 'pair' }, fig, table);
}

/** Everything for one package: speed charts by unit, ratios to each peer, history. */
export function packageSection(
  name: string,
  pkg: PackageView | undefined,
  history: HistoryEntry[],
  charts: Charts,
  colors: ImplColors,
): HTMLElement {
  const head = h('div', { class: 'package-head' }, h('h2', { id: `pkg-${slug(name)}-h` }, name));
  if (pkg) {
    const libraries = pkg.peers.filter(isPeerLibrary);
    const bits = [
      `${pkg.cases.length} case${pkg.cases.length === 1 ? '' : 's'}`,
      libraries.length ? `peers: ${libraries.join(', ')}` : 'no peer library',
    ];
    if (pkg.variants.length) bits.push(`also: ${pkg.variants.join(', ')}`);
    if (pkg.baselines.length) bits.push(`baselines: ${pkg.baselines.join(', ')}`);
    head.append(h('p', { class: 'package-meta' }, bits.join(' · ')));
    if (pkg.vsFastest !== null)
      head.append(
        h(
          'p',
          { class: `headline ${ratioClass(pkg.vsFastest) ?? ''}` },
          h('strong', {}, fmtRatio(pkg.vsFastest)),
          ' syncwire ÷ fastest peer (geometric mean)',
        ),
      );
  } else head.append(h('p', { class: 'package-meta' }, 'Not in the latest results; history only.'));
  return h(
    'section',
    { class: 'package', id: `pkg-${slug(name)}`, 'aria-labelledby': `pkg-${slug(name)}-h` },
    head,
    ...(pkg ? pkg.speedGroups.map((g) => speedSection(pkg, g, charts, colors)) : []),
    pkg ? ratioSection(pkg, charts, colors) : null,
    historySection(name, history, charts),
  );
}
