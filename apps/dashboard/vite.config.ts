import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { benchData, inlineAssets } from './build/vite-plugins.ts';

/**
 * `vite build` reads ../../bench/results/latest.json and history/*.json into dist/;
 * `vite build --mode e2e` reads the test fixtures into .test-results/site/ (what the e2e test serves).
 * DASHBOARD_RESULTS / DASHBOARD_HISTORY override either path.
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
  return {
    base: './',
    plugins: [benchData(results, history), inlineAssets()],
    build: {
      outDir: resolve(here, e2e ? '.test-results/site' : 'dist'),
      emptyOutDir: true,
      target: 'es2022',
      modulePreload: false,
      reportCompressedSize: false,
    },
  };
});
