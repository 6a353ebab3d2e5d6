// Saves a full-page screenshot of a built dashboard (default: dist/ → screenshot.png) with Debian chromium.
// Usage: npm run screenshot -w apps/dashboard   (builds from bench/results/latest.json first)
// Env: DASHBOARD_THEME=dark, DASHBOARD_SHOT_HEIGHT=<css px> (top of the page only).
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { createStaticServer, listen } from './serve.ts';

const root = resolve(process.argv[2] ?? 'dist');
const out = resolve(process.argv[3] ?? 'screenshot.png');
const theme = process.env.DASHBOARD_THEME === 'dark' ? 'dark' : 'light';
const server = createStaticServer(root);
const url = await listen(server, 0);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, colorScheme: theme });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('html[data-ready]', { timeout: 15_000 });
  if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
  // DASHBOARD_SHOT_HEIGHT=<css px> keeps only the top of the page (a README picture), else the whole page.
  const height = Number(process.env.DASHBOARD_SHOT_HEIGHT ?? 0);
  const full = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot(
    height > 0
      ? { path: out, fullPage: true, clip: { x: 0, y: 0, width: 1600, height: Math.min(height, full) } }
      : { path: out, fullPage: true },
  );
  console.log(`screenshot: ${out}`);
} finally {
  await browser.close();
  server.close();
}
