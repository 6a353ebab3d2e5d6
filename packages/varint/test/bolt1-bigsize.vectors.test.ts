import { fromHex, toHex } from '@syncwire/bytes';
import { loadVectors } from '@syncwire/testkit';
import { bigSize, bigSize64, compactSize, compactSize64, decode, encode } from '@syncwire/varint';
import { describe, expect, it } from 'vitest';

interface SizeVectors {
  bigsize_decode: { name: string; value: string; bytes: string; exp_error?: string }[];
  compactsize: { value: string; hex: string }[];
  compactsize_decode_cases: { hex: string; error: string | null; value?: string }[];
}
const v = loadVectors<SizeVectors>(import.meta.url, 'bigsize-compactsize.json');

// BOLT #1 wording -> our CodecError code.
const BOLT_ERRORS: Record<string, string> = {
  'decoded bigsize is not canonical': 'not_minimal',
  'unexpected EOF': 'unexpected_eof',
  EOF: 'unexpected_eof',
};

describe('BOLT #1 BigSize vectors', () => {
  it.each(v.bigsize_decode)('$name', ({ value, bytes, exp_error }) => {
    if (exp_error) {
      const code = BOLT_ERRORS[exp_error];
      expect(code).toBeDefined();
      expect(() => bigSize64.decode(fromHex(bytes))).toThrow(expect.objectContaining({ code }));
      expect(() => bigSize.decode(fromHex(bytes))).toThrow(expect.objectContaining({ code }));
      return;
    }
    expect(decode(bigSize64, fromHex(bytes))).toBe(BigInt(value));
    expect(decode(bigSize, fromHex(bytes))).toBe(Number(value));
    expect(toHex(encode(bigSize64, BigInt(value)))).toBe(bytes);
    expect(toHex(encode(bigSize, Number(value)))).toBe(bytes);
  });
});

describe('Bitcoin CompactSize vectors', () => {
  it.each(v.compactsize)('$value <-> $hex', ({ value, hex }) => {
    expect(toHex(encode(compactSize, Number(value)))).toBe(hex);
    expect(decode(compactSize64, fromHex(hex))).toBe(BigInt(value));
  });
  it.each(v.compactsize_decode_cases)('decode $hex -> $error', ({ hex, error, value }) => {
    if (error === null) expect(decode(compactSize, fromHex(hex))).toBe(Number(value));
    else
      expect(() => compactSize.decode(fromHex(hex))).toThrow(
        expect.objectContaining({ code: 'not_minimal' }),
      );
  });
  it('is BigSize byte-reversed for multi-byte values', () => {
    expect(toHex(encode(compactSize64, 0x0102030405060708n))).toBe('ff0807060504030201');
    expect(toHex(encode(bigSize64, 0x0102030405060708n))).toBe('ff0102030405060708');
  });
});
