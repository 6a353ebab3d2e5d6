import { concat, isCodecError, toHex } from '@syncwire/bytes';
import { garbage, notBytes, randomBytes, splits } from '@syncwire/testkit';
import {
  crc32c,
  crc32cCombine,
  decodeFrames,
  encodeFrame,
  encodeFrameInto,
  encodeFrames,
  FrameDecoder,
  type FrameDecoderOptions,
  frameDecoderTransformer,
  frameEncoderTransformer,
  frameLength,
} from '@syncwire/tlv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const payloads = fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 });

function decodeAll(parts: Uint8Array[], options?: FrameDecoderOptions): Uint8Array[] {
  const d = new FrameDecoder(options);
  const out: Uint8Array[] = [];
  for (const p of parts) {
    d.push(p);
    for (let f = d.read(); f !== null; f = d.read()) out.push(f);
  }
  out.push(...d.finish());
  return out;
}

describe('CRC-32C', () => {
  it('matches the check value and continues across pieces', () => {
    const check = new TextEncoder().encode('123456789');
    expect(crc32c(check)).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    // RFC 3720 B.4: 32 bytes of zeros.
    // Combining CRCs without the bytes equals the CRC of the concatenation (including empty parts).
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 3000 }), (a, b) => {
        expect(crc32cCombine(crc32c(a), crc32c(b), b.length)).toBe(crc32c(concat([a, b])));
      }),
    );
    expect(crc32cCombine(crc32c(check), crc32c(new Uint8Array(1 << 20)), 1 << 20)).toBe(
      crc32c(concat([check, new Uint8Array(1 << 20)])),
    );
    expect(() => crc32cCombine(0, 0, -1)).toThrow(RangeError);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 100 }), (a, b) => {
        expect(crc32c(b, crc32c(a))).toBe(crc32c(concat([a, b])));
      }),
    );
  });
  it('matches a bitwise reference on random input', () => {
    const ref = (b: Uint8Array) => {
      let c = ~0;
      for (const x of b) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return ~c >>> 0;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(crc32c(b)).toBe(ref(b));
      }),
    );
  });
});

