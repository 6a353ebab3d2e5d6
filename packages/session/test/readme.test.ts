import { runReadmeSnippet } from '@syncwire/testkit';
import { expect, it } from 'vitest';

it('runs the README usage snippet', async () => {
  const { complete } = await runReadmeSnippet(import.meta.url);
  expect(complete).toBe(true);
});
