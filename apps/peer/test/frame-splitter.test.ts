import { CodecError, isCodecError } from '@syncwire/bytes';
import { FrameSplitter } from '@syncwire/peer';
import { encodeMessage, wrapFrame } from '@syncwire/session';
import { randomBytes, splits } from '@syncwire/testkit';
import fc from 'fast-check';
import { expect, test } from 'vitest';

const frames = [
  wrapFrame(encodeMessage({ type: 'ping', nonce: 7 })),
  wrapFrame(randomBytes(300, 1)), // two-byte length
  wrapFrame(new Uint8Array(0)),
  wrapFrame(randomBytes(70_000, 2)), // three-byte length
];
const stream = Uint8Array.from(frames.flatMap((f) => [...f]));

test('returns the session frames whole (header and CRC included) however the stream is split', () => {
  fc.assert(
    fc.property(splits(stream), (pieces) => {
      const s = new FrameSplitter(256 * 1024);
      const got = pieces.flatMap((p) => s.push(p));
      expect(got.map((f) => Buffer.from(f).toString('hex'))).toEqual(
        frames.map((f) => Buffer.from(f).toString('hex')),
      );
      expect(s.pending).toBe(false);
    }),
  );
});

test('a frame inside one pushed chunk is a view of it (no copy)', () => {
  const s = new FrameSplitter(256 * 1024);
  const [a, b] = s.push(stream.subarray(0, frames[0]!.length + frames[1]!.length));
  expect(a!.buffer).toBe(stream.buffer);
  expect(b!.byteOffset).toBe(frames[0]!.length);
});

test('an oversize declared length is refused as its varint arrives, before anything is buffered', () => {
  const s = new FrameSplitter(1024);
  // 1 GiB declared: refused on the varint's 5th byte... or earlier, as soon as the lower bound passes the limit.
  expect(() => s.push(Uint8Array.of(0x80, 0x80, 0x80, 0x80))).not.toThrow();
  expect(s.buffered).toBe(4);
  const e = (() => {
    try {
      s.push(Uint8Array.of(0x04));
    } catch (x) {
      return x;
    }
  })();
  expect(isCodecError(e) && e.code).toBe('limit_exceeded');
  expect(() => s.push(Uint8Array.of(0))).toThrow(CodecError); // stays failed
  // The limit counts header and CRC trailer: 1017 + 2 + 4 = 1023 fits, 1019 + 2 + 4 = 1025 does not.
  expect(new FrameSplitter(1024).push(new Uint8Array([0xf9, 0x07, ...new Uint8Array(1021)]))).toHaveLength(1);
  expect(() => new FrameSplitter(1024).push(Uint8Array.of(0xfb, 0x07))).toThrow(/limit 1024/);
  expect(() => new FrameSplitter(1 << 30).push(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80))).toThrow(/limit/);
});

test('a non-minimal length varint is refused', () => {
  expect(() => new FrameSplitter(1024).push(Uint8Array.of(0x81, 0x00))).toThrow(/not minimal/);
});

test('random garbage either splits into frames within the limit or throws CodecError, and never holds more than the limit', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 16, max: 4096 }), (bytes, limit) => {
      const s = new FrameSplitter(limit);
      try {
        for (const f of s.push(bytes)) expect(f.length).toBeLessThanOrEqual(limit);
      } catch (e) {
        expect(isCodecError(e)).toBe(true);
      }
      expect(s.buffered).toBeLessThanOrEqual(limit);
    }),
  );
  expect(() => new FrameSplitter(8)).toThrow(RangeError);
});
