import { fromHex, isCodecError, toHex } from '@syncwire/bytes';
import { garbage, mutated, notBytes } from '@syncwire/testkit';
import {
  bytes,
  decodeTlvStream,
  encodeTlvStream,
  fixedBytes,
  type TlvFormat,
  type TlvRecord,
  tlvSchema,
  tu64,
  tuple,
  u8,
  u16,
  u32,
  u64,
  utf8,
} from '@syncwire/tlv';
import { uvarint } from '@syncwire/varint';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const records = fc
  .uniqueArray(fc.record({ type: fc.nat({ max: 100_000 }), value: fc.uint8Array({ maxLength: 40 }) }), {
    selector: (r) => r.type,
    maxLength: 12,
  })
  .map((rs) => [...rs].sort((a, b) => a.type - b.type));

function totalOn(bytesIn: Uint8Array, run: (b: Uint8Array) => unknown): void {
  try {
    run(bytesIn);
  } catch (e) {
    if (!isCodecError(e)) throw e;
  }
}

describe.each<TlvFormat>(['leb128', 'bolt1'])('TLV stream (%s)', (format) => {
  it('round-trips records, consuming everything, and re-encodes canonically', () => {
    fc.assert(
      fc.property(records, (rs) => {
        const enc = encodeTlvStream(rs, { format });
        const dec = decodeTlvStream(enc, { format });
        expect(dec.map((r) => [r.type, toHex(r.value)])).toEqual(rs.map((r) => [r.type, toHex(r.value)]));
        expect(toHex(encodeTlvStream(dec, { format }))).toBe(toHex(enc));
      }),
    );
  });

  it('is total on garbage and mutated streams', () => {
    const valid = records.map((rs) => encodeTlvStream(rs, { format }));
    fc.assert(
      fc.property(fc.oneof(garbage(64), mutated(valid)), (b) => {
        totalOn(b, (x) => decodeTlvStream(x, { format }));
        totalOn(b, (x) => decodeTlvStream(x, { format, known: (t) => t % 3 === 0 }));
      }),
      { numRuns: 1000 },
    );
  });

  it('accepted garbage re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), (b) => {
        let dec: TlvRecord[];
        try {
          dec = decodeTlvStream(b, { format });
        } catch (e) {
          if (isCodecError(e)) return;
          throw e;
        }
        expect(toHex(encodeTlvStream(dec, { format }))).toBe(toHex(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('enforces maxRecords and maxRecordLength before reading values', () => {
    const rs = [
      { type: 1, value: new Uint8Array(10) },
      { type: 3, value: new Uint8Array(2) },
    ];
    const enc = encodeTlvStream(rs, { format });
    expect(() => decodeTlvStream(enc, { format, maxRecords: 1 })).toThrow(
      expect.objectContaining({ code: 'limit_exceeded' }),
    );
    expect(() => decodeTlvStream(enc, { format, maxRecordLength: 9 })).toThrow(
      expect.objectContaining({ code: 'limit_exceeded', offset: 0 }),
    );
    // The limit applies to the declared length even when the value bytes are absent.
    expect(() => decodeTlvStream(enc.subarray(0, 2), { format, maxRecordLength: 9 })).toThrow(
      expect.objectContaining({ code: 'limit_exceeded' }),
    );
  });

  it('rejects out-of-order and duplicate types, and unknown even types', () => {
    const a = encodeTlvStream([{ type: 5, value: new Uint8Array(0) }], { format });
    const b = encodeTlvStream([{ type: 4, value: new Uint8Array(0) }], { format });
    const twice = new Uint8Array([...a, ...a]);
    expect(() => decodeTlvStream(new Uint8Array([...a, ...b]), { format })).toThrow(
      expect.objectContaining({ code: 'out_of_order', offset: a.length }),
    );
    expect(() => decodeTlvStream(twice, { format })).toThrow(
      expect.objectContaining({ code: 'out_of_order' }),
    );
    expect(decodeTlvStream(a, { format, known: () => false })).toEqual([]);
    expect(() => decodeTlvStream(b, { format, known: () => false })).toThrow(
      expect.objectContaining({ code: 'unknown_required' }),
    );
  });
});

describe('hostile lengths', () => {
  it('a declared length of 2^60 allocates nothing and fails fast', () => {
    const hostile = new Uint8Array(20);
    let o = uvarint.encodeInto(1, hostile, 0);
    // 2^60 as 9 LEB128 bytes: refused on the declared length, before any use.
    hostile.set([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10], o);
    o += 9;
    const before = process.memoryUsage().arrayBuffers;
    expect(() => decodeTlvStream(hostile.subarray(0, o))).toThrow(
      expect.objectContaining({ code: 'limit_exceeded' }),
    );
    expect(() => decodeTlvStream(fromHex('01ff1000000000000000'), { format: 'bolt1' })).toThrow(
      expect.objectContaining({ code: 'limit_exceeded' }),
    );
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
  });
});

describe('encoder argument checks', () => {
  it('rejects unsorted records, non-bytes values and bad options', () => {
    expect(() =>
      encodeTlvStream([
        { type: 2, value: new Uint8Array(0) },
        { type: 1, value: new Uint8Array(0) },
      ]),
    ).toThrow(RangeError);
    for (const [, bad] of notBytes) {
      expect(() => encodeTlvStream([{ type: 1, value: bad as Uint8Array }])).toThrow(TypeError);
      expect(() => decodeTlvStream(bad as Uint8Array)).toThrow(TypeError);
    }
    expect(() => decodeTlvStream(new Uint8Array(0), { format: 'xml' as TlvFormat })).toThrow(RangeError);
    expect(() => decodeTlvStream(new Uint8Array(0), { maxRecords: -1 })).toThrow(RangeError);
  });
});

describe('tlvSchema', () => {
  const schema = tlvSchema({
    id: { type: 0, codec: fixedBytes(4) },
    small: { type: 1, codec: u8 },
    port: { type: 2, codec: u16 },
    count: { type: 4, codec: u32 },
    amount: { type: 5, codec: tu64 },
    pair: { type: 7, codec: tuple(u16, u64) },
    name: { type: 9, codec: utf8 },
    blob: { type: 11, codec: bytes },
  });
  const value = fc.record(
    {
      id: fc.uint8Array({ minLength: 4, maxLength: 4 }),
      small: fc.integer({ min: 0, max: 255 }),
      port: fc.integer({ min: 0, max: 0xffff }),
      count: fc.integer({ min: 0, max: 0xffffffff }),
      amount: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      pair: fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
      name: fc.string(),
      blob: fc.uint8Array({ maxLength: 20 }),
    },
    { requiredKeys: [] },
  );

  it('round-trips typed objects (absent fields stay absent)', () => {
    fc.assert(
      fc.property(value, (obj) => {
        const dec = schema.decode(schema.encode(obj));
        expect(dec).toEqual(obj);
      }),
    );
  });

  it('is total on mutated encodings', () => {
    fc.assert(
      fc.property(mutated(value.map((o) => schema.encode(o))), (b) => totalOn(b, (x) => schema.decode(x))),
      { numRuns: 1000 },
    );
  });

  it('requires each value to be consumed exactly and names the field', () => {
    const bad = encodeTlvStream([{ type: 2, value: fromHex('000102') }]);
    expect(() => schema.decode(bad)).toThrow(/tlv field port/);
    expect(() => schema.decode(bad)).toThrow(expect.objectContaining({ code: 'trailing_bytes' }));
    expect(() => schema.decode(encodeTlvStream([{ type: 9, value: fromHex('ff') }]))).toThrow(
      expect.objectContaining({ code: 'invalid_value' }),
    );
  });

  it('rejects duplicate field types at declaration', () => {
    expect(() => tlvSchema({ a: { type: 1, codec: u8 }, b: { type: 1, codec: u16 } })).toThrow(RangeError);
  });
});
