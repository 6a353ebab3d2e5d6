import { barChart } from '../charts/bar-chart.ts';
import type { Charts } from '../charts/registry.ts';
import type { ImplColors } from '../charts/theme-colors.ts';
import { h } from '../dom.ts';
import { fmtRatio } from '../format.ts';
import { type PackageView, ratio } from '../model.ts';
import { dataTable } from '../table.ts';
import { OURS } from '../types.ts';
import { figure, fmtAxisRatio, paintSwatches, ratioClass } from './figure.ts';

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
    height: 280,
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
          height: 280,
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
        text: (p) => p.libraries.join(', '),
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
          const rs = p.cases.map((c) => ratio(c.ours, c.fastest)).filter((r): r is number => r !== null);
          if (rs.length === 0) return '—';
          const [lo, hi] = [fmtRatio(Math.min(...rs)), fmtRatio(Math.max(...rs))];
          return lo === hi ? lo : `${lo} – ${hi}`;
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
