import { relative } from 'node:path';
import type { Plugin, Rolldown } from 'vite';
import { gatherDashboardData, jsonForHtml } from './gather.ts';

const PLACEHOLDER = '<!--bench-data-->';

/**
 * Inlines the bench results and history into index.html at build time, as
 * `<script type="application/json" id="bench-data">`, so dist/ needs no fetch and works offline.
 */
export function benchData(resultsFile: string, historyDir: string, benchPackageJson: string): Plugin {
  return {
    name: 'syncwire-bench-data',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (!html.includes(PLACEHOLDER)) throw new Error(`dashboard: index.html lacks ${PLACEHOLDER}`);
        const data = gatherDashboardData(resultsFile, historyDir, benchPackageJson);
        const rows = data.latest?.rows.length ?? 0;
        console.log(
          `dashboard: ${rows} result rows from ${relative(process.cwd(), resultsFile)}${data.latest ? '' : ' (missing: empty state)'}, ${data.history.length} history runs`,
        );
        return html.replace(
          PLACEHOLDER,
          `<script type="application/json" id="bench-data">${jsonForHtml(data)}</script>`,
        );
      },
    },
  };
}

/**
 * Folds the entry script and stylesheet into index.html, so dist/index.html is one self-contained file that
 * also opens from file:// (browsers refuse module scripts loaded from file:// URLs, not inline ones).
 */
export function inlineAssets(): Plugin {
  return {
    name: 'syncwire-inline-assets',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = Object.values(bundle).find(
        (f): f is Rolldown.OutputAsset => f.type === 'asset' && f.fileName.endsWith('.html'),
      );
      if (!html) return;
      let text = String(html.source);
      for (const file of Object.values(bundle)) {
        const escaped = file.fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        if (file.type === 'chunk' && file.isEntry) {
          const tag = new RegExp(`<script[^>]*src="[^"]*${escaped}"[^>]*></script>`);
          // `<\/script` means the same inside a JS string or regexp, and cannot close the element.
          const code = file.code.replace(/<\/script/gi, '<\\/script');
          text = text.replace(tag, () => `<script type="module">${code}</script>`);
          delete bundle[file.fileName];
        } else if (file.type === 'asset' && file.fileName.endsWith('.css')) {
          const tag = new RegExp(`<link[^>]*href="[^"]*${escaped}"[^>]*>`);
          text = text.replace(tag, () => `<style>${String(file.source)}</style>`);
          delete bundle[file.fileName];
        }
      }
      html.source = text;
    },
  };
}
