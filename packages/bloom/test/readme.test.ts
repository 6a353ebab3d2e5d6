import * as lib from '@syncwire/bloom';
import { readmeSnippet } from '@syncwire/testkit';
import { expect, it } from 'vitest';

it('runs the README usage snippet', async () => {
  const snippet = readmeSnippet(import.meta.url);
  const body = snippet.replace(/^import .*$/gm, '');
  const logs: unknown[] = [];
  const run = new Function('lib', 'console', `const { ${Object.keys(lib).join(', ')} } = lib;\n${body}`);
  run(lib, { log: (...a: unknown[]) => logs.push(...a) });
  expect(logs.length).toBeGreaterThan(0);
  expect(logs.every((l) => l === true)).toBe(true);
});
