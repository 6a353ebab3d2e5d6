import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as fastcdc from '@syncwire/fastcdc';
import { expect, it } from 'vitest';

it('runs the README usage snippet', async () => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const snippet = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  const body = snippet.replace(/^import .*$/gm, '');
  const logs: unknown[] = [];
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => (...a: unknown[]) => Promise<void>;
  const run = new AsyncFunction(
    'lib',
    'console',
    `const { ${Object.keys(fastcdc).join(', ')} } = lib;\n${body}`,
  );
  await run(fastcdc, { log: (...a: unknown[]) => logs.push(...a) });
  expect(logs).toEqual([true, true, true]);
});
