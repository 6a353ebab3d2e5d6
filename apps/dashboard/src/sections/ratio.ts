import { barChart } from '../charts/bar-chart.ts';
import type { Charts } from '../charts/registry.ts';
import type { ImplColors } from '../charts/theme-colors.ts';
import { h, slug } from '../dom.ts';
import { fmtRatio } from '../format.ts';
import { type CaseView, type PackageView, ratio } from '../model.ts';
import { dataTable } from '../table.ts';
import { CHART_HEIGHT, figure, fmtAxisRatio, paintSwatches, ratioClass } from './figure.ts';

/** syncwire ÷ each peer, per case, beside its table; null when no case has a comparison. */
export function ratioSection(pkg: PackageView, charts: Charts, colors: ImplColors): HTMLElement | null {
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
