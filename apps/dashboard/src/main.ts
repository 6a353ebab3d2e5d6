import 'uplot/dist/uPlot.min.css';
import './style.css';
import { Charts } from './charts/registry.ts';
import { ImplColors } from './charts/theme-colors.ts';
import { copyButton, h, slug } from './dom.ts';
import { fmtDate, fmtRatio } from './format.ts';
import { allPackages, buildPackages, ImplKinds } from './model.ts';
import { overviewSection } from './sections/overview.ts';
import { packageSection } from './sections/package.ts';
import { themeToggle } from './theme.ts';
import type { BenchResults, DashboardData } from './types.ts';

const BENCH_COMMAND = 'npm run bench';

function readData(): DashboardData {
  const el = document.getElementById('bench-data');
  if (!el?.textContent) return { latest: null, history: [], libraries: [] };
  return JSON.parse(el.textContent) as DashboardData;
}

function command(text: string): HTMLElement {
  return h(
    'span',
    { class: 'command' },
    h('code', {}, text),
    copyButton('Copy', () => text),
  );
}

function runMeta(latest: BenchResults): HTMLElement {
  const item = (label: string, value: string, key: string) =>
    h('div', { class: 'meta-item' }, h('dt', {}, label), h('dd', { 'data-meta': key }, value));
  return h(
    'dl',
    { class: 'run-meta' },
    item('Node', latest.node, 'node'),
    item('Machine', latest.cpu, 'cpu'),
    item('Run', fmtDate(latest.date), 'date'),
    item('Commit', latest.gitSha, 'gitSha'),
    item('Mode', latest.mode, 'mode'),
    item('Rows', String(latest.rows.length), 'rows'),
  );
}

function emptyState(hasHistory: boolean): HTMLElement {
  return h(
    'section',
    { class: 'empty', id: 'empty-state', 'aria-labelledby': 'empty-h' },
    h('h2', { id: 'empty-h' }, 'No benchmark results yet'),
    h(
      'p',
      {},
      'This page shows bench/results/latest.json, which does not exist yet. From the repository root, run',
    ),
    command(BENCH_COMMAND),
    h('p', {}, 'then rebuild this page with'),
    command('npm run dashboard'),
    hasHistory ? h('p', { class: 'note' }, 'Recorded history from earlier runs is shown below.') : null,
  );
}

function main(): void {
  const data = readData();
  const charts = new Charts();
  const kinds = new ImplKinds(data.libraries ?? []);
  const pkgs = data.latest ? buildPackages(data.latest, kinds) : [];
  const names = allPackages(data.latest, data.history);
  const colors = new ImplColors(pkgs.flatMap((p) => p.impls));

  const toggle = themeToggle(() => charts.renderAll());
  const header = h(
    'header',
    { class: 'top' },
    h(
      'div',
      { class: 'brand' },
      h('h1', {}, 'syncwire ', h('span', {}, 'benchmarks')),
      h(
        'p',
        { class: 'tagline' },
        'syncwire against the libraries people use today, measured side by side in one run.',
      ),
    ),
    toggle,
  );
  const main = h('main', { id: 'main' });
  if (data.latest) main.append(runMeta(data.latest));
  else main.append(emptyState(data.history.length > 1));

  // Sections first (they register their charts), then the navigation to the ones that exist.
  const overview = overviewSection(pkgs, charts, colors);
  const sections = names.flatMap((name) => {
    const el = packageSection(
      name,
      pkgs.find((p) => p.name === name),
      data.history,
      charts,
      colors,
      kinds,
    );
    return el ? [{ name, el }] : [];
  });
  if (sections.length > 0) {
    const nav = h('nav', { class: 'packages-nav', 'aria-label': 'Packages' });
    for (const { name } of sections) {
      const p = pkgs.find((x) => x.name === name);
      nav.append(
        h(
          'a',
          { href: `#pkg-${slug(name)}` },
          name,
          p?.vsFastest != null
            ? h(
                'span',
                { class: `pill ${p.vsFastest >= 1.05 ? 'good' : p.vsFastest <= 0.95 ? 'bad' : ''}` },
                fmtRatio(p.vsFastest),
              )
            : null,
        ),
      );
    }
    main.append(nav);
  }
  if (overview) main.append(overview);
  for (const { el } of sections) main.append(el);

  const footer = h(
    'footer',
    {},
    h('p', {}, 'Refresh: ', command(`${BENCH_COMMAND} && npm run dashboard`)),
    data.latest
      ? h(
          'p',
          {},
          'Keep this run in the history chart (a ~1–3 kB file under apps/dashboard/history/ to commit): ',
          command('npm run history:record -w apps/dashboard'),
        )
      : null,
    h(
      'p',
      { class: 'note' },
      'Ratios compare implementations within one run on one machine; absolute speeds vary between machines and with load.',
    ),
  );
  document.body.replaceChildren(header, main, footer);
  charts.renderAll();
  charts.observeResize();
}

main();
