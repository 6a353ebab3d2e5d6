// End-to-end: the page built from test/fixtures (by `npm test`: `vite build --mode e2e`) in Debian chromium.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticServer, listen } from '../scripts/serve.ts';
import { fmtMBs, fmtMetric, fmtOps, fmtRatio, fmtRme } from '../src/format.ts';
import type { BenchResults, HistoryEntry } from '../src/types.ts';
import { type ExpectedChart, expectedCharts, expectedHistory } from './expected.ts';

const app = fileURLToPath(new URL('..', import.meta.url));
const site = join(app, '.test-results', 'site');
const shots = join(app, '.test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI (which installs chromium) must run this test; on a developer machine without a browser it is skipped
// with a warning, so `npm install && npm test` works on a fresh machine.
const REQUIRED = ['1', 'true'].includes(process.env.CI ?? '') || process.env.SYNCWIRE_REQUIRE_BROWSER === '1';
const SKIP = !existsSync(CHROMIUM) && !REQUIRED;
if (SKIP) {
  console.warn(
    `dashboard e2e SKIPPED: no chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
}
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const fixture = JSON.parse(readFileSync(join(app, 'test/fixtures/results.json'), 'utf8')) as BenchResults;
const fixtureHistory = readdirSync(join(app, 'test/fixtures/history'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(app, 'test/fixtures/history', f), 'utf8')) as HistoryEntry);
const history = expectedHistory(fixture, fixtureHistory);
const charts = expectedCharts(fixture, history);

interface ChartData {
  kind: string;
  unit: string;
  categories: string[];
  series: { label: string; color: string; values: (number | null)[]; rme?: (number | null)[] }[];
}

let server: Server;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];

/** Opens a page that records errors and any request leaving the local server. */
async function open(url: string): Promise<Page> {
  const p = await context.newPage();
  p.on('pageerror', (e) => pageErrors.push(`${url}: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${url}: ${m.text()}`);
  });
  p.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('file:')) foreignRequests.push(u);
  });
  await p.goto(url);
  await p.waitForSelector('html[data-ready]', { timeout: 15_000 });
  return p;
}

beforeAll(async () => {
  if (SKIP) return;
  if (!existsSync(CHROMIUM))
    throw new Error(
      `chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH. ` +
        'CI requires this e2e test.',
    );
  if (!existsSync(join(site, 'index.html')))
    throw new Error(
      `${site}/index.html is missing: run \`npm test\` (it builds with \`vite build --mode e2e\`)`,
    );
  // The same page with no results inlined, for the empty state.
  const html = readFileSync(join(site, 'index.html'), 'utf8');
  const emptied = html.replace(
    /<script type="application\/json" id="bench-data">[^<]*<\/script>/,
    '<script type="application/json" id="bench-data">{"latest":null,"history":[]}</script>',
  );
  expect(emptied).not.toBe(html);
  writeFileSync(join(site, 'empty.html'), emptied);
  mkdirSync(shots, { recursive: true });

  server = createStaticServer(site);
  origin = (await listen(server, 0)).replace(/\/$/, '');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 2 });
  page = await open(`${origin}/`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
});

const close = (a: number | null | undefined, b: number | null) =>
  a === null || b === null ? a === b : a !== undefined && Math.abs(a - b) <= Math.abs(b) * 1e-9;

function expectSameNumbers(actual: (number | null)[] | undefined, expected: (number | null)[], what: string) {
  expect(actual, what).toHaveLength(expected.length);
  expected.forEach((v, i) => {
    expect(close(actual![i], v), `${what}[${i}]: got ${actual![i]}, expected ${v}`).toBe(true);
  });
}

async function chartData(p: Page, id: string): Promise<ChartData> {
  const raw = await p.locator(`#${id}`).getAttribute('data-chart');
  expect(raw, `#${id} has data-chart`).toBeTruthy();
  return JSON.parse(raw!) as ChartData;
}

interface PixelCheck {
  series: number;
  category: number;
  value: number;
  /** canvas y of the value from the chart's own scale, vs the drawn bar's end */
  expectedY: number;
  barY: number;
  height: number;
  inside: [number, number, number, number] | null;
  outside: [number, number, number, number] | null;
}

/**
 * For each bar: where the chart's y scale puts the fixture value, where the bar actually ends, and the pixel
 * colours just inside and just beyond that end (read back from the canvas).
 */
