import uPlot from 'uplot';
import { categoryAxis, logRange, valueAxis } from './axes.ts';
import type { ChartColors } from './theme-colors.ts';

/** One impl (or peer) across the categories of a grouped bar chart. */
export interface BarSeries {
  label: string;
  color: string;
  /** One value per category; null where this impl has no row. */
  values: (number | null)[];
  /** Relative margin of error in percent per category, drawn as a whisker. */
  rme?: (number | null)[];
  /** Drawn bolder (syncwire). */
  emphasis?: boolean;
}

export interface BarChartSpec {
  categories: string[];
  series: BarSeries[];
  /** 10 for speeds, 2 for ratios (so 0.5×, 1×, 2×, 4× are the ticks). */
  logBase: 10 | 2;
  /** Bars grow from this value (1 for ratios, a parity line is drawn there); default: the bottom edge. */
  origin?: number;
  axisFormat: (v: number) => string;
  /** Tooltip text of one bar. */
  valueFormat: (v: number, seriesIndex: number, categoryIndex: number) => string;
  /** Print each bar's value at its end with this format when there is room (ratios). */
  label?: (v: number) => string;
  height: number;
  colors: ChartColors;
}

/** Canvas-pixel rectangle of one bar, exposed so the e2e test can sample the pixels it covers. */
export interface BarRect {
  left: number;
  width: number;
  /** Canvas y of the value end and of the origin end. */
  valueY: number;
  originY: number;
}

export interface BarChart {
  u: uPlot;
  bar(categoryIndex: number, seriesIndex: number): BarRect | null;
  destroy(): void;
}

const GROUP_FILL = 0.78;
/** Widest bar in CSS pixels: a lone case should not fill the whole plot. */
const MAX_BAR = 84;

/**
 * Grouped bars on a log scale: uPlot supplies scales, axes, grid and HiDPI canvas; the bars, rme whiskers,
 * parity line and value labels are drawn in a `draw` hook because uPlot's bar paths do not group series.
 */
