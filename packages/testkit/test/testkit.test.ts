import { Prng, randomBytes, splits } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('Prng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    expect(randomBytes(37, 7)).toEqual(randomBytes(37, 7));
    expect(randomBytes(37, 7)).not.toEqual(randomBytes(37, 8));
  });
  it('is roughly uniform', () => {
    const p = new Prng(1);
    const counts = new Array(16).fill(0);
    for (let i = 0; i < 160_000; i++) counts[p.below(16)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });
});

describe('splits', () => {
  it('pieces concatenate back to the input', () => {
    const input = randomBytes(100);
    fc.assert(
      fc.property(splits(input), (parts) => {
        const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let o = 0;
        for (const p of parts) {
          joined.set(p, o);
          o += p.length;
        }
        expect(joined).toEqual(input);
      }),
    );
  });
});
