import v8 from 'node:v8';
import { Prng } from '@syncwire/testkit';
import { describe, expect, it } from 'vitest';
import { simdKernel } from '../src/kernel-simd.ts';
import { tableKernel } from '../src/kernel-table.ts';
import { expectSameShards } from './helpers.ts';

// Node 20 ships relaxed SIMD behind a flag; enabling it before the first compile lets this file check the
// relaxed module against the others too (Node >= 22 and current browsers have it on by default).
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const plain = simdKernel('plain');
const relaxed = simdKernel('relaxed');

describe('kernels', () => {
  it('both SIMD modules load here', () => {
    expect(plain?.name).toBe('simd');
    expect(relaxed?.name).toBe('simd');
  });

  it('plain SIMD, relaxed SIMD and tables give identical bytes for random matrices and lengths', () => {
    const prng = new Prng(5);
    // Lengths around the 32-byte step and the 4 KiB minimum pass, plus a multi-pass length.
    const lengths = [0, 1, 2, 15, 16, 17, 31, 32, 33, 63, 100, 4095, 4096, 4097, 70_001];
    for (let trial = 0; trial < 60; trial++) {
      const nin = 1 + prng.below(trial < 50 ? 12 : 200);
      const nout = 1 + prng.below(trial < 50 ? 9 : 40);
      const len = lengths[trial % lengths.length] as number;
      const matrix = prng.bytes(nin * nout);
      if (trial % 7 === 0) matrix.fill(0, 0, nin); // zero and one coefficients take table shortcuts
      if (trial % 5 === 0) matrix.fill(1, nin, Math.min(2 * nin, matrix.length));
      const inputs = Array.from({ length: nin }, () => prng.bytes(len));
      const outs = [tableKernel, plain, relaxed].map((k) => {
        const o = Array.from({ length: nout }, () => prng.bytes(len)); // stale contents must not leak in
        k?.mul(matrix, inputs, o, len);
        return o;
      });
      expectSameShards(outs[1] as Uint8Array[], outs[0] as Uint8Array[]);
      expectSameShards(outs[2] as Uint8Array[], outs[0] as Uint8Array[]);
    }
  });

  it('reads inputs at any byte offset (subarray views)', () => {
    const prng = new Prng(9);
    const backing = prng.bytes(4 * 1000 + 3);
    const inputs = [0, 1, 2, 3].map((i) =>
      backing.subarray(3 + i * 1000 - (i % 2), 3 + i * 1000 - (i % 2) + 999),
    );
    const matrix = prng.bytes(8);
    const a = [new Uint8Array(999), new Uint8Array(999)];
    const b = [new Uint8Array(999), new Uint8Array(999)];
    tableKernel.mul(matrix, inputs, a, 999);
    plain?.mul(matrix, inputs, b, 999);
    expectSameShards(b, a);
  });
});

describe('in-place shards (allocate)', () => {
  it('arena shards give the same bytes as copied ones, for whole slots and for odd subarray views', () => {
    const prng = new Prng(11);
    for (const k of [plain, relaxed]) {
      if (k?.allocate === undefined) throw new Error('SIMD kernel without allocate');
      for (const len of [1, 31, 32, 33, 1000, 70_001]) {
        const shards = k.allocate(7, len, 4, 3);
        expect(shards.map((s) => s.length)).toEqual(Array(7).fill(len));
        expect(shards.every((s) => s.every((b) => b === 0))).toBe(true);
        for (let i = 0; i < 4; i++) prng.fill(shards[i] as Uint8Array);
        const matrix = prng.bytes(12);
        const want = [0, 1, 2].map(() => new Uint8Array(len));
        tableKernel.mul(matrix, shards.slice(0, 4), want, len);
        // Stale output contents and the neighbours' bytes must survive only where they should.
        for (let i = 4; i < 7; i++) prng.fill(shards[i] as Uint8Array);
        const before = (shards[0] as Uint8Array).slice();
        k.mul(matrix, shards.slice(0, 4), shards.slice(4), len);
        expectSameShards(shards.slice(4), want);
        expectSameShards([shards[0] as Uint8Array], [before]);
        // Subarray views inside slots fall back to copying and must not write past their ends.
        if (len > 2) {
          const views = shards.slice(4).map((s) => s.subarray(1, len - 1));
          const guard = shards.slice(4).map((s) => [s[0], s[len - 1]]);
          k.mul(
            matrix,
            shards.slice(0, 4).map((s) => s.subarray(1, len - 1)),
            views,
            len - 2,
          );
          expect(shards.slice(4).map((s) => [s[0], s[len - 1]])).toEqual(guard);
          expectSameShards(
            views,
            want.map((w) => w.subarray(1, len - 1)),
          );
        }
      }
    }
  });
});
