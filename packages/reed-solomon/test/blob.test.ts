import { equals, isCodecError } from '@syncwire/bytes';
import { blobShardLength, joinBlob, type MaybeShards, ReedSolomon, splitBlob } from '@syncwire/reed-solomon';
import { garbage, mutated, notBytes, Prng } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('splitBlob / joinBlob', () => {
  it('frames as data ‖ zeros ‖ u64le(length) over k equal shards', () => {
    const shards = splitBlob(Uint8Array.of(1, 2, 3), 2);
    expect(shards.map((s) => [...s])).toEqual([
      [1, 2, 3, 0, 3, 0],
      [0, 0, 0, 0, 0, 0],
    ]);
    expect(blobShardLength(3, 2)).toBe(6);
    expect(splitBlob(new Uint8Array(0), 1).map((s) => [...s])).toEqual([[0, 0, 0, 0, 0, 0, 0, 0]]);
    expect(joinBlob(splitBlob(new Uint8Array(0), 3))).toEqual(new Uint8Array(0));
  });

  it('property: join(split(x)) = x, also after losing any m shards', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer(),
        (data, k, m, seed) => {
          const shards = splitBlob(data, k);
          expect(shards.every((s) => s.length === blobShardLength(data.length, k))).toBe(true);
          expect(equals(joinBlob(shards), data)).toBe(true);
          const rs = new ReedSolomon(k, m);
          const full = rs.encode([...shards, ...Array(m).fill(null)]);
          const prng = new Prng(seed);
          const partial: MaybeShards = full.slice();
          for (let i = 0; i < m; i++) partial[prng.below(k + m)] = null;
          expect(equals(joinBlob(rs.reconstructData(partial)), data)).toBe(true);
        },
      ),
    );
  });

  it('rejects non-canonical and inconsistent framing with CodecError', () => {
    // 5 data bytes + 1 padding + 8 trailer = 2 shards of 7: [9 9 9 9 9 0 5] [0 0 0 0 0 0 0].
    const ok = splitBlob(Uint8Array.of(9, 9, 9, 9, 9), 2);
    expect([...(ok[0] as Uint8Array)]).toEqual([9, 9, 9, 9, 9, 0, 5]);
    const bad = ok.map((s) => s.slice());
    (bad[0] as Uint8Array)[5] = 1; // the padding byte
    expect(() => joinBlob(bad)).toThrow(expect.objectContaining({ code: 'invalid_value', offset: 5 }));
    const tooLong = ok.map((s) => s.slice());
    (tooLong[0] as Uint8Array)[6] = 7; // declares 7 bytes; only 14 - 8 = 6 fit
    expect(() => joinBlob(tooLong)).toThrow(expect.objectContaining({ code: 'out_of_range' }));
    const over = ok.map((s) => s.slice());
    (over[1] as Uint8Array)[6] = 0xff;
    (over[1] as Uint8Array)[5] = 0xff;
    expect(() => joinBlob(over)).toThrow(expect.objectContaining({ code: 'overflow' }));
    // Longer shards than the length needs: padding of k bytes or more.
    const padded = [new Uint8Array(20), new Uint8Array(20)];
    (padded[1] as Uint8Array)[12] = 5;
    expect(() => joinBlob(padded)).toThrow(expect.objectContaining({ code: 'not_minimal' }));
    expect(() => joinBlob([new Uint8Array(3), new Uint8Array(3)])).toThrow(
      expect.objectContaining({ code: 'unexpected_eof' }),
    );
    expect(() => joinBlob(ok, { maxLength: 4 })).toThrow(expect.objectContaining({ code: 'limit_exceeded' }));
    expect(joinBlob(ok, { maxLength: 5 })).toEqual(Uint8Array.of(9, 9, 9, 9, 9));
  });

  it('totality: garbage and mutated shards decode or throw CodecError, nothing else', () => {
    const base = splitBlob(new Prng(1).bytes(100), 4);
    const flat = new Uint8Array(base.reduce((n, s) => n + s.length, 0));
    base.forEach((s, i) => {
      flat.set(s, i * s.length);
    });
    fc.assert(
      fc.property(
        fc.oneof(garbage(200), mutated(fc.constant(flat))),
        fc.integer({ min: 1, max: 8 }),
        (bytes, k) => {
          const s = Math.floor(bytes.length / k);
          const shards = Array.from({ length: k }, (_, i) => bytes.subarray(i * s, (i + 1) * s));
          try {
            const out = joinBlob(shards);
            expect(out.length).toBeLessThanOrEqual(k * s - 8);
          } catch (e) {
            if (!isCodecError(e)) throw e;
          }
        },
      ),
    );
  });

  it('bad arguments throw TypeError/RangeError', () => {
    for (const [, bad] of notBytes) expect(() => splitBlob(bad as Uint8Array, 2)).toThrow(TypeError);
    expect(() => splitBlob(new Uint8Array(1), 0)).toThrow(RangeError);
    expect(() => splitBlob(new Uint8Array(1), 256)).toThrow(RangeError);
    expect(() => joinBlob([])).toThrow(RangeError);
    expect(() => joinBlob('x' as unknown as Uint8Array[])).toThrow(TypeError);
    expect(() => joinBlob([new Uint8Array(8), new Uint8Array(9)])).toThrow(RangeError);
    expect(() => joinBlob([new Uint8Array(8)], { maxLength: -1 })).toThrow(RangeError);
  });
});
