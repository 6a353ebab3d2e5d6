import { fromHex, toHex } from '@syncwire/bytes';
import { loadVectors } from '@syncwire/testkit';
import { decode, encode, multiformatsUvarint, multiformatsUvarint64 } from '@syncwire/varint';
import { describe, expect, it } from 'vitest';

interface MfVectors {
  valid: { value: string; hex: string }[];
  decode_cases: { hex: string; error: string | null }[];
}
const v = loadVectors<MfVectors>(import.meta.url, 'multiformats-uvarint.json');

describe('multiformats unsigned-varint vectors', () => {
  it.each(v.valid)('$value <-> $hex', ({ value, hex }) => {
    expect(toHex(encode(multiformatsUvarint, Number(value)))).toBe(hex);
    expect(decode(multiformatsUvarint, fromHex(hex))).toBe(Number(value));
    expect(decode(multiformatsUvarint64, fromHex(hex))).toBe(BigInt(value));
  });
  it.each(v.decode_cases)('decode $hex -> $error', ({ hex, error }) => {
    if (error === null) {
      expect(() => decode(multiformatsUvarint, fromHex(hex))).not.toThrow();
    } else {
      expect(() => multiformatsUvarint.decode(fromHex(hex))).toThrow(
        expect.objectContaining({ code: error }),
      );
    }
  });
  it('caps at 9 bytes / 63 bits', () => {
    const max63 = (1n << 63n) - 1n;
    const bytes = encode(multiformatsUvarint64, max63);
    expect(bytes.length).toBe(9);
    expect(decode(multiformatsUvarint64, bytes)).toBe(max63);
    expect(() => multiformatsUvarint64.decode(fromHex('ffffffffffffffff80'))).toThrow(
      expect.objectContaining({ code: 'overflow' }),
    );
    expect(() => encode(multiformatsUvarint64, 1n << 63n)).toThrow(RangeError);
  });
});
