import { fromHex, toHex } from '@syncwire/bytes';
import { loadVectors } from '@syncwire/testkit';
import { decode, encode, encodeQuicVarintFixed, quicVarint, quicVarint64 } from '@syncwire/varint';
import { describe, expect, it } from 'vitest';

interface QuicVectors {
  decode: { hex: string; value: string; non_minimal?: boolean }[];
  decode_failures: { hex: string; error: string }[];
  encode_failures: { value: string; error: string }[];
}
const v = loadVectors<QuicVectors>(import.meta.url, 'quic-varint.json');

describe('RFC 9000 §16 QUIC varint vectors', () => {
  it.each(v.decode)('decode $hex = $value', ({ hex, value, non_minimal }) => {
    expect(decode(quicVarint64, fromHex(hex))).toBe(BigInt(value));
    if (BigInt(value) <= BigInt(Number.MAX_SAFE_INTEGER))
      expect(decode(quicVarint, fromHex(hex))).toBe(Number(value));
    else expect(() => quicVarint.decode(fromHex(hex))).toThrow(expect.objectContaining({ code: 'overflow' }));
    if (!non_minimal) expect(toHex(encode(quicVarint64, BigInt(value)))).toBe(hex);
  });
  it.each(v.decode_failures)('decode "$hex" fails ($error)', ({ hex }) => {
    // Our one truncation code covers both "no bytes" and "cut inside a value".
    expect(() => quicVarint.decode(fromHex(hex))).toThrow(
      expect.objectContaining({ code: 'unexpected_eof' }),
    );
    expect(() => quicVarint64.decode(fromHex(hex))).toThrow(
      expect.objectContaining({ code: 'unexpected_eof' }),
    );
  });
  it.each(v.encode_failures)('encode $value fails ($error)', ({ value }) => {
    expect(() => encode(quicVarint64, BigInt(value))).toThrow(RangeError);
  });
  it('writes fixed-length forms that decode to the same value', () => {
    const out = new Uint8Array(8);
    expect(encodeQuicVarintFixed(37, 2, out, 0)).toBe(2);
    expect(toHex(out.subarray(0, 2))).toBe('4025');
    expect(encodeQuicVarintFixed(37, 8, out, 0)).toBe(8);
    expect(toHex(out)).toBe('c000000000000025');
    expect(() => encodeQuicVarintFixed(16384, 2, out, 0)).toThrow(RangeError);
  });
});
