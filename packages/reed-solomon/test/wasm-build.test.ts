import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs build scripts carry no type declarations
import { compileKernel, renderBytesModule } from '../scripts/compile-kernel.mjs';
// @ts-expect-error plain .mjs build scripts carry no type declarations
import { generateWat, WAT_FILES } from '../scripts/gen-wat.mjs';

const read = (rel: string) => readFileSync(new URL(rel, import.meta.url), 'utf8');

describe('the shipped WASM is reproducible from committed source', () => {
  it('the committed .wat files are what the generator writes', () => {
    for (const [name, relaxed] of WAT_FILES as [string, boolean][]) {
      expect(read(`../wasm/${name}`)).toBe(generateWat(relaxed));
    }
  });

  it('src/wasm-kernel-bytes.ts is the wabt compilation of the committed .wat files', async () => {
    const plain = await compileKernel(read('../wasm/rs-kernel.wat'));
    const relaxed = await compileKernel(read('../wasm/rs-kernel-relaxed.wat'));
    expect(read('../src/wasm-kernel-bytes.ts')).toBe(renderBytesModule(plain, relaxed));
  });
});
