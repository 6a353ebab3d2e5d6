import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

const setup = fileURLToPath(new URL('./vitest.setup.ts', import.meta.url));

/** Shared vitest config: tests resolve @syncwire/* to src through the `@syncwire/source` condition. */
export default defineConfig({
  ssr: { resolve: { conditions: ['@syncwire/source', ...defaultServerConditions] } },
  resolve: { conditions: ['@syncwire/source'] },
  test: {
    setupFiles: [setup],
    testTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results/vitest.json' },
  },
});
