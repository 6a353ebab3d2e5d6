import { encode, uvarint, VarintReader } from '@syncwire/varint';
import { describe, expect, it } from 'vitest';

// VarintReader.uint() reads without an up-front length check (a read past the end yields undefined and
// must fall through to the careful scan). These pin every length, every cut and every non-minimal form.
const lengths = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => (n === 1 ? 1 : 2 ** (7 * (n - 1))));

describe('VarintReader.uint paths', () => {
  it('reads the smallest and largest value of every length 1–8 at the end of a buffer', () => {
    for (const lo of lengths) {
      for (const v of [lo, Math.min(lo * 128 - 1, Number.MAX_SAFE_INTEGER)]) {
        const bytes = encode(uvarint, v);
        const r = new VarintReader(bytes);
        expect(r.uint()).toBe(v);
        expect(r.pos).toBe(bytes.length);
      }
    }
  });

  it('throws unexpected_eof at every cut and leaves pos at the varint', () => {
    for (const lo of lengths) {
      const bytes = encode(uvarint, lo * 2 - 1);
      for (let cut = 0; cut < bytes.length; cut++) {
        const buf = new Uint8Array([0x05, ...bytes.subarray(0, cut)]);
        const r = new VarintReader(buf);
        expect(r.uint()).toBe(5);
        expect(() => r.uint()).toThrow(expect.objectContaining({ code: 'unexpected_eof' }));
        expect(r.pos).toBe(1);
      }
    }
  });

  it('rejects a final zero group at every length 2–10 unless lenient', () => {
    for (let n = 2; n <= 10; n++) {
      const bytes = new Uint8Array([...new Array<number>(n - 1).fill(0x81), 0x00, 0x01]);
      const r = new VarintReader(bytes);
      expect(() => r.uint()).toThrow(expect.objectContaining({ code: 'not_minimal' }));
      expect(r.pos).toBe(0);
      const lenient = new VarintReader(bytes, 0, { lenient: true });
      const expected = Array.from({ length: n - 1 }, (_, i) => 2 ** (7 * i)).reduce((a, b) => a + b, 0);
      if (n <= 8) {
        expect(lenient.uint()).toBe(expected);
        expect(lenient.pos).toBe(n);
        expect(lenient.uint()).toBe(1);
      }
    }
  });

  it('rejects values above 2^53 − 1 with overflow', () => {
    const bytes = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x10]);
    expect(() => new VarintReader(bytes).uint()).toThrow(expect.objectContaining({ code: 'overflow' }));
    const max = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(new VarintReader(max).uint()).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('VarintReader.uint32 paths', () => {
  const u32Lengths = [1, 2, 3, 4, 5].map((n) => (n === 1 ? 1 : 2 ** (7 * (n - 1))));

  it('reads the smallest and largest value of every length 1–5 at the end of a buffer', () => {
    for (const lo of u32Lengths) {
      for (const v of [lo, Math.min(lo * 128 - 1, 0xffffffff)]) {
        const bytes = encode(uvarint, v);
        const r = new VarintReader(bytes);
        expect(r.uint32()).toBe(v);
        expect(r.pos).toBe(bytes.length);
      }
    }
    expect(new VarintReader(new Uint8Array([0])).uint32()).toBe(0);
  });

  it('throws unexpected_eof at every cut and leaves pos at the varint', () => {
    for (const lo of u32Lengths) {
      const bytes = encode(uvarint, Math.min(lo * 2 - 1, 0xffffffff));
      for (let cut = 0; cut < bytes.length; cut++) {
        const buf = new Uint8Array([0x05, ...bytes.subarray(0, cut)]);
        const r = new VarintReader(buf);
        expect(r.uint32()).toBe(5);
        expect(() => r.uint32()).toThrow(expect.objectContaining({ code: 'unexpected_eof' }));
        expect(r.pos).toBe(1);
      }
    }
  });

  it('rejects a final zero group at every length 2–10 unless lenient', () => {
    for (let n = 2; n <= 10; n++) {
      const bytes = new Uint8Array([...new Array<number>(n - 1).fill(0x81), 0x00, 0x01]);
      const r = new VarintReader(bytes);
      expect(() => r.uint32()).toThrow(expect.objectContaining({ code: 'not_minimal' }));
      expect(r.pos).toBe(0);
      const lenient = new VarintReader(bytes, 0, { lenient: true });
      const expected = Array.from({ length: n - 1 }, (_, i) => 2 ** (7 * i)).reduce((a, b) => a + b, 0);
      if (expected <= 0xffffffff) {
        expect(lenient.uint32()).toBe(expected);
        expect(lenient.pos).toBe(n);
        expect(lenient.uint32()).toBe(1);
      } else {
        expect(() => lenient.uint32()).toThrow(expect.objectContaining({ code: 'overflow' }));
      }
    }
  });

  it('rejects values above 2^32 − 1 and varints over 10 bytes with overflow', () => {
    const max = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]);
    const r = new VarintReader(max);
    expect(r.uint32()).toBe(0xffffffff);
    expect(r.pos).toBe(5);
    for (const v of [2 ** 32, 2 ** 35 - 1, 2 ** 35, 2 ** 53 - 1]) {
      const bytes = new Uint8Array([...encode(uvarint, v), 0x01]);
      const over = new VarintReader(bytes);
      expect(() => over.uint32()).toThrow(expect.objectContaining({ code: 'overflow', offset: 0 }));
      expect(over.pos).toBe(0);
      expect(over.uint()).toBe(v);
    }
    const eleven = new Uint8Array([...new Array<number>(10).fill(0x80), 0x01]);
    expect(() => new VarintReader(eleven, 0, { lenient: true }).uint32()).toThrow(
      expect.objectContaining({ code: 'overflow' }),
    );
  });
});
