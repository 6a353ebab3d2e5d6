import { equals, toHex } from '@syncwire/bytes';
import { expect } from 'vitest';

/**
 * Asserts two shard lists are byte-identical. vitest's deep equality walks typed arrays element by element
 * (seconds for megabytes), so compare with `equals` and only render a short diff on failure.
 */
export function expectSameShards(
  actual: readonly (Uint8Array | null | undefined)[],
  expected: readonly Uint8Array[],
): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i] as Uint8Array;
    if (!(a instanceof Uint8Array) || !equals(a, e)) {
      expect.fail(
        `shard ${i} differs: got ${a instanceof Uint8Array ? `${a.length} bytes ${toHex(a.subarray(0, 16))}…` : String(a)}, want ${e.length} bytes ${toHex(e.subarray(0, 16))}…`,
      );
    }
  }
}
