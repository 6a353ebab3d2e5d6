import type { Codec } from '@syncwire/bytes';
import {
  assertBytes,
  assertInteger,
  CodecError,
  concat,
  decode,
  encode,
  equals,
  fromHex,
  isCodecError,
  toHex,
} from '@syncwire/bytes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const u16: Codec<number> = {
  encodingLength: () => 2,
  encodeInto(v, out, offset) {
    out[offset] = v >> 8;
    out[offset + 1] = v & 0xff;
    return 2;
  },
  decode(bytes, offset = 0) {
    if (offset + 2 > bytes.length) throw new CodecError('unexpected_eof', 'u16', offset);
    return { value: (bytes[offset]! << 8) | bytes[offset + 1]!, end: offset + 2 };
  },
};

describe('hex', () => {
  it('round-trips any bytes', () => {
    fc.assert(fc.property(fc.uint8Array(), (b) => equals(fromHex(toHex(b)), b)));
  });
  it('accepts uppercase and rejects bad digits and odd lengths', () => {
    expect(toHex(fromHex('C0FFEE'))).toBe('c0ffee');
    expect(() => fromHex('abc')).toThrow(TypeError);
    expect(() => fromHex('zz')).toThrow(/invalid hex digit/);
  });
});

describe('concat / equals', () => {
  it('concatenates in order', () => {
    expect(toHex(concat([fromHex('01'), new Uint8Array(0), fromHex('0203')]))).toBe('010203');
  });
  it('equals compares length and content', () => {
    expect(equals(fromHex('0102'), fromHex('0102'))).toBe(true);
    expect(equals(fromHex('0102'), fromHex('0103'))).toBe(false);
    expect(equals(fromHex('01'), fromHex('0100'))).toBe(false);
  });
});

describe('Codec helpers', () => {
  it('encode allocates exactly and decode requires full consumption', () => {
    expect(toHex(encode(u16, 0x1234))).toBe('1234');
    expect(decode(u16, fromHex('1234'))).toBe(0x1234);
    const err = (() => {
      try {
        decode(u16, fromHex('123456'));
      } catch (e) {
        return e;
      }
    })();
    expect(isCodecError(err, 'trailing_bytes')).toBe(true);
    expect((err as CodecError).offset).toBe(2);
  });
});

describe('CodecError / isCodecError', () => {
  it('guards by name and code, not instanceof', () => {
    const foreign = Object.assign(new Error('x'), { name: 'CodecError', code: 'overflow' });
    expect(isCodecError(foreign)).toBe(true);
    expect(isCodecError(foreign, 'overflow')).toBe(true);
    expect(isCodecError(foreign, 'unexpected_eof')).toBe(false);
    expect(isCodecError(new TypeError('x'))).toBe(false);
    expect(isCodecError(null)).toBe(false);
    const e = new CodecError('not_minimal', 'varint', 4);
    expect(e.message).toBe('varint (not_minimal at offset 4)');
    expect(e).toBeInstanceOf(Error);
  });
});

describe('assertions', () => {
  it('reject the wrong types with TypeError and out-of-range with RangeError', () => {
    expect(() => assertBytes('f', 'x', [1, 2])).toThrow('f: x expected a Uint8Array, got Array');
    expect(() => assertInteger('f', 'n', 1.5, 0, 10)).toThrow(TypeError);
    expect(() => assertInteger('f', 'n', 11, 0, 10)).toThrow(RangeError);
    expect(() => assertInteger('f', 'n', 5, 0, 10)).not.toThrow();
  });
});
