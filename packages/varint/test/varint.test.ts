import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import { type Codec, isCodecError, toHex } from '@syncwire/bytes';
import { garbage, mutated, notBytes, notUint, safeUint, u64 } from '@syncwire/testkit';
import {
  bigSize,
  bigSize64,
  compactSize,
  compactSize64,
  decode,
  encode,
  multiformatsUvarint,
  multiformatsUvarint64,
  quicVarint,
  quicVarint64,
  svarint32,
  svarint64,
  uvarint,
  uvarint64,
  uvarint64Lenient,
  uvarintLenient,
  VarintReader,
  VarintWriter,
} from '@syncwire/varint';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

type AnyCodec = Codec<number> | Codec<bigint>;
interface Case {
  name: string;
  codec: AnyCodec;
  values: fc.Arbitrary<number> | fc.Arbitrary<bigint>;
  /** Every accepted encoding is the canonical one. */
  canonical: boolean;
}

const U63 = (1n << 63n) - 1n;
const Q62 = (1n << 62n) - 1n;
const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
const cases: Case[] = [
  { name: 'uvarint', codec: uvarint, values: safeUint(), canonical: true },
  { name: 'uvarint64', codec: uvarint64, values: u64(), canonical: true },
  { name: 'uvarintLenient', codec: uvarintLenient, values: safeUint(), canonical: false },
  { name: 'uvarint64Lenient', codec: uvarint64Lenient, values: u64(), canonical: false },
  { name: 'multiformatsUvarint', codec: multiformatsUvarint, values: safeUint(), canonical: true },
  {
    name: 'multiformatsUvarint64',
    codec: multiformatsUvarint64,
    values: u64().filter((x) => x <= U63),
    canonical: true,
  },
  {
    name: 'svarint32',
    codec: svarint32,
    values: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
    canonical: true,
  },
  { name: 'svarint64', codec: svarint64, values: int64, canonical: true },
  { name: 'quicVarint', codec: quicVarint, values: safeUint(), canonical: false },
  { name: 'quicVarint64', codec: quicVarint64, values: u64().filter((x) => x <= Q62), canonical: false },
  { name: 'bigSize', codec: bigSize, values: safeUint(), canonical: true },
  { name: 'bigSize64', codec: bigSize64, values: u64(), canonical: true },
  { name: 'compactSize', codec: compactSize, values: safeUint(), canonical: true },
  { name: 'compactSize64', codec: compactSize64, values: u64(), canonical: true },
];

const enc = (c: AnyCodec, v: unknown) => encode(c as Codec<unknown>, v);

describe.each(cases)('$name', ({ codec, values, canonical }) => {
  const c = codec as Codec<unknown>;

  it('round-trips at any offset and consumes exactly encodingLength bytes', () => {
    fc.assert(
      fc.property(
        values as fc.Arbitrary<unknown>,
        fc.uint8Array({ maxLength: 5 }),
        fc.uint8Array({ maxLength: 5 }),
        (v, pre, post) => {
          const len = c.encodingLength(v);
          const buf = new Uint8Array(pre.length + len + post.length);
          buf.set(pre);
          expect(c.encodeInto(v, buf, pre.length)).toBe(len);
          buf.set(post, pre.length + len);
          const { value, end } = c.decode(buf, pre.length);
          expect(value).toBe(v);
          expect(end).toBe(pre.length + len);
        },
      ),
    );
  });

  it('is total on garbage and mutated encodings: a value or a CodecError, nothing else', () => {
    const valid = (values as fc.Arbitrary<unknown>).map((v) => enc(codec, v));
    fc.assert(
      fc.property(fc.oneof(garbage(16), mutated(valid)), (bytes) => {
        try {
          const { end } = c.decode(bytes);
          expect(end).toBeGreaterThan(0);
          expect(end).toBeLessThanOrEqual(bytes.length);
        } catch (e) {
          if (!isCodecError(e)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });

  it(
    canonical ? 'accepted bytes re-encode to the same bytes' : 'accepted bytes re-encode to a form no longer',
    () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 11 }), (bytes) => {
          let decoded: { value: unknown; end: number };
          try {
            decoded = c.decode(bytes);
          } catch (e) {
            if (isCodecError(e)) return;
            throw e;
          }
          const again = enc(codec, decoded.value);
          if (canonical) expect(toHex(again)).toBe(toHex(bytes.subarray(0, decoded.end)));
          else expect(again.length).toBeLessThanOrEqual(decoded.end);
        }),
        { numRuns: 1000 },
      );
    },
  );

  it('throws on truncation at every cut with unexpected_eof', () => {
    fc.assert(
      fc.property(values as fc.Arbitrary<unknown>, (v) => {
        const bytes = enc(codec, v);
        for (let cut = 0; cut < bytes.length; cut++) {
          expect(() => c.decode(bytes.subarray(0, cut))).toThrow(
            expect.objectContaining({ code: 'unexpected_eof' }),
          );
        }
      }),
    );
  });

  it('rejects bad arguments with TypeError / RangeError', () => {
    for (const [, bad] of notBytes) expect(() => c.decode(bad as Uint8Array)).toThrow(TypeError);
    expect(() => c.decode(new Uint8Array(4), -1)).toThrow(RangeError);
    expect(() => c.decode(new Uint8Array(4), 1.5)).toThrow(RangeError);
    const sample = c.decode(new Uint8Array([1])).value;
    expect(() => c.encodeInto(sample, new Uint8Array(0), 0)).toThrow(RangeError);
    expect(() => c.encodeInto(sample, new Uint8Array(4), 4)).toThrow(RangeError);
  });
});

