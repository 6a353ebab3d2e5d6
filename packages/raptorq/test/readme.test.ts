import * as raptorq from '@syncwire/raptorq';
import { readmeSnippet } from '@syncwire/testkit';
import { expect, it } from 'vitest';

it('the README usage snippet runs and prints what it says', async () => {
  const snippet = readmeSnippet(import.meta.url);
  const body = snippet
    .replace(/import \{([^}]*)\} from '@syncwire\/raptorq';/, 'const {$1} = mod;')
    .replace(/console\.log\(/g, 'log(');
  const logged: unknown[] = [];
  const run = new Function('mod', 'log', body) as (m: unknown, log: (v: unknown) => void) => void;
  run(raptorq, (v) => logged.push(v));
  expect(logged).toEqual([100_000]);
  expect(body).toMatch(/dec\.add/);
});
