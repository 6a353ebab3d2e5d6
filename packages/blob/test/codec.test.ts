import {
  blobId,
  buildManifest,
  MANIFEST_HEADER_SIZE,
  type ManifestHeader,
  ManifestVerifier,
  manifestHeader,
  manifestHeaderCodec,
  manifestPage,
  manifestPageCodec,
  verifyHeader,
  verifyPage,
} from '@syncwire/blob';
import { CodecError, decode, encode, isCodecError } from '@syncwire/bytes';
import { garbage, mutated, randomBytes } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flip, SMALL } from './helpers.ts';

const data = randomBytes(120_000, 77);
const m = buildManifest(data, { chunking: SMALL, pageBits: 2 });
const pages = Array.from({ length: m.pageCount }, (_, p) => encode(manifestPage, m.page(p)));
const headerBytes = encode(manifestHeader, m.header);

/** Decodes or throws CodecError; anything else fails the property. */
function total<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!isCodecError(e)) throw e;
    return undefined;
  }
}

describe('manifest header codec', () => {
  it('is 48 bytes: u64 BE count, u64 BE length, root', () => {
    expect(headerBytes.length).toBe(MANIFEST_HEADER_SIZE);
    const v = new DataView(headerBytes.buffer);
    expect(Number(v.getBigUint64(0, false))).toBe(m.chunkCount);
    expect(Number(v.getBigUint64(8, false))).toBe(m.byteLength);
    expect(headerBytes.subarray(16)).toEqual(m.root);
    expect(decode(manifestHeader, headerBytes)).toEqual(m.header);
  });

  it('round-trips any possible header, re-encodes canonically and consumes exactly 48 bytes', () => {
    const header = fc
      .tuple(fc.integer({ min: 1, max: 2 ** 32 }), fc.nat(), fc.uint8Array({ minLength: 32, maxLength: 32 }))
      .map(
        ([count, extra, root]): ManifestHeader => ({
          chunkCount: count,
          byteLength: count + (extra % (count * 16_777_215 + 1)),
          root,
        }),
      );
    fc.assert(
      fc.property(header, (h) => {
        const bytes = encode(manifestHeader, h);
        const { value, end } = manifestHeader.decode(bytes, 0);
        expect(end).toBe(48);
        expect(value).toEqual(h);
        expect(encode(manifestHeader, value)).toEqual(bytes);
      }),
    );
  });

  it('every single-bit flip of the header makes it fail to decode or to match the BlobId', () => {
    for (let bit = 0; bit < headerBytes.length * 8; bit++) {
      const b = headerBytes.slice();
      flip(b, bit);
      const h = total(() => decode(manifestHeader, b));
      if (h !== undefined) expect(verifyHeader(h, m.id)).toBe(false);
    }
  });

  it('rejects impossible shapes and values above the limits with typed errors', () => {
    const put = (count: bigint, len: bigint) => {
      const b = new Uint8Array(48);
      const v = new DataView(b.buffer);
      v.setBigUint64(0, count, false);
      v.setBigUint64(8, len, false);
      return b;
    };
    const code = (b: Uint8Array, c = manifestHeader) => {
      try {
        decode(c, b);
        return 'ok';
      } catch (e) {
        return (e as CodecError).code;
      }
    };
    expect(code(put(0n, 0n))).toBe('ok');
    expect(code(put(2n ** 32n, 2n ** 32n))).toBe('ok');
    expect(code(put(2n ** 32n + 1n, 2n ** 40n))).toBe('limit_exceeded');
    expect(code(put(1n, 2n ** 53n))).toBe('overflow');
    expect(code(put(5n, 4n))).toBe('invalid_value');
    expect(code(put(0n, 1n))).toBe('invalid_value');
    expect(code(put(1n, 16_777_217n))).toBe('invalid_value');
    expect(code(put(10n, 100n), manifestHeaderCodec({ maxByteLength: 99 }))).toBe('limit_exceeded');
    expect(code(put(10n, 100n), manifestHeaderCodec({ maxChunks: 9 }))).toBe('limit_exceeded');
    expect(code(new Uint8Array(47))).toBe('unexpected_eof');
    expect(code(new Uint8Array(49))).toBe('trailing_bytes');
    expect(() => encode(manifestHeader, { chunkCount: 3, byteLength: 2, root: new Uint8Array(32) })).toThrow(
      RangeError,
    );
    expect(() => blobId({ chunkCount: 1, byteLength: 1, root: new Uint8Array(31) })).toThrow(/32 bytes/);
    expect(() => manifestHeaderCodec({ maxChunks: 2 ** 33 })).toThrow(RangeError);
  });

  it('is total on garbage and mutated headers', () => {
    fc.assert(
      fc.property(fc.oneof(garbage(64), mutated(fc.constant(headerBytes))), (b) => {
        const h = total(() => decode(manifestHeader, b));
        if (h !== undefined) verifyHeader(h, m.id);
      }),
      { numRuns: 500 },
    );
  });
});

