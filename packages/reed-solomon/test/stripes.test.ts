import { concat, equals, isCodecError } from '@syncwire/bytes';
import {
  blobShardLength,
  decodeStream,
  encodeStream,
  type MaybeShards,
  StripeDecoder,
  StripeEncoder,
  splitBlob,
} from '@syncwire/reed-solomon';
import { notBytes, Prng, splits } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectSameShards } from './helpers.ts';

function encodeAll(chunks: Uint8Array[], k: number, m: number, shardSize: number): Uint8Array[][] {
  const enc = new StripeEncoder(k, m, { shardSize });
  const out: Uint8Array[][] = [];
  for (const c of chunks) out.push(...enc.push(c));
  out.push(...enc.finish());
  return out;
}

function decodeAll(stripes: MaybeShards[], k: number, m: number, maxLength?: number): Uint8Array {
  const dec = new StripeDecoder(k, m, maxLength === undefined ? {} : { maxLength });
  const parts = stripes.map((s) => dec.push(s));
  parts.push(dec.finish());
  return concat(parts);
}

describe('StripeEncoder / StripeDecoder', () => {
  it('stream lengths around stripe and trailer boundaries round-trip, with the expected stripe count', () => {
    const k = 3;
    const s = 5; // stripe = 15 bytes of stream
    for (let len = 0; len <= 50; len++) {
      const data = new Prng(len).bytes(len);
      const stripes = encodeAll([data], k, 2, s);
      expect(stripes.length).toBe(Math.ceil((len + 8) / 15));
      expect(stripes.every((st) => st.length === 5 && st.every((x) => x.length === s))).toBe(true);
      expect(equals(decodeAll(stripes, k, 2), data)).toBe(true);
    }
  });

  it('a one-stripe stream with shardSize = blobShardLength is exactly the blob framing', () => {
    const data = new Prng(3).bytes(1234);
    const k = 6;
    const stripes = encodeAll([data], k, 2, blobShardLength(data.length, k));
    expect(stripes.length).toBe(1);
    expectSameShards((stripes[0] as Uint8Array[]).slice(0, k), splitBlob(data, k));
  });

  it('property: chunking invariance and recovery from m lost shards per stripe', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }).chain((d) => fc.tuple(fc.constant(d), splits(d))),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer(),
        ([data, chunks], k, m, shardSize, seed) => {
          const whole = encodeAll([data], k, m, shardSize);
          const chunked = encodeAll(chunks, k, m, shardSize);
          expect(chunked.length).toBe(whole.length);
          whole.forEach((st, i) => {
            expectSameShards(chunked[i] as Uint8Array[], st);
          });
          const prng = new Prng(seed);
          const damaged = whole.map((st) => {
            const copy: MaybeShards = st.slice();
            for (let j = 0; j < m; j++) copy[prng.below(k + m)] = null;
            return copy;
          });
          expect(equals(decodeAll(damaged, k, m), data)).toBe(true);
        },
      ),
    );
  });

  it('the decoder releases all but the last stripe + 7 bytes as it goes (bounded memory)', () => {
    const k = 4;
    const s = 64;
    const data = new Prng(4).bytes(10_000);
    const stripes = encodeAll([data], k, 2, s);
    const dec = new StripeDecoder(k, 2);
    let released = 0;
    stripes.forEach((st, i) => {
      released += dec.push(st).length;
      expect(released).toBe(Math.max(0, (i + 1) * k * s - (k * s + 7)));
    });
    expect(released + dec.finish().length).toBe(data.length);
  });

  it('maxLength: limit_exceeded as soon as the stream is certainly too long', () => {
    const stripes = encodeAll([new Prng(5).bytes(1000)], 2, 1, 50); // 100-byte stripes
    expect(equals(decodeAll(stripes, 2, 1, 1000), new Prng(5).bytes(1000))).toBe(true);
    expect(() => decodeAll(stripes, 2, 1, 999)).toThrow(expect.objectContaining({ code: 'limit_exceeded' }));
    const dec = new StripeDecoder(2, 1, { maxLength: 300 });
    expect(() =>
      stripes.forEach((st) => {
        dec.push(st);
      }),
    ).toThrow(expect.objectContaining({ code: 'limit_exceeded' }));
  });

  it('rejects bad trailers, padding and empty streams with CodecError', () => {
    expect(() => new StripeDecoder(2, 1).finish()).toThrow(
      expect.objectContaining({ code: 'unexpected_eof' }),
    );
    const stripes = encodeAll([Uint8Array.of(1, 2, 3)], 2, 1, 8); // 16-byte stripe: 3 data, 5 pad, 8 trailer
    const pad = stripes.map((st) => st.map((x) => x.slice()));
    (pad[0]?.[0] as Uint8Array)[5] = 1;
    expect(() => decodeAll(pad, 2, 1)).toThrow(expect.objectContaining({ code: 'invalid_value' }));
    // An extra all-zero stripe after a valid stream: the trailer no longer sits at the end.
    const extra = [...stripes, stripes[0]?.map((x) => new Uint8Array(x.length)) as Uint8Array[]];
    expect(() => decodeAll(extra, 2, 1)).toThrow(expect.objectContaining({ code: 'not_minimal' }));
  });

  it('totality: random stripes decode or throw CodecError, nothing else', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        (k, s, n, seed) => {
          const prng = new Prng(seed);
          const stripes = Array.from({ length: n }, () => Array.from({ length: k + 1 }, () => prng.bytes(s)));
          try {
            decodeAll(stripes, k, 1);
          } catch (e) {
            if (!isCodecError(e)) throw e;
          }
        },
      ),
    );
  });

  it('bad arguments and misuse', () => {
    const enc = new StripeEncoder(2, 1);
    for (const [, bad] of notBytes) expect(() => enc.push(bad as Uint8Array)).toThrow(TypeError);
    expect(() => new StripeEncoder(2, 1, { shardSize: 0 })).toThrow(RangeError);
    expect(() => new StripeDecoder(2, 1, { maxLength: 1.5 })).toThrow(TypeError);
    enc.finish();
    expect(() => enc.push(new Uint8Array(1))).toThrow(/after finish/);
    const dec = new StripeDecoder(2, 1);
    expect(() => dec.push([new Uint8Array(0), new Uint8Array(0), null])).toThrow(RangeError);
    dec.push([new Uint8Array(4), new Uint8Array(4), null]);
    expect(() => dec.push([new Uint8Array(5), new Uint8Array(5), null])).toThrow(/differs/);
    expect(() => dec.push([new Uint8Array(4), null, null])).toThrow(/need at least 2/);
  });

  it('async adapters round-trip', async () => {
    const data = new Prng(6).bytes(5000);
    async function* chunks() {
      for (let i = 0; i < data.length; i += 333) yield data.subarray(i, i + 333);
    }
    const stripes: MaybeShards[] = [];
    for await (const st of encodeStream(chunks(), 3, 2, { shardSize: 100 }))
      stripes.push([null, ...st.slice(1)]);
    const parts: Uint8Array[] = [];
    for await (const p of decodeStream(stripes, 3, 2)) parts.push(p);
    expect(equals(concat(parts), data)).toBe(true);
  });
});