async function sampleBars(p: Page, id: string, exp: ExpectedChart): Promise<PixelCheck[]> {
  return p.evaluate(
    ({ id, series }) => {
      const handle = window.__dashboard?.charts[id]?.handle();
      if (!handle?.bar) throw new Error(`no bar chart ${id}`);
      const u = handle.u;
      const px = devicePixelRatio;
      const out: PixelCheck[] = [];
      for (const [si, s] of series.entries())
        for (const [ci, value] of s.values.entries()) {
          if (value === null) continue;
          const r = handle.bar!(ci, si)!;
          const expectedY = u.valToPos(value, 'y', true);
          const dir = r.originY >= r.valueY ? 1 : -1; // +1: bar grows upwards
          const x = Math.round(r.left + Math.max(px, r.width * 0.12));
          const at = (y: number) => {
            const d = u.ctx.getImageData(x, Math.round(y), 1, 1).data;
            return [d[0]!, d[1]!, d[2]!, d[3]!] as [number, number, number, number];
          };
          const height = Math.abs(r.originY - r.valueY);
          out.push({
            series: si,
            category: ci,
            value,
            expectedY,
            barY: r.valueY,
            height,
            inside: height >= 10 * px ? at(expectedY + dir * 5 * px) : null,
            outside: height >= 10 * px ? at(expectedY - dir * 5 * px) : null,
          });
        }
      return out;
    },
    { id, series: exp.series },
  );
}

function rgb(css: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css.trim());
  if (!m) throw new Error(`expected a #rrggbb colour, got ${css}`);
  return [Number.parseInt(m[1]!, 16), Number.parseInt(m[2]!, 16), Number.parseInt(m[3]!, 16)];
}

const near = (px: number[] | null, c: [number, number, number]) =>
  px !== null && Math.abs(px[0]! - c[0]) <= 3 && Math.abs(px[1]! - c[1]) <= 3 && Math.abs(px[2]! - c[2]) <= 3;

async function checkBarChart(p: Page, exp: ExpectedChart): Promise<void> {
  const data = await chartData(p, exp.id);
  expect(data.kind).toBe(exp.kind);
  expect(data.categories).toEqual(exp.categories);
  expect(data.series.map((s) => s.label)).toEqual(exp.series.map((s) => s.label));
  exp.series.forEach((s, i) => {
    expectSameNumbers(data.series[i]!.values, s.values, `${exp.id} ${s.label} values`);
    if (s.rme) expectSameNumbers(data.series[i]!.rme, s.rme, `${exp.id} ${s.label} rme`);
  });
  const checks = await sampleBars(p, exp.id, exp);
  expect(checks.length).toBe(exp.series.flatMap((s) => s.values.filter((v) => v !== null)).length);
  let sampled = 0;
  for (const c of checks) {
    const what = `${exp.id} bar ${exp.series[c.series]!.label} @ ${exp.categories[c.category]} = ${c.value}`;
    expect(Math.abs(c.barY - c.expectedY), `${what}: bar ends at the value`).toBeLessThanOrEqual(1.5);
    if (c.inside === null) continue;
    sampled++;
    const colour = rgb(data.series[c.series]!.color);
    expect(near(c.inside, colour), `${what}: pixel inside the bar is ${c.inside}, expected ${colour}`).toBe(
      true,
    );
    expect(near(c.outside, colour), `${what}: pixel beyond the bar end is ${c.outside}`).toBe(false);
  }
  expect(sampled, `${exp.id}: some bars tall enough to sample`).toBeGreaterThan(0);
}

