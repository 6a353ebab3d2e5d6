import { runReadmeSnippet } from '@syncwire/testkit';
import { expect, it, vi } from 'vitest';

it('the README snippet runs and prints what its comments say', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await runReadmeSnippet(import.meta.url);
    expect(log.mock.calls).toEqual([[{ version: 1n, agent: 'syncwire' }], [null], ['syncwire'], [13]]);
  } finally {
    log.mockRestore();
  }
});
