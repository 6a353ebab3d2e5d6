import type { Codec } from '@syncwire/bytes';
import {
  assertBytes,
  assertInteger,
  CodecError,
  compileWasm,
  concat,
  decode,
  encode,
  equals,
  fromBase64,
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

describe('fromBase64', () => {
  it('decodes RFC 4648 test vectors, with or without padding', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['Zg==', 'f'],
      ['Zm8=', 'fo'],
      ['Zm9v', 'foo'],
      ['Zm9vYg==', 'foob'],
      ['Zm9vYmE=', 'fooba'],
      ['Zm9vYmFy', 'foobar'],
      ['Zm9vYmE', 'fooba'],
    ];
    for (const [b64, text] of cases) expect(new TextDecoder().decode(fromBase64(b64))).toBe(text);
  });
  it('round-trips any bytes through Buffer base64', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        expect(toHex(fromBase64(Buffer.from(b).toString('base64')))).toBe(toHex(b));
      }),
    );
  });
  it('rejects characters outside the alphabet and impossible lengths', () => {
    expect(() => fromBase64('Zm9v!')).toThrow(TypeError);
    expect(() => fromBase64('Z')).toThrow(TypeError);
    expect(() => fromBase64('Zg===')).toThrow(TypeError);
  });
});

describe('compileWasm', () => {
  it('compiles a module and makes fresh instances; null for bytes the engine rejects', () => {
    // (module (func (export "answer") (result i32) i32.const 42))
    const bytes = fromHex('0061736d010000000105016000017f03020100070a0106616e7377657200000a06010400412a0b');
    const m = compileWasm(bytes);
    expect(m).not.toBeNull();
    expect((m!.instantiate().answer as () => number)()).toBe(42);
    expect(compileWasm(fromHex('0061736d01000000ff'))).toBeNull();
  });
});
