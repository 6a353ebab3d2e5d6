import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { benchData, inlineAssets } from './build/vite-plugins.ts';

/**
 * `vite build` inlines ../../bench/results/latest.json, history/*.json and the dependency names of
 * ../../bench/package.json (they tell peer libraries from baselines) into dist/index.html;
 * `vite build --mode e2e` does the same from test/fixtures/ into .test-results/site/ (what the e2e test serves).
 * DASHBOARD_RESULTS, DASHBOARD_HISTORY and DASHBOARD_BENCH_PACKAGE override the paths.
 */
const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(({ mode }) => {
  const e2e = mode === 'e2e';
  const results = process.env.DASHBOARD_RESULTS
    ? resolve(process.env.DASHBOARD_RESULTS)
    : resolve(here, e2e ? 'test/fixtures/results.json' : '../../bench/results/latest.json');
  const history = process.env.DASHBOARD_HISTORY
    ? resolve(process.env.DASHBOARD_HISTORY)
    : resolve(here, e2e ? 'test/fixtures/history' : 'history');
  const benchPackage = process.env.DASHBOARD_BENCH_PACKAGE
    ? resolve(process.env.DASHBOARD_BENCH_PACKAGE)
    : resolve(here, e2e ? 'test/fixtures/bench-package.json' : '../../bench/package.json');
  return {
    base: './',
    plugins: [benchData(results, history, benchPackage), inlineAssets()],
    build: {
      outDir: resolve(here, e2e ? '.test-results/site' : 'dist'),
      emptyOutDir: true,
      target: 'es2022',
      modulePreload: false,
      reportCompressedSize: false,
    },
  };
});