describe('manifest page codec', () => {
  it('round-trips every page with exact consumption and canonical re-encoding', () => {
    for (const bytes of pages) {
      const { value, end } = manifestPage.decode(bytes, 0);
      expect(end).toBe(bytes.length);
      expect(verifyPage(m.header, value)).toBe(true);
      expect(encode(manifestPage, value)).toEqual(bytes);
    }
  });

  it('every single-bit flip of every page fails to decode or to verify', () => {
    let flips = 0;
    for (const bytes of [pages[0]!, pages[Math.floor(pages.length / 2)]!, pages[pages.length - 1]!]) {
      for (let bit = 0; bit < bytes.length * 8; bit++) {
        const b = bytes.slice();
        flip(b, bit);
        const p = total(() => decode(manifestPage, b));
        if (p !== undefined) expect(verifyPage(m.header, p)).toBe(false);
        flips++;
      }
    }
    expect(flips).toBeGreaterThan(3000);
  });

  it('every single-bit flip of a chunk fails verification', () => {
    const v = ManifestVerifier.create(m.id, m.header, { pageBits: 2 })!;
    v.addPage(m.page(0));
    const c = data.slice(m.chunkOffset(1), m.chunkOffset(2));
    expect(v.verifyChunk(1, c)).toBe(true);
    for (let bit = 0; bit < c.length * 8; bit++) {
      flip(c, bit);
      expect(v.verifyChunk(1, c)).toBe(false);
      flip(c, bit);
    }
    expect(v.verifyChunk(1, c.subarray(1))).toBe(false);
    expect(v.verifyChunk(1, new Uint8Array([...c, 0]))).toBe(false);
  });

  it('checks limits and the implied size before reading records', () => {
    const code = (b: Uint8Array, c = manifestPage) => {
      try {
        c.decode(b, 0);
        return 'ok';
      } catch (e) {
        return (e as CodecError).code;
      }
    };
    // pageBits 17 > default 16; chunkCount 2^32 + 1; page outside; count 0; huge page of 2^16 records, no bytes.
    expect(code(Uint8Array.of(17, 0, 1))).toBe('limit_exceeded');
    expect(code(Uint8Array.of(0, 0, 0x81, 0x80, 0x80, 0x80, 0x10))).toBe('limit_exceeded');
    expect(code(Uint8Array.of(2, 5, 20))).toBe('out_of_range');
    expect(code(Uint8Array.of(0, 0, 0))).toBe('out_of_range');
    expect(code(Uint8Array.of(16, 0, 0x80, 0x80, 0x80, 0x80, 0x08))).toBe('unexpected_eof');
    expect(code(Uint8Array.of(0x80, 0))).toBe('not_minimal');
    expect(code(pages[0]!, manifestPageCodec({ maxPageBits: 1 }))).toBe('limit_exceeded');
    expect(code(pages[0]!, manifestPageCodec({ maxChunks: 3 }))).toBe('limit_exceeded');
    expect(() => encode(manifestPage, { ...m.page(0), proof: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => manifestPageCodec({ maxPageBits: 33 })).toThrow(RangeError);
  });

  it('is total on garbage and mutated pages (decode or CodecError; decoded pages never verify wrongly)', () => {
    const valid = fc.constantFrom(...pages);
    fc.assert(
      fc.property(fc.oneof(garbage(200), mutated(valid)), (b) => {
        const p = total(() => manifestPage.decode(b, 0));
        if (p !== undefined && verifyPage(m.header, p.value)) {
          // The only bytes that verify are an intact page.
          expect(pages.some((q) => Buffer.from(q).equals(Buffer.from(b.subarray(0, p.end))))).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('verifyPage returns false for malformed objects instead of throwing', () => {
    const p = m.page(1);
    expect(verifyPage(m.header, { ...p, chunkCount: p.chunkCount + 1 })).toBe(false);
    expect(verifyPage(m.header, { ...p, pageBits: 40 })).toBe(false);
    expect(verifyPage(m.header, { ...p, pageIndex: -1 })).toBe(false);
    expect(verifyPage(m.header, { ...p, records: p.records.subarray(36) })).toBe(false);
    expect(verifyPage(m.header, { ...p, proof: 'x' as never })).toBe(false);
    const zeroLen = p.records.slice();
    zeroLen.fill(0, 0, 4);
    expect(verifyPage(m.header, { ...p, records: zeroLen })).toBe(false);
    expect(() => verifyPage(m.header, null as never)).toThrow(TypeError);
    expect(CodecError).toBeDefined();
  });
});
