import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { concat } from '@syncwire/bytes';
import { Chunker, chunk, type FastCdcOptions } from '@syncwire/fastcdc';
import { Prng, randomBytes, splits } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGearScan, generatedSource } from '../scripts/build-wasm.ts';
import { resolveOptions } from '../src/options.ts';

const plain = (cs: readonly { offset: number; length: number; hash?: bigint }[]) =>
  cs.map((c) => [c.offset, c.length, c.hash]);

describe('WebAssembly engine', () => {
  it('the committed kernel is a fresh build of wasm/gear-scan.wat', async () => {
    const committed = readFileSync(
      fileURLToPath(new URL('../src/gear-wasm.generated.ts', import.meta.url)),
      'utf8',
    );
    expect(committed).toBe(generatedSource(await buildGearScan()));
  });

  it('auto picks wasm here; js and wasm are selectable', () => {
    expect(resolveOptions('t', {}).engine).toBe('wasm');
    expect(resolveOptions('t', { engine: 'js' }).engine).toBe('js');
    expect(() => resolveOptions('t', { engine: 'gpu' as 'js' })).toThrow(TypeError);
  });

  it('gives the same chunks and hashes as the TypeScript loop for random sizes, levels, seeds, variants', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 64, max: 3000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 30000 }),
        fc.integer({ min: 0, max: 3 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.constantFrom('v2020' as const, 'v2016' as const),
        fc.integer({ min: 0, max: 200_000 }),
        fc.nat(),
        (min, avgExtra, maxExtra, level, seed, variant, n, dataSeed) => {
          const avg = Math.max(256, min + avgExtra);
          const o: FastCdcOptions = { min, avg, max: Math.max(1024, avg + maxExtra), level, seed, variant };
          const data = new Prng(dataSeed).bytes(n);
          const js = chunk(data, { ...o, engine: 'js', hashes: true });
          expect(plain(chunk(data, { ...o, engine: 'wasm', hashes: true }))).toEqual(plain(js));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('inputs larger than one copied window (1 MiB) and chunks up to 16 MiB', () => {
    const data = randomBytes(5 << 20, 77);
    for (const o of [
      { min: 4096, avg: 16384, max: 65536 },
      { min: 1 << 20, avg: 4 << 20, max: 16 << 20 },
      { min: 64, avg: 256, max: 1024, level: 3 },
    ]) {
      expect(plain(chunk(data, { ...o, engine: 'wasm' }))).toEqual(
        plain(chunk(data, { ...o, engine: 'js' })),
      );
    }
  });

  it('streams with random splits, and two chunkers with different options interleaved', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60_000 }).chain((n) => splits(randomBytes(n, n + 3))),
        (parts) => {
          const whole = concat(parts);
          const oa: FastCdcOptions = { min: 256, avg: 1024, max: 4096, engine: 'wasm' };
          const ob: FastCdcOptions = { min: 300, avg: 2000, max: 9000, seed: 5, engine: 'wasm' };
          const a = new Chunker(oa);
          const b = new Chunker(ob);
          const ga = [];
          const gb = [];
          for (const p of parts) {
            ga.push(...a.push(p));
            gb.push(...b.push(p));
          }
          ga.push(...a.finish());
          gb.push(...b.finish());
          expect(plain(ga)).toEqual(plain(chunk(whole, { ...oa, engine: 'js' })));
          expect(plain(gb)).toEqual(plain(chunk(whole, { ...ob, engine: 'js' })));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a caller refilling the same input buffer between pushes is seen (no stale copy)', () => {
    const data = randomBytes(300_000, 8);
    const o: FastCdcOptions = { min: 1024, avg: 4096, max: 16384, engine: 'wasm' };
    const want = plain(chunk(data, { ...o, engine: 'js' }));
    const scratch = new Uint8Array(50_000);
    const chunker = new Chunker(o);
    const got = [];
    for (let i = 0; i < data.length; i += scratch.length) {
      scratch.set(data.subarray(i, i + scratch.length));
      got.push(...chunker.push(scratch).map((c) => ({ ...c, bytes: c.bytes.slice() })));
    }
    got.push(...chunker.finish());
    expect(plain(got)).toEqual(want);
    const again = data.slice(0, 100_000);
    const first = plain(chunk(again, o));
    again.set(randomBytes(100_000, 9));
    expect(plain(chunk(again, o))).toEqual(plain(chunk(again, { ...o, engine: 'js' })));
    expect(plain(chunk(again, o))).not.toEqual(first);
  });
});