export function barChart(mount: HTMLElement, spec: BarChartSpec, onDrawn: () => void): BarChart {
  const { categories, series, colors } = spec;
  const n = categories.length;
  const k = series.length;
  const xs = categories.map((_, i) => i);
  const extent: number[] = [];
  for (const s of series)
    s.values.forEach((v, i) => {
      if (v === null) return;
      const e = (v * (s.rme?.[i] ?? 0)) / 100;
      extent.push(v + e, Math.max(v - e, v / 2));
    });
  const [lo, hi] = logRange(extent, spec.logBase, spec.origin === undefined ? [] : [spec.origin]);
  const width = Math.max(280, mount.clientWidth);

  const bar = (u: uPlot, ci: number, si: number): BarRect | null => {
    const v = series[si]?.values[ci];
    if (v == null) return null;
    const slot = u.bbox.width / n;
    const w = Math.min((slot * GROUP_FILL) / k, MAX_BAR * uPlot.pxRatio);
    const group = w * k;
    const gap = Math.min(3 * uPlot.pxRatio, w * 0.14);
    const left = u.bbox.left + slot * ci + (slot - group) / 2 + w * si + gap / 2;
    const valueY = u.valToPos(v, 'y', true);
    const originY = u.valToPos(spec.origin ?? lo, 'y', true);
    return { left: Math.round(left), width: Math.max(1, Math.round(w - gap)), valueY, originY };
  };

  const draw = (u: uPlot) => {
    const { ctx, bbox } = u;
    const px = uPlot.pxRatio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
    ctx.clip();
    for (let si = 0; si < k; si++) {
      const s = series[si]!;
      for (let ci = 0; ci < n; ci++) {
        const r = bar(u, ci, si);
        if (!r) continue;
        const top = Math.min(r.valueY, r.originY);
        const h = Math.abs(r.originY - r.valueY);
        ctx.fillStyle = s.color;
        ctx.beginPath();
        const radius = Math.min(3 * px, r.width / 3, h / 2);
        const up = r.valueY <= r.originY;
        ctx.roundRect(r.left, top, r.width, h, up ? [radius, radius, 0, 0] : [0, 0, radius, radius]);
        ctx.fill();
        const rme = s.rme?.[ci];
        const v = s.values[ci]!;
        if (rme) {
          // The whisker spans value ± rme; it is drawn in the text colour so it reads on every bar colour.
          const yHi = u.valToPos(v * (1 + rme / 100), 'y', true);
          const yLo = u.valToPos(Math.max(v * (1 - rme / 100), lo), 'y', true);
          const cx = r.left + r.width / 2;
          const cap = Math.min(r.width / 3, 5 * px);
          ctx.strokeStyle = colors.fg;
          ctx.globalAlpha = 0.75;
          ctx.lineWidth = 1.25 * px;
          ctx.beginPath();
          ctx.moveTo(cx, yHi);
          ctx.lineTo(cx, yLo);
          ctx.moveTo(cx - cap, yHi);
          ctx.lineTo(cx + cap, yHi);
          ctx.moveTo(cx - cap, yLo);
          ctx.lineTo(cx + cap, yLo);
          ctx.stroke();
          ctx.globalAlpha = 1;
        }
        if (spec.label && r.width >= 30 * px) {
          ctx.fillStyle = colors.fg;
          ctx.font = `600 ${11 * px}px system-ui, sans-serif`;
          ctx.textAlign = 'center';
          ctx.textBaseline = up ? 'bottom' : 'top';
          const y = up ? r.valueY - 3 * px : r.valueY + 3 * px;
          ctx.fillText(spec.label(v), r.left + r.width / 2, y);
        }
      }
    }
    if (spec.origin !== undefined) {
      const y = Math.round(u.valToPos(spec.origin, 'y', true));
      ctx.strokeStyle = colors.axis;
      ctx.lineWidth = 1.5 * px;
      ctx.setLineDash([]);
      ctx.beginPath();
      ctx.moveTo(bbox.left, y);
      ctx.lineTo(bbox.left + bbox.width, y);
      ctx.stroke();
    }
    ctx.restore();
    onDrawn();
  };

  const opts: uPlot.Options = {
    width,
    height: spec.height,
    padding: [14, 12, 0, 4],
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: {
      x: { time: false, range: [-0.5, n - 0.5] },
      y: { distr: 3, log: spec.logBase, range: () => [lo, hi] },
    },
    axes: [categoryAxis(categories, colors, width - 90), valueAxis(colors, spec.axisFormat)],
    series: [
      {},
      ...series.map((s) => ({ label: s.label, stroke: s.color, paths: () => null, points: { show: false } })),
    ],
    hooks: { draw: [draw] },
  };
  const data: uPlot.AlignedData = [xs, ...series.map((s) => s.values.map((v) => v ?? null))];
  const u = new uPlot(opts, data, mount);
  attachTooltip(u, mount, spec, (ci, si) => bar(u, ci, si));
  return { u, bar: (ci, si) => bar(u, ci, si), destroy: () => u.destroy() };
}

/** Hover a bar: a small label with the series, the category and the exact value. */
function attachTooltip(
  u: uPlot,
  mount: HTMLElement,
  spec: BarChartSpec,
  bar: (ci: number, si: number) => BarRect | null,
): void {
  const tip = document.createElement('div');
  tip.className = 'chart-tip';
  tip.hidden = true;
  mount.append(tip);
  u.over.addEventListener('mouseleave', () => {
    tip.hidden = true;
  });
  u.over.addEventListener('mousemove', (ev) => {
    const px = uPlot.pxRatio;
    const x = ev.offsetX * px + u.bbox.left;
    const y = ev.offsetY * px + u.bbox.top;
    for (let ci = 0; ci < spec.categories.length; ci++)
      for (let si = 0; si < spec.series.length; si++) {
        const r = bar(ci, si);
        if (!r || x < r.left || x > r.left + r.width) continue;
        if (y < Math.min(r.valueY, r.originY) - 12 * px || y > Math.max(r.valueY, r.originY)) continue;
        const s = spec.series[si]!;
        tip.textContent = `${s.label} · ${spec.categories[ci]}: ${spec.valueFormat(s.values[ci]!, si, ci)}`;
        tip.hidden = false;
        const box = mount.getBoundingClientRect();
        const over = u.over.getBoundingClientRect();
        tip.style.left = `${over.left - box.left + (r.left - u.bbox.left + r.width / 2) / px}px`;
        tip.style.top = `${over.top - box.top + (Math.min(r.valueY, r.originY) - u.bbox.top) / px}px`;
        return;
      }
    tip.hidden = true;
  });
}
