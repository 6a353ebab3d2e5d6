import { barChart } from '../charts/bar-chart.ts';
import type { Charts } from '../charts/registry.ts';
import type { ImplColors } from '../charts/theme-colors.ts';
import { h, slug } from '../dom.ts';
import { fmtMetric, fmtOps, fmtRatio, fmtRme, fmtScaled, fmtSpeed, metricLabel } from '../format.ts';
import { type CaseView, type PackageView, ratio, type SpeedGroup, speed } from '../model.ts';
import { dataTable } from '../table.ts';
import { OURS, type ResultRow } from '../types.ts';
import { CHART_HEIGHT, figure, paintSwatches, ratioClass } from './figure.ts';

/** A speed chart (one unit) beside the table of every row of those cases. */
export function speedSection(
  pkg: PackageView,
  group: SpeedGroup,
  charts: Charts,
  colors: ImplColors,
): HTMLElement {
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
        className: ({ r }) =>
          r.impl === OURS ? 'ours' : pkg.variants.includes(r.impl) ? 'ours-variant' : null,
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
  const columns = 6 + metricKeys.length + (group.unit === 'MB/s' ? 1 : 0);
  // Beside the chart while the table fits there; a very wide one (many metrics) goes under it instead.
  const layout = columns >= 11 ? ' stacked' : columns > 7 || longNames ? ' wide-table' : '';
  return h('div', { class: `pair${layout}` }, fig, table);
}
