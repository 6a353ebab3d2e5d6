import { defineConfig } from 'tsup';

// A Node-only app: ESM only, the CLI gets a shebang; @syncwire/* stay external (resolved from node_modules).
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  tsconfig: 'tsconfig.build.json',
});
