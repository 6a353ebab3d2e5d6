import type uPlot from 'uplot';
import type { ChartColors } from './theme-colors.ts';

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** An x axis of named categories at 0…n-1, thinned so labels never overlap, rotated when long. */
export function categoryAxis(labels: string[], colors: ChartColors, plotWidthCss: number): uPlot.Axis {
  const longest = Math.max(0, ...labels.map((l) => l.length));
  const perLabel = plotWidthCss / Math.max(1, labels.length);
  const rotate = longest * 6.5 + 12 > perLabel;
  return {
    stroke: colors.muted,
    font: FONT,
    grid: { show: false },
    ticks: { show: false },
    gap: 6,
    size: rotate ? Math.min(110, 24 + longest * 4.6) : 34,
    rotate: rotate ? -30 : 0,
    splits: () => labels.map((_, i) => i),
    values: (_u, splits) => splits.map((i) => labels[i] ?? ''),
  } as uPlot.Axis;
}

/** A y axis for a log scale, labelled with `format`. */
export function valueAxis(colors: ChartColors, format: (v: number) => string): uPlot.Axis {
  return {
    stroke: colors.muted,
    font: FONT,
    grid: { stroke: colors.grid, width: 1 },
    ticks: { stroke: colors.grid, width: 1, size: 4 },
    gap: 6,
    size: 76,
    space: 28,
    values: (_u, splits) => splits.map((v) => (v == null ? '' : format(v))),
  };
}

/**
 * [low, high] for a log scale. Base 2 (ratios) snaps to whole powers of two so the ticks read 0.5×, 1×, 2×;
 * base 10 (speeds) snaps to a multiple of the magnitude (300, 2 k…) with the floor well below the smallest
 * bar, so bars grow from a common baseline instead of vanishing near the edge.
 */
export function logRange(values: number[], base: 2 | 10, include: number[] = []): [number, number] {
  const all = [...values, ...include].filter((v) => v > 0 && Number.isFinite(v));
  if (all.length === 0) return [1, base];
  const min = Math.min(...all);
  const max = Math.max(...all);
  if (base === 2) return [2 ** Math.floor(Math.log2(min / 1.1)), 2 ** Math.ceil(Math.log2(max * 1.15))];
  const down = (v: number) => {
    const mag = 10 ** Math.floor(Math.log10(v));
    return Math.floor(v / mag) * mag;
  };
  const up = (v: number) => {
    const mag = 10 ** Math.floor(Math.log10(v));
    return Math.ceil(v / mag) * mag;
  };
  return [down(min / 3), up(max * 1.12)];
}
