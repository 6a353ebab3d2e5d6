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