describe('number codecs reject non-integers', () => {
  it.each([uvarint, multiformatsUvarint, quicVarint, bigSize, compactSize])('%#', (c) => {
    for (const [, bad] of notUint) expect(() => c.encodingLength(bad as number)).toThrow(/value expected/);
  });
  it('bigint codecs reject numbers and out-of-range bigints', () => {
    expect(() => uvarint64.encodingLength(1 as never)).toThrow(TypeError);
    expect(() => uvarint64.encodingLength(-1n)).toThrow(RangeError);
    expect(() => uvarint64.encodingLength(1n << 64n)).toThrow(RangeError);
    expect(() => svarint32.encodingLength(2 ** 31)).toThrow(RangeError);
  });
});

describe('LEB128 specifics', () => {
  it('matches @bufbuild/protobuf byte for byte on random uint64 and uint32', () => {
    fc.assert(
      fc.property(u64(), (v) => {
        const theirs = new BinaryWriter().uint64(v).finish();
        expect(toHex(encode(uvarint64, v))).toBe(toHex(theirs));
        expect(new BinaryReader(encode(uvarint64, v)).uint64()).toBe(v);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => {
        expect(toHex(encode(uvarint, v))).toBe(toHex(new BinaryWriter().uint32(v).finish()));
      }),
    );
  });

  it('number and bigint paths agree on every safe value and its errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 12 }), (bytes) => {
        const outcome = (f: () => unknown) => {
          try {
            return String(f());
          } catch (e) {
            if (!isCodecError(e)) throw e;
            return e.code;
          }
        };
        const big = outcome(() => uvarint64.decode(bytes).value);
        const num = outcome(() => uvarint.decode(bytes).value);
        if (['unexpected_eof', 'not_minimal', 'overflow'].includes(big)) expect(num).toBe(big);
        else if (BigInt(big) > BigInt(Number.MAX_SAFE_INTEGER)) expect(num).toBe('overflow');
        else expect(num).toBe(big);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects 11-byte and too-large 10-byte forms with overflow', () => {
    const eleven = new Uint8Array([...new Array(10).fill(0xff), 0x01]);
    expect(() => uvarint64.decode(eleven)).toThrow(expect.objectContaining({ code: 'overflow' }));
    expect(() => uvarint64.decode(new Uint8Array([...new Array(9).fill(0xff), 0x02]))).toThrow(
      expect.objectContaining({ code: 'overflow' }),
    );
    expect(decode(uvarint64, new Uint8Array([...new Array(9).fill(0xff), 0x01]))).toBe((1n << 64n) - 1n);
  });

  it('keeps the fast path exact around 2^53 with trailing bytes present', () => {
    const tail = new Uint8Array(16);
    for (const v of [2 ** 53 - 1, 2 ** 49, 2 ** 49 - 1, 2 ** 35, 2 ** 28, 2 ** 28 - 1, 0x7fffffff, 2 ** 32]) {
      const bytes = encode(uvarint, v);
      const buf = new Uint8Array(bytes.length + tail.length);
      buf.set(bytes);
      expect(uvarint.decode(buf)).toEqual({ value: v, end: bytes.length });
    }
    const over = encode(uvarint64, 2n ** 53n);
    const buf = new Uint8Array(over.length + 8);
    buf.set(over);
    expect(() => uvarint.decode(buf)).toThrow(expect.objectContaining({ code: 'overflow' }));
    expect(() => uvarint.decode(new Uint8Array([0x80, 0x00, 1, 2, 3, 4, 5, 6, 7]))).toThrow(
      expect.objectContaining({ code: 'not_minimal', offset: 0 }),
    );
  });
});

