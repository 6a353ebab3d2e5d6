import { CodecError, isCodecError, toHex } from '@syncwire/bytes';
import {
  DEFAULT_RIBLT_LIMITS,
  decodeRibltMessage,
  encodeDone,
  encodeGiveUp,
  encodeWant,
  expectedCount,
  RibltDecoder,
  RibltRequester,
  RibltResponder,
  RibltSketch,
  RibltTag,
} from '@syncwire/reconcile';
import { garbage, mutated, notBytes, Prng } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const KEY = new Uint8Array(16).fill(9);

function sketchOf(seed: number, n: number, capacity = 256): RibltSketch {
  const s = new RibltSketch(KEY, { capacity });
  s.addAll(new Prng(seed).bytes(32 * n));
  return s;
}

/** Re-encodes a decoded SYMBOLS message through a sketch-free path: the canonical form. */
function reencode(bytes: Uint8Array): Uint8Array {
  const m = decodeRibltMessage(bytes);
  if (m.type === 'want') return encodeWant(m.start, m.count);
  if (m.type === 'done') return encodeDone();
  if (m.type === 'give-up') return encodeGiveUp();
  const zig = (v: number) => (v >= 0 ? 2 * v : -2 * v - 1);
  const parts: number[] = [RibltTag.Symbols];
  const uv = (v: number) => {
    while (v >= 0x80) {
      parts.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    parts.push(v);
  };
  uv(m.setSize);
  uv(m.start);
  uv(m.count);
  parts.push(...m.ids, ...m.hashes);
  for (let k = 0; k < m.count; k++) uv(zig(m.counts[k]! - expectedCount(m.setSize, m.start + k)));
  return Uint8Array.from(parts);
}

const validBatch = fc
  .tuple(
    fc.integer({ min: 1, max: 1e9 }),
    fc.integer({ min: 0, max: 400 }),
    fc.integer({ min: 0, max: 200 }),
    fc.integer({ min: 0, max: 56 }),
  )
  .map(([seed, n, start, count]) => sketchOf(seed, n).encodeBatch(start, count));

describe('RIBLT wire format', () => {
  it('SYMBOLS: decodes, re-encodes canonically, consumes exactly, keeps ids/hashes/counts', () => {
    fc.assert(
      fc.property(validBatch, (bytes) => {
        const m = decodeRibltMessage(bytes);
        expect(m.type).toBe('symbols');
        expect(toHex(reencode(bytes))).toBe(toHex(bytes));
      }),
    );
  });

  it('is about 41 bytes per symbol for a 10^5-item set', () => {
    const s = sketchOf(1, 100_000, 2048);
    const bytes = s.encodeBatch(1000, 1000);
    expect(bytes.length / 1000).toBeLessThan(41.6);
  });

  it('WANT / DONE / GIVE_UP round-trip', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.maxSafeNat(), (a, b) => {
        expect(decodeRibltMessage(encodeWant(a, b))).toEqual({ type: 'want', start: a, count: b });
      }),
    );
    expect(decodeRibltMessage(encodeDone())).toEqual({ type: 'done' });
    expect(decodeRibltMessage(encodeGiveUp())).toEqual({ type: 'give-up' });
  });

  it('is total on garbage and mutations: a message or CodecError, nothing else', () => {
    fc.assert(
      fc.property(
        fc.oneof(garbage(300), mutated(validBatch), mutated(garbage(40).map((g) => Uint8Array.of(2, ...g)))),
        (bytes) => {
          try {
            decodeRibltMessage(bytes);
          } catch (e) {
            expect(isCodecError(e)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every truncation of a batch throws CodecError', () => {
    const bytes = sketchOf(3, 100).encodeBatch(0, 20);
    for (let n = 0; n < bytes.length; n++) {
      expect(() => decodeRibltMessage(bytes.subarray(0, n))).toThrow(CodecError);
    }
    expect(() => decodeRibltMessage(Uint8Array.of(...bytes, 0))).toThrowError(/trailing_bytes/);
  });

  it('checks declared counts against limits and bytes before allocating', () => {
    // setSize 1, start 0, count 2^24 with no symbol bytes: refused before any allocation.
    const huge = Uint8Array.of(RibltTag.Symbols, 1, 0, 0x80, 0x80, 0x80, 0x08);
    expect(() => decodeRibltMessage(huge)).toThrowError(/limit_exceeded/);
    expect(() => decodeRibltMessage(huge, { maxBatchSymbols: 1 << 24, maxSymbols: 1 << 25 })).toThrowError(
      /unexpected_eof/,
    );
    const batch = sketchOf(4, 100).encodeBatch(0, 100);
    expect(() => decodeRibltMessage(batch, { maxBatchSymbols: 99 })).toThrowError(/limit_exceeded/);
    expect(() => decodeRibltMessage(batch, { maxSymbols: 99 })).toThrowError(/cap/);
    expect(() => decodeRibltMessage(batch, { maxFrameBytes: batch.length - 1 })).toThrowError(
      /limit_exceeded/,
    );
    expect(() => decodeRibltMessage(Uint8Array.of(0x09))).toThrowError(/invalid_tag/);
    expect(() => decodeRibltMessage(new Uint8Array(0))).toThrowError(/unexpected_eof/);
    // A count that would be negative or above Int32.
    const neg = Uint8Array.of(RibltTag.Symbols, 0, 0, 1, ...new Uint8Array(40), 1);
    expect(() => decodeRibltMessage(neg)).toThrowError(/out_of_range/);
    expect(DEFAULT_RIBLT_LIMITS.maxFrameBytes).toBe(262144);
    for (const [, bad] of notBytes) expect(() => decodeRibltMessage(bad as Uint8Array)).toThrow(TypeError);
    expect(() => decodeRibltMessage(encodeDone(), { maxFrameBytes: 0 })).toThrow(RangeError);
  });

  it('hostile batches never produce a final answer that is wrong', () => {
    const common = new Prng(5).bytes(32 * 300);
    const onlyRemote = new Prng(6).bytes(32 * 4);
    const local = new RibltSketch(KEY, { capacity: 128 });
    local.addAll(common);
    const remote = new RibltSketch(KEY, { capacity: 128 });
    remote.addAll(common);
    remote.addAll(onlyRemote);
    const truth = new Set<string>();
    for (let p = 0; p < onlyRemote.length; p += 32) truth.add(toHex(onlyRemote.subarray(p, p + 32)));
    const honest = remote.encodeBatch(0, 128);
    fc.assert(
      fc.property(fc.oneof(mutated(fc.constant(honest)), garbage(400)), (bytes) => {
        const dec = new RibltDecoder(local, { maxSymbols: 128 });
        try {
          dec.push(bytes);
        } catch (e) {
          expect(isCodecError(e)).toBe(true);
          return;
        }
        const r = dec.result();
        if (r) {
          // A flipped bit that still decodes must decode to the truth (the set-size check and keyed hashes).
          expect(r.localOnly).toHaveLength(0);
          expect(new Set(r.remoteOnly.map(toHex))).toEqual(truth);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('the decoder refuses gaps, changed set sizes and non-SYMBOLS messages', () => {
    const s = sketchOf(7, 50);
    const dec = new RibltDecoder(sketchOf(8, 50));
    expect(() => dec.push(s.encodeBatch(1, 2))).toThrowError(/out_of_order/);
    dec.push(s.encodeBatch(0, 2));
    expect(() => dec.push(sketchOf(7, 51).encodeBatch(2, 2))).toThrowError(/set size/);
    expect(() => dec.push(encodeDone())).toThrowError(/invalid_tag/);
    // Overlapping batches are fine: already-seen symbols are skipped.
    dec.push(s.encodeBatch(0, 4));
    expect(dec.received).toBe(4);
  });

  it('responder refuses symbols sent to it; requester ignores input after the end', () => {
    const r = new RibltResponder(sketchOf(9, 10));
    expect(() => r.receive(sketchOf(9, 10).encodeBatch(0, 1))).toThrowError(/invalid_tag/);
    expect(r.poll()).toBeUndefined();
    r.receive(encodeWant(0, 1000));
    expect(r.poll()).toBeDefined();
    r.receive(encodeDone());
    expect(r.poll()).toBeUndefined();
    expect(() => new RibltResponder(sketchOf(9, 10), { batchSize: 0 })).toThrow(RangeError);
    const q = new RibltRequester(sketchOf(9, 10));
    expect(q.receive(sketchOf(9, 10).encodeBatch(0, 1))).toEqual(encodeDone());
    expect(q.receive(sketchOf(9, 10).encodeBatch(1, 1))).toBeUndefined();
  });
});
