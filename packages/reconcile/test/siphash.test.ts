import { sipHash24 } from '@syncwire/reconcile';
import { notBytes } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// Straight BigInt transcription of the SipHash-2-4 paper, as the differential reference.
const M64 = (1n << 64n) - 1n;
const rotl = (x: bigint, b: bigint) => ((x << b) | (x >> (64n - b))) & M64;
function referenceSipHash(key: Uint8Array, m: Uint8Array): bigint {
  const le = (b: Uint8Array, o: number, n: number) => {
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[o + i]!);
    return v;
  };
  const k0 = le(key, 0, 8);
  const k1 = le(key, 8, 8);
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = () => {
    v0 = (v0 + v1) & M64;
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & M64;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = (v0 + v3) & M64;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = (v2 + v1) & M64;
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const full = m.length - (m.length % 8);
  for (let i = 0; i < full; i += 8) {
    const w = le(m, i, 8);
    v3 ^= w;
    round();
    round();
    v0 ^= w;
  }
  const b = (BigInt(m.length & 0xff) << 56n) | le(m, full, m.length - full);
  v3 ^= b;
  round();
  round();
  v0 ^= b;
  v2 ^= 0xffn;
  for (let i = 0; i < 4; i++) round();
  return v0 ^ v1 ^ v2 ^ v3;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const key = Uint8Array.from({ length: 16 }, (_, i) => i);

describe('sipHash24', () => {
  it('matches the SipHash paper vectors (key 00..0f, message 00..n-1)', () => {
    // Appendix A of the paper / vectors.h of the reference C code, as little-endian bytes.
    const expected: Record<number, string> = {
      0: '310e0edd47db6f72',
      1: 'fd67dc93c539f874',
      15: 'e545be4961ca29a1',
    };
    for (const [n, h] of Object.entries(expected)) {
      const msg = Uint8Array.from({ length: Number(n) }, (_, i) => i);
      expect(hex(sipHash24(key, msg))).toBe(h);
    }
  });

  it('agrees with a BigInt transcription of the spec on random keys and messages', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ maxLength: 80 }),
        (k, m) => {
          const got = sipHash24(k, m);
          let v = 0n;
          for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(got[i]!);
          expect(v).toBe(referenceSipHash(k, m));
        },
      ),
    );
  });

  it('rejects bad keys and data', () => {
    expect(() => sipHash24(new Uint8Array(15), new Uint8Array(1))).toThrow(RangeError);
    for (const [, bad] of notBytes) {
      expect(() => sipHash24(bad as Uint8Array, new Uint8Array(1))).toThrow(TypeError);
      expect(() => sipHash24(key, bad as Uint8Array)).toThrow(TypeError);
    }
  });
});
