import type uPlot from 'uplot';
import type { BarRect } from './bar-chart.ts';
import { type ChartColors, readChartColors } from './theme-colors.ts';

/** What a chart was given, serialised on its figure as `data-chart` (the e2e test compares it). */
export interface ChartData {
  kind: 'overview' | 'speed' | 'ratio' | 'history';
  unit: string;
  categories: string[];
  series: { label: string; color: string; values: (number | null)[]; rme?: (number | null)[] }[];
}

export interface ChartHandle {
  u: uPlot;
  bar?(categoryIndex: number, seriesIndex: number): BarRect | null;
  destroy(): void;
}

export interface ChartDef {
  id: string;
  figure: HTMLElement;
  mount: HTMLElement;
  height: number;
  describe(colors: ChartColors): ChartData;
  build(mount: HTMLElement, data: ChartData, colors: ChartColors, onDrawn: () => void): ChartHandle;
}

declare global {
  interface Window {
    /** Test and debugging hook: every chart by id, its uPlot instance and bar geometry. */
    __dashboard?: {
      charts: Record<string, { kind: ChartData['kind']; handle: () => ChartHandle | undefined }>;
      renders: number;
    };
  }
}

/**
 * Builds every chart, rebuilds them all in the new colours when the theme changes, resizes them with their
 * column, and sets `<html data-ready="N">` once every chart of render N has drawn.
 */
export class Charts {
  readonly #defs: ChartDef[] = [];
  readonly #handles = new Map<string, ChartHandle>();
  #renders = 0;

  add(def: ChartDef): void {
    this.#defs.push(def);
  }

  renderAll(): void {
    const render = ++this.#renders;
    delete document.documentElement.dataset.ready;
    const colors = readChartColors();
    const pending = new Set(this.#defs.map((d) => d.id));
    const done = () => {
      if (render === this.#renders) document.documentElement.dataset.ready = String(render);
    };
    for (const def of this.#defs) {
      this.#handles.get(def.id)?.destroy();
      def.mount.replaceChildren();
      const data = def.describe(colors);
      def.figure.dataset.chart = JSON.stringify(data);
      const handle = def.build(def.mount, data, colors, () => {
        if (pending.delete(def.id) && pending.size === 0) done();
      });
      this.#handles.set(def.id, handle);
    }
    if (pending.size === 0) done();
    window.__dashboard = {
      renders: render,
      charts: Object.fromEntries(
        this.#defs.map((d) => [
          d.id,
          { kind: d.describe(colors).kind, handle: () => this.#handles.get(d.id) },
        ]),
      ),
    };
  }

  /** Keeps each chart as wide as its column. */
  observeResize(): void {
    const ro = new ResizeObserver((entries) => {
      for (const e of entries) {
        const def = this.#defs.find((d) => d.mount === e.target);
        const handle = def && this.#handles.get(def.id);
        const width = Math.max(280, Math.floor(e.contentRect.width));
        if (def && handle && Math.abs(handle.u.width - width) > 1)
          handle.u.setSize({ width, height: def.height });
      }
    });
    for (const d of this.#defs) ro.observe(d.mount);
  }
}
