import { fromHex, isCodecError, toHex } from '@syncwire/bytes';
import { loadVectors } from '@syncwire/testkit';
import {
  decode,
  encode,
  svarint32,
  svarint64,
  uvarint,
  uvarint64,
  uvarint64Lenient,
  uvarintLenient,
  zigzag64,
} from '@syncwire/varint';
import { describe, expect, it } from 'vitest';

interface Leb128Vectors {
  uint64: { value: string; hex: string }[];
  zigzag: { signed: string; zigzag: string; hex: string; fits_sint32: boolean }[];
  int64_negative: { int64: string; as_uint64: string; hex: string }[];
  wire_examples: { desc: string; hex: string }[];
  decoder_leniency_observed: {
    cases: { hex: string; ref_protobuf_policy: { value?: string; error?: string } }[];
  };
}

const v = loadVectors<Leb128Vectors>(import.meta.url, 'leb128-protobuf.json');

describe('protobuf LEB128 vectors', () => {
  it.each(v.uint64)('uint64 $value <-> $hex', ({ value, hex }) => {
    expect(toHex(encode(uvarint64, BigInt(value)))).toBe(hex);
    expect(decode(uvarint64, fromHex(hex))).toBe(BigInt(value));
    if (BigInt(value) <= BigInt(Number.MAX_SAFE_INTEGER)) {
      expect(toHex(encode(uvarint, Number(value)))).toBe(hex);
      expect(decode(uvarint, fromHex(hex))).toBe(Number(value));
    } else {
      expect(() => uvarint.decode(fromHex(hex))).toThrow(expect.objectContaining({ code: 'overflow' }));
    }
  });

  it.each(v.zigzag)('zigzag $signed -> $zigzag ($hex)', ({ signed, zigzag, hex, fits_sint32 }) => {
    expect(zigzag64(BigInt(signed))).toBe(BigInt(zigzag));
    expect(toHex(encode(svarint64, BigInt(signed)))).toBe(hex);
    expect(decode(svarint64, fromHex(hex))).toBe(BigInt(signed));
    if (fits_sint32) {
      expect(toHex(encode(svarint32, Number(signed)))).toBe(hex);
      expect(decode(svarint32, fromHex(hex))).toBe(Number(signed));
    } else {
      expect(() => svarint32.decode(fromHex(hex))).toThrow(expect.objectContaining({ name: 'CodecError' }));
    }
  });

  it.each(v.int64_negative)('int64 $int64 is its two’s complement uint64', ({ int64, as_uint64, hex }) => {
    expect(BigInt.asUintN(64, BigInt(int64))).toBe(BigInt(as_uint64));
    expect(toHex(encode(uvarint64, BigInt.asUintN(64, BigInt(int64))))).toBe(hex);
    expect(BigInt.asIntN(64, decode(uvarint64, fromHex(hex)))).toBe(BigInt(int64));
  });

  it('decodes the protobuf wire examples (tag then value / length)', () => {
    const [field1, field2] = v.wire_examples;
    const a = fromHex(field1!.hex);
    const tag = uvarint.decode(a);
    expect(tag.value).toBe((1 << 3) | 0);
    expect(uvarint.decode(a, tag.end).value).toBe(150);
    const b = fromHex(field2!.hex);
    const tag2 = uvarint.decode(b);
    expect(tag2.value).toBe((2 << 3) | 2);
    const len = uvarint.decode(b, tag2.end);
    expect(new TextDecoder().decode(b.subarray(len.end, len.end + len.value))).toBe('testing');
  });

  it.each(v.decoder_leniency_observed.cases)(
    'leniency case $hex: strict rejects, lenient follows protobuf',
    ({ hex, ref_protobuf_policy }) => {
      const bytes = fromHex(hex);
      if (ref_protobuf_policy.error) {
        expect(() => uvarint64Lenient.decode(bytes)).toThrow(expect.objectContaining({ code: 'overflow' }));
        expect(() => uvarint64.decode(bytes)).toThrow(expect.objectContaining({ code: 'overflow' }));
        return;
      }
      expect(decode(uvarint64Lenient, bytes)).toBe(BigInt(ref_protobuf_policy.value!));
      const minimal = toHex(encode(uvarint64, BigInt(ref_protobuf_policy.value!))) === hex;
      if (minimal) {
        expect(decode(uvarint64, bytes)).toBe(BigInt(ref_protobuf_policy.value!));
      } else {
        let err: unknown;
        try {
          uvarint64.decode(bytes);
        } catch (e) {
          err = e;
        }
        expect(isCodecError(err, 'not_minimal')).toBe(true);
        expect(() => uvarint.decode(bytes)).toThrow(expect.objectContaining({ code: 'not_minimal' }));
        if (BigInt(ref_protobuf_policy.value!) <= BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(decode(uvarintLenient, bytes)).toBe(Number(ref_protobuf_policy.value));
        }
      }
    },
  );
});
