import uPlot from 'uplot';
import { logRange, valueAxis } from './axes.ts';
import type { ChartColors } from './theme-colors.ts';

export interface LineSeries {
  label: string;
  color: string;
  /** One value per run; null where the run lacks this case. */
  values: (number | null)[];
}

export interface LineChartSpec {
  /** One label per run (short commit), oldest first. */
  runs: string[];
  series: LineSeries[];
  /** A horizontal reference line (1× parity). */
  reference?: number;
  axisFormat: (v: number) => string;
  valueFormat: (v: number) => string;
  height: number;
  colors: ChartColors;
}

export interface LineChart {
  u: uPlot;
  destroy(): void;
}

/** History of one package across commits: one line per case, log₂ ratio axis, uPlot's live legend. */
export function lineChart(mount: HTMLElement, spec: LineChartSpec, onDrawn: () => void): LineChart {
  const { runs, colors } = spec;
  const values = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const [lo, hi] = logRange(values, 2, spec.reference === undefined ? [] : [spec.reference], false);
  const width = Math.max(280, mount.clientWidth);
  const step = Math.max(1, Math.ceil((runs.length * 64) / Math.max(1, width - 90)));
  const opts: uPlot.Options = {
    width,
    height: spec.height,
    padding: [14, 16, 0, 4],
    cursor: { drag: { x: false, y: false }, points: { size: 8 } },
    legend: { show: false },
    scales: {
      x: { time: false, range: [-0.3, Math.max(0.3, runs.length - 0.7)] },
      y: { distr: 3, log: 2, range: () => [lo, hi] },
    },
    axes: [
      {
        stroke: colors.muted,
        font: '12px ui-monospace, SFMono-Regular, Menlo, monospace',
        grid: { show: false },
        ticks: { show: false },
        size: 34,
        splits: () => runs.map((_, i) => i).filter((i) => i % step === (runs.length - 1) % step),
        values: (_u, splits) => splits.map((i) => runs[i] ?? ''),
      },
      valueAxis(colors, spec.axisFormat),
    ],
    series: [
      { label: 'commit', value: (_u, v) => (v == null ? '–' : (runs[v] ?? '–')) },
      ...spec.series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        spanGaps: false,
        points: { show: true, size: 6, fill: colors.panel, stroke: s.color, width: 2 },
        value: (_u: uPlot, v: number | null) => (v == null ? '–' : spec.valueFormat(v)),
      })),
    ],
    hooks: {
      drawAxes: [
        (u: uPlot) => {
          if (spec.reference === undefined) return;
          const { ctx, bbox } = u;
          const y = Math.round(u.valToPos(spec.reference, 'y', true));
          ctx.save();
          ctx.strokeStyle = colors.axis;
          ctx.lineWidth = 1.5 * uPlot.pxRatio;
          ctx.setLineDash([6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
          ctx.beginPath();
          ctx.moveTo(bbox.left, y);
          ctx.lineTo(bbox.left + bbox.width, y);
          ctx.stroke();
          ctx.restore();
        },
      ],
      draw: [() => onDrawn()],
      setCursor: [(u: uPlot) => showTip(u, tip, spec)],
    },
  };
  const tip = document.createElement('div');
  tip.className = 'chart-tip multi';
  tip.hidden = true;
  const data: uPlot.AlignedData = [runs.map((_, i) => i), ...spec.series.map((s) => s.values)];
  const u = new uPlot(opts, data, mount);
  mount.append(tip);
  return { u, destroy: () => u.destroy() };
}

/** Hovering a run lists every case's value at that commit, in the line colours. */
function showTip(u: uPlot, tip: HTMLElement, spec: LineChartSpec): void {
  const i = u.cursor.idx;
  if (i == null || u.cursor.left == null || u.cursor.left < 0) {
    tip.hidden = true;
    return;
  }
  const rows = spec.series
    .map((s) => ({ s, v: s.values[i] }))
    .filter((x): x is { s: LineSeries; v: number } => x.v != null);
  if (rows.length === 0) {
    tip.hidden = true;
    return;
  }
  const head = document.createElement('strong');
  head.textContent = spec.runs[i] ?? '';
  tip.replaceChildren(
    head,
    ...rows.map(({ s, v }) => {
      const line = document.createElement('div');
      const dot = document.createElement('span');
      dot.className = 'dot';
      dot.style.background = s.color;
      line.append(dot, `${s.label}: ${spec.valueFormat(v)}`);
      return line;
    }),
  );
  tip.hidden = false;
  const over = u.over.getBoundingClientRect();
  const box = (tip.parentElement ?? u.root).getBoundingClientRect();
  tip.style.left = `${over.left - box.left + u.valToPos(i, 'x')}px`;
  tip.style.top = `${over.top - box.top + 8}px`;
}
