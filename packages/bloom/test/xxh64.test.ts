import { fmix64, mulHi32, xxh64, xxh64Into } from '@syncwire/bloom';
import { notBytes } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import xxhash from 'xxhash-wasm';

const { h64Raw } = await xxhash();

describe('xxh64', () => {
  it('matches xxhash-wasm on every length 0..300 and edge seeds', () => {
    for (let n = 0; n <= 300; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 0xff);
      for (const seed of [0n, 1n, 0xffffffffn, 0x100000000n, 0xffffffffffffffffn]) {
        expect(xxh64(b, seed)).toBe(h64Raw(b, seed));
      }
    }
  });

  it('matches xxhash-wasm on random bytes and seeds (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        (b, seed) => {
          expect(xxh64(b, seed)).toBe(h64Raw(b, seed));
        },
      ),
    );
  });

  it('hashes subarray views by their own bytes', () => {
    const big = Uint8Array.from({ length: 100 }, (_, i) => i);
    expect(xxh64(big.subarray(3, 60))).toBe(h64Raw(big.slice(3, 60), 0n));
  });

  it('xxh64Into writes [lo, hi] at the offset', () => {
    const out = new Uint32Array(4);
    xxh64Into(new Uint8Array(0), 0, 0, out, 2);
    expect([out[2], out[3]]).toEqual([0x51d8e999, 0xef46db37]);
  });

  it('rejects bad arguments with TypeError/RangeError', () => {
    for (const [, bad] of notBytes) expect(() => xxh64(bad as Uint8Array)).toThrow(TypeError);
    expect(() => xxh64(new Uint8Array(0), -1)).toThrow(TypeError);
    expect(() => xxh64(new Uint8Array(0), 1n << 64n)).toThrow(RangeError);
    expect(() => xxh64(new Uint8Array(0), 1.5)).toThrow(/non-negative safe integer/);
  });
});

describe('u64 helpers', () => {
  it('mulHi32 is exact (property against BigInt)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (a, b) => {
          expect(mulHi32(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
        },
      ),
    );
    expect(mulHi32(0xffffffff, 0xffffffff)).toBe(0xfffffffe);
  });

  it('fmix64 matches MurmurHash3 fmix64 known answers', () => {
    const cases: [bigint, bigint][] = [
      [0n, 0n],
      [1n, 0xb456bcfc34c2cb2cn],
      [0x123456789abcdef0n, 0x18b8c062f6f42398n],
      [0xffffffffffffffffn, 0x64b5720b4b825f21n],
    ];
    for (const [x, y] of cases) {
      const w = new Uint32Array([Number(x & 0xffffffffn), Number(x >> 32n)]);
      fmix64(w, 0);
      expect((BigInt(w[1]!) << 32n) | BigInt(w[0]!)).toBe(y);
    }
  });
});
