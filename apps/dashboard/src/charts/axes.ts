import type uPlot from 'uplot';
import type { ChartColors } from './theme-colors.ts';

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

const CHAR_PX = 6.6;
const LINE_PX = 15;

/**
 * Splits a category label into lines at its slashes (`root/64Ki-leaves-32B/noble` → three lines), each cut
 * with an ellipsis to the width one category gets, so long case names stay readable and never overlap.
 */
export function wrapLabel(label: string, widthCss: number): string[] {
  const max = Math.max(4, Math.floor(widthCss / CHAR_PX));
  const parts = label.split('/');
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines[lines.length - 1];
    // keep short segments together on one line when they fit
    if (last !== undefined && last.length + 1 + part.length <= max)
      lines[lines.length - 1] = `${last}/${part}`;
    else lines.push(part);
  }
  return lines.map((l) => (l.length > max ? `${l.slice(0, max - 1)}…` : l));
}

/** An x axis of named categories at 0…n-1; labels wrap at slashes to fit their slot. */
export function categoryAxis(labels: string[], colors: ChartColors, plotWidthCss: number): uPlot.Axis {
  const slot = plotWidthCss / Math.max(1, labels.length);
  const wrapped = labels.map((l) => wrapLabel(l, slot - 8));
  const lines = Math.max(1, ...wrapped.map((w) => w.length));
  return {
    stroke: colors.muted,
    font: FONT,
    grid: { show: false },
    ticks: { show: false },
    gap: 6,
    size: 14 + lines * LINE_PX,
    splits: () => labels.map((_, i) => i),
    values: (_u, splits) => splits.map((i) => (wrapped[i] ?? []).join('\n')),
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