describe.each([{ checksum: false }, { checksum: true }])('frames %o', (options) => {
  it('round-trips payloads however the stream is split (chunking invariance)', () => {
    fc.assert(
      fc.property(
        payloads.chain((ps) => {
          const stream = concat(ps.map((p) => encodeFrame(p, options)));
          return fc.tuple(fc.constant(ps), splits(stream));
        }),
        ([ps, parts]) => {
          const got = decodeAll(parts, options);
          expect(got.map(toHex)).toEqual(ps.map(toHex));
        },
      ),
    );
  });

  it('raw: yields each whole frame as encoded, however the stream is split', () => {
    fc.assert(
      fc.property(
        payloads.chain((ps) => {
          const frames = ps.map((p) => encodeFrame(p, options));
          return fc.tuple(fc.constant(frames), splits(concat(frames)));
        }),
        ([frames, parts]) => {
          const got = decodeAll(parts, { ...options, raw: true });
          expect(got.map(toHex)).toEqual(frames.map(toHex));
        },
      ),
    );
  });

  it('encodeFrameInto writes exactly frameLength bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 7 }), (p, at) => {
        const out = new Uint8Array(at + frameLength(p.length, options));
        expect(encodeFrameInto(p, out, at, options)).toBe(frameLength(p.length, options));
        expect(toHex(out.subarray(at))).toBe(toHex(encodeFrame(p, options)));
        expect(() => encodeFrameInto(p, out, at + 1, options)).toThrow(RangeError);
      }),
    );
  });

  it('is total on garbage split anywhere: frames or CodecError, never a hang', () => {
    fc.assert(
      fc.property(
        garbage(80).chain((g) => splits(g)),
        (parts) => {
          for (const raw of [false, true]) {
            try {
              decodeAll(parts, { ...options, maxFrameSize: 64, raw });
            } catch (e) {
              if (!isCodecError(e)) throw e;
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reports a stream that stops inside a frame', () => {
    const f = encodeFrame(randomBytes(10), options);
    for (let cut = 1; cut < f.length; cut++) {
      expect(() => decodeAll([f.subarray(0, cut)], options)).toThrow(
        expect.objectContaining({ code: 'unexpected_eof' }),
      );
    }
  });
});

describe('frame limits and integrity', () => {
  it('rejects a declared length above maxFrameSize from the header alone', () => {
    const d = new FrameDecoder({ maxFrameSize: 1000 });
    d.push(new Uint8Array([0xe9, 0x07])); // 1001
    expect(() => d.read()).toThrow(expect.objectContaining({ code: 'limit_exceeded', offset: 0 }));
    expect(() => d.read()).toThrow(expect.objectContaining({ code: 'limit_exceeded' })); // stays failed
    expect(() => encodeFrame(new Uint8Array(1001), { maxFrameSize: 1000 })).toThrow(RangeError);
  });

  it('a hostile declared length of 2^60 allocates nothing', () => {
    const before = process.memoryUsage().arrayBuffers;
    const d = new FrameDecoder({ maxFrameSize: Number.MAX_SAFE_INTEGER });
    // 2^60 in LEB128, split one byte per chunk: refused while the header is still arriving.
    const header = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10];
    let error: unknown;
    try {
      for (const b of header) {
        d.push(new Uint8Array([b]));
        d.read();
      }
    } catch (e) {
      error = e;
    }
    expect(isCodecError(error, 'limit_exceeded')).toBe(true);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
  });

  it('rejects non-minimal length varints', () => {
    expect(() => decodeAll([new Uint8Array([0x81, 0x00, 0x01])])).toThrow(
      expect.objectContaining({ code: 'not_minimal' }),
    );
  });

  it('detects any single flipped bit with the CRC-32C trailer', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.nat(),
        fc.nat({ max: 7 }),
        (p, at, bit) => {
          const f = encodeFrame(p, { checksum: true });
          const header = f.length - p.length - 4;
          const i = header + (at % (p.length + 4)); // flip inside payload or trailer
          f[i] = f[i]! ^ (1 << bit);
          expect(() => decodeAll([f], { checksum: true })).toThrow(
            expect.objectContaining({ code: 'checksum_mismatch' }),
          );
        },
      ),
    );
  });

  it('raw: leaves the trailer to the caller, still enforces the limit, views frames inside one chunk', () => {
    const f = encodeFrame(randomBytes(200), { checksum: true });
    f[f.length - 1]! ^= 1;
    const stream = concat([new Uint8Array(3), f]).subarray(3);
    const d = new FrameDecoder({ checksum: true, raw: true });
    d.push(stream);
    const got = d.read()!;
    expect(toHex(got)).toBe(toHex(f));
    expect(got.buffer).toBe(stream.buffer);
    expect(got.byteOffset).toBe(3);
    expect(() => decodeAll([f], { checksum: true })).toThrow(
      expect.objectContaining({ code: 'checksum_mismatch' }),
    );
    expect(() => decodeAll([f], { checksum: true, raw: true, maxFrameSize: 199 })).toThrow(
      expect.objectContaining({ code: 'limit_exceeded' }),
    );
    expect(() => new FrameDecoder({ raw: 1 as unknown as boolean })).toThrow(TypeError);
  });

  it('returns zero-copy views for frames inside one chunk', () => {
    const stream = concat([encodeFrame(randomBytes(5)), encodeFrame(randomBytes(7))]);
    const d = new FrameDecoder();
    d.push(stream);
    const f = d.read()!;
    expect(f.buffer).toBe(stream.buffer);
    expect(f.byteOffset).toBe(1);
  });

  it('rejects bad arguments', () => {
    for (const [, bad] of notBytes) {
      expect(() => new FrameDecoder().push(bad as Uint8Array)).toThrow(TypeError);
      expect(() => encodeFrame(bad as Uint8Array)).toThrow(TypeError);
    }
    expect(() => new FrameDecoder({ maxFrameSize: -1 })).toThrow(RangeError);
    expect(() => new FrameDecoder({ checksum: 'yes' as unknown as boolean })).toThrow(TypeError);
  });
});

describe('stream adapters', () => {
  it('decodeFrames / encodeFrames over async iterables', async () => {
    const ps = [randomBytes(3, 1), randomBytes(0, 2), randomBytes(1000, 3)];
    const framed: Uint8Array[] = [];
    for await (const f of encodeFrames(ps, { checksum: true })) framed.push(f);
    const stream = concat(framed);
    async function* chunks() {
      for (let i = 0; i < stream.length; i += 7) yield stream.subarray(i, i + 7);
    }
    const got: Uint8Array[] = [];
    for await (const p of decodeFrames(chunks(), { checksum: true })) got.push(p);
    expect(got.map(toHex)).toEqual(ps.map(toHex));
  });

  it('Web Streams: TransformStream with the frame transformers', async () => {
    const ps = [randomBytes(10, 4), randomBytes(300, 5)];
    const source = new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of ps) c.enqueue(p);
        c.close();
      },
    });
    const got: Uint8Array[] = [];
    const out = source
      .pipeThrough(new TransformStream(frameEncoderTransformer()))
      .pipeThrough(new TransformStream(frameDecoderTransformer()));
    for await (const p of out) got.push(p);
    expect(got.map(toHex)).toEqual(ps.map(toHex));
  });

  it('Web Streams: a truncated stream errors the readable side', async () => {
    const f = encodeFrame(randomBytes(10));
    const source = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(f.subarray(0, 5));
        c.close();
      },
    });
    const reader = source.pipeThrough(new TransformStream(frameDecoderTransformer())).getReader();
    await expect(reader.read()).rejects.toMatchObject({ code: 'unexpected_eof' });
  });
});
