import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as reconcile from '@syncwire/reconcile';
import { expect, it } from 'vitest';

it('runs the README usage snippet', () => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const snippet = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  const body = snippet.replace(/^import[\s\S]*?from '@syncwire\/reconcile';$/m, '');
  const logs: unknown[] = [];
  const run = new Function(
    'lib',
    'console',
    `const { ${Object.keys(reconcile).join(', ')} } = lib;\n${body}`,
  );
  run(reconcile, { log: (...a: unknown[]) => logs.push(...a) });
  expect(logs).toEqual([true, true, true, true]);
});
