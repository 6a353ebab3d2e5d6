import type { Charts } from '../charts/registry.ts';
import type { ImplColors } from '../charts/theme-colors.ts';
import { h, slug } from '../dom.ts';
import { fmtRatio } from '../format.ts';
import type { ImplKinds, PackageView } from '../model.ts';
import type { HistoryEntry } from '../types.ts';
import { ratioClass } from './figure.ts';
import { historySection } from './history.ts';
import { ratioSection } from './ratio.ts';
import { speedSection } from './speed.ts';

/** Everything for one package: speed charts by unit, ratios to each peer, history (null: nothing to show). */
export function packageSection(
  name: string,
  pkg: PackageView | undefined,
  history: HistoryEntry[],
  charts: Charts,
  colors: ImplColors,
  kinds: ImplKinds,
): HTMLElement | null {
  const past = historySection(name, history, charts, kinds);
  // A package only in history, with too few runs for a line, has nothing to show.
  if (!pkg && !past) return null;
  const head = h('div', { class: 'package-head' }, h('h2', { id: `pkg-${slug(name)}-h` }, name));
  if (pkg) {
    const libraries = pkg.libraries;
    const bits = [
      `${pkg.cases.length} case${pkg.cases.length === 1 ? '' : 's'}`,
      libraries.length ? `peers: ${libraries.join(', ')}` : 'no peer library',
    ];
    if (pkg.variants.length) bits.push(`also: ${pkg.variants.join(', ')}`);
    if (pkg.baselines.length) bits.push(`baselines: ${pkg.baselines.join(', ')}`);
    head.append(h('p', { class: 'package-meta' }, bits.join(' · ')));
    if (pkg.vsFastest !== null)
      head.append(
        h(
          'p',
          { class: `headline ${ratioClass(pkg.vsFastest) ?? ''}` },
          h('strong', {}, fmtRatio(pkg.vsFastest)),
          ' syncwire ÷ fastest peer (geometric mean)',
        ),
      );
  } else head.append(h('p', { class: 'package-meta' }, 'Not in the latest results; history only.'));
  return h(
    'section',
    { class: 'package', id: `pkg-${slug(name)}`, 'aria-labelledby': `pkg-${slug(name)}-h` },
    head,
    ...(pkg ? pkg.speedGroups.map((g) => speedSection(pkg, g, charts, colors)) : []),
    pkg ? ratioSection(pkg, charts, colors) : null,
    past,
  );
}
