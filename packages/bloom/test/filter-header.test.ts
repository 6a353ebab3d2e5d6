import {
  DEFAULT_MAX_TABLE_BYTES,
  decodeFilterEnvelope,
  encodeFilterEnvelope,
  FILTER_HEADER_BYTES,
  FilterKind,
  filterEnvelope,
  HashId,
} from '@syncwire/bloom';
import { decode, encode, equals, isCodecError, toHex } from '@syncwire/bytes';
import { garbage } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const sample = () => ({
  kind: FilterKind.splitBlockBloom,
  hash: HashId.xxh64,
  seedLo: 0x01020304,
  seedHi: 0xa0b0c0d0,
  params: new Uint8Array(0),
  table: new Uint8Array(32).fill(0xee),
});

describe('filter envelope (rfcs/0002-filters.md)', () => {
  it('lays out magic, version, kind, hash, param length, seed, table length, params, table', () => {
    const b = encodeFilterEnvelope(sample());
    expect(toHex(b.subarray(0, FILTER_HEADER_BYTES))).toBe(
      '5357464c' + '01' + '02' + '01' + '00' + '04030201d0c0b0a0' + '20000000',
    );
    expect(b.length).toBe(FILTER_HEADER_BYTES + 32);
  });

  it('is a Codec: round-trip, exact consumption, canonical re-encoding', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(FilterKind)),
        fc.constantFrom(...Object.values(HashId)),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.uint8Array({ maxLength: 64 }),
        (kind, hash, seedLo, seedHi, table) => {
          const params = new Uint8Array({ 1: 8, 2: 0, 3: 16, 4: 12, 5: 12 }[kind]!);
          const v = { kind, hash, seedLo, seedHi, params, table };
          const b = encode(filterEnvelope, v);
          const { value, end } = filterEnvelope.decode(b, 0);
          expect(end).toBe(filterEnvelope.encodingLength(v));
          expect(value).toEqual(v);
          expect(equals(encode(filterEnvelope, decode(filterEnvelope, b)), b)).toBe(true);
        },
      ),
    );
  });

  it('decodes at an offset', () => {
    const b = encodeFilterEnvelope(sample());
    const padded = new Uint8Array(b.length + 3);
    padded.set(b, 3);
    expect(decodeFilterEnvelope(padded, 3).end).toBe(padded.length);
  });

  it('is total on garbage: decodes or throws CodecError', () => {
    fc.assert(
      fc.property(garbage(80), (b) => {
        try {
          decodeFilterEnvelope(b);
        } catch (e) {
          expect(isCodecError(e)).toBe(true);
        }
      }),
    );
  });

  it('names each bad field with its error code', () => {
    const good = encodeFilterEnvelope(sample());
    const at = (i: number, v: number) => {
      const b = good.slice();
      b[i] = v;
      return b;
    };
    const code = (b: Uint8Array, opts?: { maxTableBytes: number }) => {
      try {
        decodeFilterEnvelope(b, 0, opts);
        return 'ok';
      } catch (e) {
        return isCodecError(e) ? e.code : 'other';
      }
    };
    expect(code(good.subarray(0, 19))).toBe('unexpected_eof');
    expect(code(at(0, 0x54))).toBe('invalid_tag');
    expect(code(at(4, 2))).toBe('invalid_tag');
    expect(code(at(5, 9))).toBe('invalid_tag');
    expect(code(at(6, 0))).toBe('invalid_tag');
    expect(code(at(7, 4))).toBe('invalid_value');
    expect(code(good, { maxTableBytes: 31 })).toBe('limit_exceeded');
    expect(code(good.subarray(0, good.length - 1))).toBe('unexpected_eof');
    // a declared 4 GiB table is refused by the default limit, not allocated
    expect(code(Uint8Array.from([...good.subarray(0, 16), 0xff, 0xff, 0xff, 0xff]))).toBe('limit_exceeded');
    expect(DEFAULT_MAX_TABLE_BYTES).toBe(256 * 1024 * 1024);
  });

  it('rejects a parameter block of the wrong length when encoding', () => {
    expect(() => encodeFilterEnvelope({ ...sample(), params: new Uint8Array(1) })).toThrow(RangeError);
  });
});
