import { runReadmeSnippet } from '@syncwire/testkit';
import { expect, it, vi } from 'vitest';

it('the README snippet runs and prints what its comments say', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await runReadmeSnippet(import.meta.url);
    expect(log.mock.calls).toEqual([[300], [37], ['rejected', 0], [428]]);
  } finally {
    log.mockRestore();
  }
});
