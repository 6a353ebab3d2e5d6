import { runReadmeSnippet } from '@syncwire/testkit';
import { expect, it } from 'vitest';

it('runs the README usage snippet', async () => {
  const { ok, tampered } = await runReadmeSnippet(import.meta.url);
  expect(ok).toBe(true);
  expect(tampered).toBe(false);
});
