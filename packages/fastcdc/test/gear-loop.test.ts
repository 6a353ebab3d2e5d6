import { Prng } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gearLoop, gearLoopBytes, gearLoopWords } from '../src/gear-loop.ts';
import { resolveOptions } from '../src/options.ts';

describe('gear loop variants', () => {
  it('this host uses the word-load loop', () => {
    expect(gearLoop).toBe(gearLoopWords);
  });

  it('word loads (any byteOffset alignment) and byte loads agree, including resumed state', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(256, 1024, 1100, 16384, 4_194_304),
        fc.nat(),
        (offset, from, len, level, avg, seed) => {
          const p = resolveOptions('t', { min: 64, avg, max: Math.max(1024, avg), level, engine: 'js' });
          const backing = new Prng(seed).bytes(offset + from + len + 8);
          const buf = backing.subarray(offset, offset + from + len);
          const mid = from + (seed % (len + 1));
          const sw = Int32Array.of(seed | 0, (seed * 7) | 0);
          const sb = Int32Array.from(sw);
          const a = gearLoopWords(p, buf, from, mid, from + len, sw);
          const b = gearLoopBytes(p, buf, from, mid, from + len, sb);
          expect(a).toBe(b);
          if (a < 0) expect([...sw]).toEqual([...sb]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
