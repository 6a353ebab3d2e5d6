import type uPlot from 'uplot';
import type { ChartColors } from './theme-colors.ts';

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

const CHAR_PX = 7;
const LINE_PX = 15;
const MAX_LINES = 4;

/**
 * Splits a category label into lines that fit the width one category gets: at slashes first
 * (`root/64Ki-leaves-32B/noble`); a segment too long for a line breaks after its own `-`, `+`, `_` or `.`
 * and starts on a fresh line (its tail may take the short segments after it). At most four lines, the last one cut with an ellipsis: long case names stay
 * readable and neighbouring labels never touch.
 */
export function wrapLabel(label: string, widthCss: number): string[] {
  const max = Math.max(4, Math.floor(widthCss / CHAR_PX));
  const lines: string[] = [];
  for (const seg of label.match(/[^/]+\/?/g) ?? [label]) {
    const last = lines[lines.length - 1];
    if (seg.length <= max) {
      if (last !== undefined && last.length + seg.length <= max) lines[lines.length - 1] = last + seg;
      else lines.push(seg);
      continue;
    }
    let line = '';
    for (const piece of seg.match(/[^-+_.]+[-+_.]?/g) ?? [seg]) {
      if (line && line.length + piece.length > max) {
        lines.push(line);
        line = '';
      }
      line += piece;
    }
    lines.push(line); // the tail may take the next short segments
  }
  const cut = lines.map((l) => (l.length > max ? `${l.slice(0, max - 1)}…` : l));
  if (cut.length > MAX_LINES)
    cut.splice(MAX_LINES - 1, Infinity, `${cut[MAX_LINES - 1]!.slice(0, max - 1)}…`);
  return cut;
}

/** An x axis of named categories at 0…n-1; labels wrap at slashes to fit their slot. */
export function categoryAxis(labels: string[], colors: ChartColors, plotWidthCss: number): uPlot.Axis {
  const slot = plotWidthCss / Math.max(1, labels.length);
  const wrapped = labels.map((l) => wrapLabel(l, slot - 12));
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
export function logRange(
  values: number[],
  base: 2 | 10,
  include: number[] = [],
  labelRoom = true,
): [number, number] {
  const all = [...values, ...include].filter((v) => v > 0 && Number.isFinite(v));
  if (all.length === 0) return [1, base];
  const min = Math.min(...all);
  const max = Math.max(...all);
  // room beyond the extreme bars for their value labels (lines need less)
  const [down2, up2] = labelRoom ? [1.6, 1.3] : [1.05, 1.1];
  if (base === 2) return [2 ** Math.floor(Math.log2(min / down2)), 2 ** Math.ceil(Math.log2(max * up2))];
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
