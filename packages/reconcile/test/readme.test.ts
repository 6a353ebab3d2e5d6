import * as reconcile from '@syncwire/reconcile';
import { readmeSnippet } from '@syncwire/testkit';
import { expect, it } from 'vitest';

it('runs the README usage snippet', () => {
  const snippet = readmeSnippet(import.meta.url);
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