describe.skipIf(SKIP)('dashboard (fixture results, chromium)', () => {
  it('loads with no page errors, no console errors and no request off the local server', async () => {
    expect(await page.title()).toBe('syncwire benchmarks');
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true });
  });

  it('shows the machine, Node version and commit the numbers came from', async () => {
    expect(await page.locator('[data-meta=node]').textContent()).toBe(fixture.node);
    expect(await page.locator('[data-meta=cpu]').textContent()).toBe(fixture.cpu);
    expect(await page.locator('[data-meta=gitSha]').textContent()).toBe(fixture.gitSha);
    expect(await page.locator('[data-meta=rows]').textContent()).toBe(String(fixture.rows.length));
  });

  it('draws exactly the expected charts, one per package view', async () => {
    const ids = await page.locator('figure.chart-card').evaluateAll((els) => els.map((e) => e.id));
    expect(ids).toEqual(charts.map((c) => c.id));
    // each package of the fixture has its section
    for (const pkg of new Set(fixture.rows.map((r) => r.name.split('/')[0]!)))
      await expect(page.locator(`#pkg-${pkg.replace(/[^a-zA-Z0-9]+/g, '-')} h2`).textContent()).resolves.toBe(
        pkg,
      );
  });

  it('speed charts are given the fixture speeds (MB/s where bytesPerOp is set) and draw bars that tall', async () => {
    const speed = charts.filter((c) => c.kind === 'speed');
    expect(speed.length).toBeGreaterThanOrEqual(5);
    expect(speed.some((c) => c.id.endsWith('-mbs'))).toBe(true);
    // every fixture row is plotted exactly once
    const plotted = speed.reduce(
      (n, c) => n + c.series.flatMap((s) => s.values.filter((v) => v !== null)).length,
      0,
    );
    expect(plotted).toBe(fixture.rows.length);
    for (const c of speed) await checkBarChart(page, c);
  });

  it('ratio charts and the overview are given syncwire ÷ peer from the fixture and draw bars that tall', async () => {
    const ratio = charts.filter((c) => c.kind === 'ratio' || c.kind === 'overview');
    expect(ratio.length).toBeGreaterThanOrEqual(5);
    for (const c of ratio) await checkBarChart(page, c);
  });

  it('history charts plot the fixture history plus the latest run', async () => {
    const hist = charts.filter((c) => c.kind === 'history');
    expect(hist.length).toBeGreaterThanOrEqual(3);
    for (const exp of hist) {
      const data = await chartData(page, exp.id);
      expect(data.categories).toEqual(history.map((e) => e.gitSha));
      expect(data.series.map((s) => s.label)).toEqual(exp.series.map((s) => s.label));
      for (const [i, s] of exp.series.entries())
        expectSameNumbers(data.series[i]!.values, s.values, `${exp.id} ${s.label}`);
      // uPlot's own data array is what it drew the lines from; and the line's midpoint has the line's colour
      const probe = await page.evaluate((id) => {
        const u = window.__dashboard!.charts[id]!.handle()!.u;
        const ys = u.data[1] as (number | null)[];
        const i = ys.findIndex((v, j) => v !== null && ys[j + 1] != null);
        const x = (u.valToPos(i, 'x', true) + u.valToPos(i + 1, 'x', true)) / 2;
        const y = (u.valToPos(ys[i]!, 'y', true) + u.valToPos(ys[i + 1]!, 'y', true)) / 2;
        const d = u.ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data;
        return { data: u.data.map((a) => Array.from(a as ArrayLike<number | null>)), pixel: Array.from(d) };
      }, exp.id);
      expect(probe.data[0]).toEqual(history.map((_, i) => i));
      for (const [i, s] of exp.series.entries())
        expectSameNumbers(probe.data[i + 1], s.values, `${exp.id} uPlot data`);
      const colour = rgb(data.series[0]!.color);
      const dist = Math.hypot(...colour.map((c, k) => c - probe.pixel[k]!));
      expect(dist, `${exp.id}: line pixel ${probe.pixel} vs ${colour}`).toBeLessThan(90);
    }
  });

  it('tables beside the charts hold the fixture values', async () => {
    for (const r of fixture.rows) {
      const row = page.locator(`tr[data-case="${r.name}"][data-impl="${r.impl}"]`);
      await expect(row.count(), `${r.name} ${r.impl} row`).resolves.toBe(1);
      const cell = (key: string) => row.locator(`[data-key="${key}"]`);
      expect(await cell('hz').getAttribute('data-value')).toBe(String(r.hz));
      expect(await cell('hz').textContent()).toBe(fmtOps(r.hz));
      expect(await cell('rme').textContent()).toBe(fmtRme(r.rme));
      expect(await cell('samples').textContent()).toBe(String(r.samples));
      if (r.bytesPerOp) expect(await cell('mbs').textContent()).toBe(fmtMBs((r.hz * r.bytesPerOp) / 1e6));
      for (const [k, v] of Object.entries(r.metrics ?? {})) {
        expect(await cell(`metric:${k}`).getAttribute('data-value')).toBe(String(v));
        expect(await cell(`metric:${k}`).textContent()).toBe(fmtMetric(v));
      }
      const ours = fixture.rows.find((o) => o.name === r.name && o.impl === 'syncwire')!;
      expect(await cell('ratio').textContent()).toBe(r.impl === 'syncwire' ? '—' : fmtRatio(ours.hz / r.hz));
    }
    // ratio tables: one cell per case and peer
    for (const c of charts.filter((x) => x.kind === 'ratio'))
      for (const s of c.series)
        for (const [i, v] of s.values.entries()) {
          const name = fixture.rows.find((r) => r.name.endsWith(`/${c.categories[i]}`))!.name;
          const td = page.locator(
            `#${c.id.replace('chart-', 'table-')} tr[data-case="${name}"] [data-key="vs:${s.label}"]`,
          );
          expect(await td.textContent()).toBe(v === null ? '—' : fmtRatio(v));
        }
    // the copy button copies the table as TSV
    const tsv = await page.evaluate(async () => {
      const t = document.querySelector('table[id^="table-"]') as HTMLTableElement;
      return Array.from(t.rows, (tr) => Array.from(tr.cells, (c) => c.textContent).join('\t')).join('\n');
    });
    expect(tsv.split('\n')[0]).toContain('\t');
  });

  it('hovering a bar or a commit shows its exact figures', async () => {
    const speed = charts.find((c) => c.kind === 'speed')!;
    const first = fixture.rows.find(
      (r) => r.name.endsWith(`/${speed.categories[0]}`) && r.impl === 'syncwire',
    )!;
    await page.locator(`#${speed.id} .chart`).evaluate((e) => e.scrollIntoView({ block: 'center' }));
    const box = await page.evaluate((id) => {
      const h = window.__dashboard!.charts[id]!.handle()!;
      const r = h.bar!(0, 0)!;
      const over = h.u.over.getBoundingClientRect();
      const px = devicePixelRatio;
      return {
        x: over.left + (r.left - h.u.bbox.left + r.width / 2) / px,
        y: over.top + ((r.valueY + r.originY) / 2 - h.u.bbox.top) / px,
      };
    }, speed.id);
    await page.mouse.move(box.x + 1, box.y + 1);
    await page.mouse.move(box.x, box.y);
    const tip = page.locator(`#${speed.id} .chart-tip`);
    await tip.waitFor({ state: 'visible', timeout: 5000 });
    expect(await tip.textContent()).toBe(
      `syncwire · ${speed.categories[0]}: ${fmtOps(first.hz)} ${fmtRme(first.rme)}`,
    );

    const hist = charts.find((c) => c.kind === 'history')!;
    await page.locator(`#${hist.id} .chart`).evaluate((e) => e.scrollIntoView({ block: 'center' }));
    const at = await page.evaluate((id) => {
      const u = window.__dashboard!.charts[id]!.handle()!.u;
      const over = u.over.getBoundingClientRect();
      return { x: over.left + u.valToPos(1, 'x'), y: over.top + over.height / 2 };
    }, hist.id);
    await page.mouse.move(at.x, at.y);
    const htip = page.locator(`#${hist.id} .chart-tip`);
    await htip.waitFor({ state: 'visible', timeout: 5000 });
    const text = (await htip.textContent()) ?? '';
    expect(text.startsWith(history[1]!.gitSha)).toBe(true);
    for (const s of hist.series)
      if (s.values[1] !== null) expect(text).toContain(`${s.label}: ${fmtRatio(s.values[1]!)}`);
    await page.mouse.move(0, 0);
  });

  it('switches to the dark theme and redraws every chart in its colours', async () => {
    const before = await chartData(page, 'chart-overview');
    const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const light = await bg();
    const renders = Number(await page.locator('html').getAttribute('data-ready'));
    // auto → light → dark
    await page.locator('.theme-toggle').click();
    await page.locator('.theme-toggle').click();
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
    await page.waitForSelector(`html[data-ready="${renders + 2}"]`);
    expect(await bg()).not.toBe(light);
    const after = await chartData(page, 'chart-overview');
    expect(after.series[0]!.color).not.toBe(before.series[0]!.color);
    await checkBarChart(page, charts.find((c) => c.kind === 'speed')!);
    await checkBarChart(page, charts.find((c) => c.kind === 'ratio')!);
    await page.screenshot({ path: join(shots, 'dashboard-dark.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows a clear empty state with the command when there are no results', async () => {
    const p = await open(`${origin}/empty.html`);
    await expect(p.locator('#empty-state h2').textContent()).resolves.toBe('No benchmark results yet');
    expect(await p.locator('#empty-state code').first().textContent()).toBe('npm run bench');
    expect(await p.locator('figure.chart-card').count()).toBe(0);
    await p.screenshot({ path: join(shots, 'dashboard-empty.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await p.close();
  });

  it('works offline from the file itself (file://, everything inlined)', async () => {
    const p = await open(pathToFileURL(join(site, 'index.html')).href);
    expect(await p.locator('figure.chart-card').count()).toBe(charts.length);
    await checkBarChart(p, charts[0]!);
    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await p.close();
  });
});
