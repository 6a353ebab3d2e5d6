import { rmSync } from 'node:fs';
import { defineConfig } from 'tsup';

// Two builds so that only the Node-only entry sees Node's types: `index` is checked with `types: []`
// (isomorphic), `node` (node:crypto hasher) with `types: ["node"]`. They share dist/, so clean it once
// here instead of letting either build wipe the other's output.
rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });

const common = {
  format: ['esm', 'cjs'] as ('esm' | 'cjs')[],
  dts: true,
  sourcemap: true,
  clean: false,
  target: 'es2022',
};

export default defineConfig([
  { ...common, entry: ['src/index.ts'], tsconfig: 'tsconfig.build.json' },
  { ...common, entry: ['src/node.ts'], tsconfig: 'tsconfig.node.json', external: ['node:crypto'] },
]);
