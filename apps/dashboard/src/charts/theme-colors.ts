import { OURS } from '../types.ts';

/** Colours the canvas needs, read from the CSS custom properties of the current theme. */
export interface ChartColors {
  fg: string;
  muted: string;
  grid: string;
  axis: string;
  panel: string;
  ours: string;
  /** syncwire variants (`syncwire stateless verifyInclusion`): shades of the accent. */
  oursAlt: string[];
  peers: string[];
  lines: string[];
}

function cssVar(style: CSSStyleDeclaration, name: string): string {
  return style.getPropertyValue(name).trim();
}

/** Reads the chart colours of the theme in force right now (they change with the toggle). */
export function readChartColors(): ChartColors {
  const s = getComputedStyle(document.documentElement);
  const list = (prefix: string) =>
    Array.from({ length: 8 }, (_, i) => cssVar(s, `${prefix}${i + 1}`)).filter((c) => c !== '');
  return {
    fg: cssVar(s, '--fg'),
    muted: cssVar(s, '--muted'),
    grid: cssVar(s, '--grid'),
    axis: cssVar(s, '--axis'),
    panel: cssVar(s, '--panel'),
    ours: cssVar(s, '--ours'),
    oursAlt: list('--ours-alt-'),
    peers: list('--peer-'),
    lines: list('--line-'),
  };
}

/**
 * One colour per impl for the whole page: syncwire always the accent (its variants in shades of it), each peer the same colour in every
 * chart (assigned in order of first appearance across packages).
 */
export class ImplColors {
  readonly #order = new Map<string, number>();
  readonly #variants = new Map<string, number>();

  constructor(impls: Iterable<string>) {
    for (const impl of impls) {
      if (impl === OURS) continue;
      const map = impl.startsWith(`${OURS} `) ? this.#variants : this.#order;
      if (!map.has(impl)) map.set(impl, map.size);
    }
  }

  color(impl: string, colors: ChartColors): string {
    if (impl === OURS) return colors.ours;
    const v = this.#variants.get(impl);
    if (v !== undefined) return colors.oursAlt[v % colors.oursAlt.length] ?? colors.ours;
    const i = this.#order.get(impl) ?? 0;
    return colors.peers[i % colors.peers.length] ?? colors.muted;
  }
}