describe('VarintReader / VarintWriter', () => {
  it('walk a run of varints exactly like repeated decode', () => {
    fc.assert(
      fc.property(fc.array(safeUint(), { maxLength: 40 }), (vals) => {
        const out = new Uint8Array(vals.length * 8);
        const w = new VarintWriter(out);
        for (const v of vals) w.uint(v);
        const bytes = out.subarray(0, w.pos);
        const r = new VarintReader(bytes);
        for (const v of vals) expect(r.uint()).toBe(v);
        expect(r.remaining).toBe(0);
      }),
    );
  });
  it('reads signed and 64-bit values and leaves pos at a failing varint', () => {
    const bytes = new Uint8Array([
      ...encode(svarint32, -5),
      ...encode(svarint64, -(1n << 40n)),
      ...encode(uvarint64, 1n << 60n),
      0x80,
      0x00,
    ]);
    const r = new VarintReader(bytes);
    expect(r.sint32()).toBe(-5);
    expect(r.sint64()).toBe(-(1n << 40n));
    expect(r.uint64()).toBe(1n << 60n);
    const at = r.pos;
    expect(() => r.uint()).toThrow(expect.objectContaining({ code: 'not_minimal' }));
    expect(r.pos).toBe(at);
    expect(new VarintReader(new Uint8Array([0x80, 0x00]), 0, { lenient: true }).uint()).toBe(0);
  });
  it('uint32 agrees with uint on any bytes: the same value below 2^32, overflow above, the same errors', () => {
    const u32Run = fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 8 }).map((vals) => {
      const out = new Uint8Array(vals.length * 5);
      const w = new VarintWriter(out);
      for (const v of vals) w.uint(v);
      return out.subarray(0, w.pos);
    });
    /** One read: `value@pos` after it, or `code:offset@pos` when it threw a CodecError. */
    const read = (r: VarintReader, f: () => number) => {
      try {
        return { value: f(), text: '' };
      } catch (e) {
        if (!isCodecError(e)) throw e;
        return { value: -1, text: `${e.code}:${e.offset}@${r.pos}` };
      }
    };
    fc.assert(
      fc.property(fc.oneof(garbage(), u32Run), fc.boolean(), (bytes, lenient) => {
        const narrow = new VarintReader(bytes, 0, { lenient });
        const wide = new VarintReader(bytes, 0, { lenient });
        while (wide.remaining > 0) {
          const start = wide.pos;
          const w = read(wide, () => wide.uint());
          const n = read(narrow, () => narrow.uint32());
          if (w.text === '' && w.value > 0xffffffff) {
            expect(n.text).toBe(`overflow:${start}@${start}`);
            return;
          }
          expect(n).toEqual(w);
          expect(narrow.pos).toBe(wide.pos);
          if (w.text !== '') return;
        }
      }),
      { numRuns: 1000 },
    );
  });
  it('writer refuses to overflow its buffer', () => {
    const w = new VarintWriter(new Uint8Array(1));
    expect(() => w.uint(300)).toThrow(RangeError);
    expect(w.pos).toBe(0);
  });
});
