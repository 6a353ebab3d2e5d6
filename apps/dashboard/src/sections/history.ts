import { lineChart } from '../charts/line-chart.ts';
import type { Charts } from '../charts/registry.ts';
import { h, slug } from '../dom.ts';
import { fmtDate, fmtRatio } from '../format.ts';
import { historyCases, historyRatio, type ImplKinds } from '../model.ts';
import { dataTable } from '../table.ts';
import type { HistoryEntry } from '../types.ts';
import { CHART_HEIGHT, figure, fmtAxisRatio, paintSwatches, ratioClass } from './figure.ts';

/** syncwire ÷ fastest peer per case across recorded runs, beside its table; null without two runs. */
export function historySection(
  pkgName: string,
  history: HistoryEntry[],
  charts: Charts,
  kinds: ImplKinds,
): HTMLElement | null {
  if (history.length < 2) return null;
  const names = historyCases(history, pkgName).filter((n) =>
    history.some((e) => historyRatio(e, n, kinds) !== null),
  );
  // A line needs two points: without two runs that measured this package there is no history to show.
  const runs = history.filter((e) => names.some((n) => historyRatio(e, n, kinds) !== null)).length;
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
        values: history.map((e) => historyRatio(e, n, kinds)),
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
      {
        key: 'machine',
        label: 'machine',
        text: (e) => `${e.cpu}, node ${e.node}${e.mode === 'full' ? ', full' : ''}`,
      },
      ...names.map((n) => ({
        key: `case:${n}`,
        label: label(n),
        numeric: true,
        value: (e: HistoryEntry) => historyRatio(e, n, kinds),
        text: (e: HistoryEntry) => {
          const x = historyRatio(e, n, kinds);
          return x === null ? '—' : fmtRatio(x);
        },
        className: (e: HistoryEntry) => ratioClass(historyRatio(e, n, kinds)),
      })),
    ],
  });
  return h('div', { class: 'pair' }, fig, table);
}
