import * as fastcdc from '@syncwire/fastcdc';
import { readmeSnippet } from '@syncwire/testkit';
import { expect, it } from 'vitest';

it('runs the README usage snippet', async () => {
  const snippet = readmeSnippet(import.meta.url);
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
