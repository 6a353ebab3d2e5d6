import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as lib from '@syncwire/bloom';
import { expect, it } from 'vitest';

it('runs the README usage snippet', async () => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const snippet = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  const body = snippet.replace(/^import .*$/gm, '');
  const logs: unknown[] = [];
  const run = new Function('lib', 'console', `const { ${Object.keys(lib).join(', ')} } = lib;\n${body}`);
  run(lib, { log: (...a: unknown[]) => logs.push(...a) });
  expect(logs.length).toBeGreaterThan(0);
  expect(logs.every((l) => l === true)).toBe(true);
});
