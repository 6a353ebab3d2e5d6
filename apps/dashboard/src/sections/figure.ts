import type { ChartData } from '../charts/registry.ts';
import { h } from '../dom.ts';
import { OURS } from '../types.ts';

/** Height of every per-package chart, CSS pixels. */
export const CHART_HEIGHT = 300;

/** Table cell class for a ratio: faster, slower or within ±5 %. */
export function ratioClass(r: number | null): string | null {
  if (r === null) return null;
  return r >= 1.05 ? 'good' : r <= 0.95 ? 'bad' : 'even';
}

/** A chart figure: title, note, HTML legend and the canvas mount, described by the table beside it. */
export function figure(
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

/** Ratio axis ticks: `0.5×`, `1×`, `2×`. */
export function fmtAxisRatio(v: number): string {
  return v >= 1 ? `${Math.round(v)}×` : `${Number(v.toPrecision(2))}×`;
}
