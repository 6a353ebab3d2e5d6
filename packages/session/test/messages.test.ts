import { buildManifest } from '@syncwire/blob';
import { isCodecError } from '@syncwire/bytes';
import {
  decodeMessage,
  encodeChunkFrame,
  encodeMessage,
  type Message,
  unwrapFrame,
  wrapFrame,
} from '@syncwire/session';
import { garbage, mutated, randomBytes } from '@syncwire/testkit';
import { crc32c } from '@syncwire/tlv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const m = buildManifest(randomBytes(50_000, 3), {
  chunking: { min: 256, avg: 1024, max: 4096 },
  pageBits: 2,
});
const id = m.id;
const samples: Message[] = [
  {
    type: 'hello',
    versionMin: 1,
    versionMax: 3,
    maxFrame: 262144,
    maxInflight: 64,
    initialCredit: 4 << 20,
    ack: false,
    capabilities: 31,
    peerId: randomBytes(64, 9),
    nonce: randomBytes(16, 8),
  },
  {
    type: 'hello',
    versionMin: 0,
    versionMax: 0,
    maxFrame: 1024,
    maxInflight: 1,
    initialCredit: 0,
    ack: true,
    capabilities: 0,
    peerId: Uint8Array.of(7),
    nonce: new Uint8Array(16),
  },
  { type: 'recon', scope: 0, algo: 1, round: 1, reply: false, payload: Uint8Array.of(1, 0, 128) },
  { type: 'recon', scope: 2 ** 40, algo: 2, round: 9, reply: true, payload: new Uint8Array(0) },
  { type: 'have', blobId: id, all: true, ranges: [] },
  {
    type: 'have',
    blobId: id,
    all: false,
    ranges: [
      [0, 1],
      [5, 300],
      [2 ** 32 - 1, 2 ** 32],
    ],
  },
  {
    type: 'repair',
    reqId: 3,
    attempt: 1,
    blobId: id,
    index: 4,
    codec: 0,
    symbolSize: 1024,
    repair: 4,
    symbolId: 17,
    symbol: randomBytes(1024, 4),
  },
  { type: 'want', reqId: 1, blobId: id, kind: 'page', index: 3, pageBits: 10, attempt: 0 },
  { type: 'want', reqId: 2 ** 40, blobId: id, kind: 'chunk', index: 7, pageBits: 0, attempt: 9 },
  { type: 'want', reqId: 3, blobId: id, kind: 'chunk', index: 7, pageBits: 0, attempt: 1, repair: 25 },
  { type: 'manifest', reqId: 5, attempt: 1, blobId: id, header: m.header, page: m.page(1) },
  { type: 'chunk', reqId: 6, attempt: 0, blobId: id, index: 2, data: randomBytes(3000, 1) },
  { type: 'chunk', reqId: 6, attempt: 0, blobId: id, index: 2, data: new Uint8Array(0) },
  { type: 'credit', maxBytes: 2 ** 53 - 1, maxReqId: 77 },
  { type: 'cancel', reqId: 9 },
  { type: 'no-data', reqId: 9, attempt: 2, reason: 1 },
  { type: 'error', code: 2, text: 'misbehaved ✗' },
  { type: 'bye', reason: 0 },
  { type: 'ping', nonce: 12345 },
  { type: 'pong', nonce: 0 },
];
const encoded = samples.map((s) => encodeMessage(s));

const total = (f: () => unknown) => {
  try {
    return f();
  } catch (e) {
    if (!isCodecError(e)) throw e;
    return undefined;
  }
};

describe('messages', () => {
  it('round-trip every message type and re-encode canonically', () => {
    for (const [i, s] of samples.entries()) {
      const d = decodeMessage(encoded[i]!);
      expect(d).toEqual(s);
      expect(encodeMessage(d)).toEqual(encoded[i]);
    }
  });

  it('frames carry a CRC-32C and a length checked against the limit', () => {
    const payload = encodeMessage(samples.find((x) => x.type === 'chunk')!);
    const f = wrapFrame(payload);
    expect(unwrapFrame(f, 1 << 20)).toEqual(payload);
    const bad = f.slice();
    bad[10] = bad[10]! ^ 1;
    expect(() => unwrapFrame(bad, 1 << 20)).toThrow(expect.objectContaining({ code: 'checksum_mismatch' }));
    expect(() => unwrapFrame(f, 100)).toThrow(expect.objectContaining({ code: 'limit_exceeded' }));
    expect(() => unwrapFrame(f.subarray(0, 50), 1 << 20)).toThrow(
      expect.objectContaining({ code: 'unexpected_eof' }),
    );
    expect(() => unwrapFrame(Uint8Array.of(0x85, 0x80, 0x80, 0x80, 0x08), 1 << 20)).toThrow(
      expect.objectContaining({ code: 'limit_exceeded' }),
    );
  });

  it('rejects missing fields, unknown types and bad flags with CodecError', () => {
    const code = (b: Uint8Array) => {
      try {
        decodeMessage(b);
        return 'ok';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(code(Uint8Array.of(0x0c))).toBe('invalid_value'); // BYE without its reason
    expect(code(Uint8Array.of(0x7f))).toBe('invalid_tag');
    expect(code(Uint8Array.of(0x0c, 0x00, 0x01, 0x00, 0x02, 0x00))).toBe('unknown_required');
    expect(code(Uint8Array.of(0x0c, 0x00, 0x01, 0x00, 0x03, 0x00))).toBe('ok'); // unknown odd type skipped
    expect(code(Uint8Array.of(0x08, 0x00, 0x02, 0x80, 0x00, 0x02, 0x01, 0x05))).toBe('not_minimal');
    expect(code(Uint8Array.of(0x0c, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00))).toBe('out_of_order');
    expect(() => encodeMessage({ type: 'nope' } as never)).toThrow(TypeError);
    // HAVE ranges must be canonical: non-empty, not touching, below 2^32.
    const have = (ranges: number[]) =>
      Uint8Array.of(0x03, 0x00, 0x20, ...id, 0x02, 0x01, 0x00, 0x04, ranges.length, ...ranges);
    expect(code(have([0, 1, 2, 3]))).toBe('ok');
    expect(code(have([0, 0]))).toBe('invalid_value');
    expect(code(have([0, 1, 0, 1]))).toBe('invalid_value');
    expect(code(have([0xff, 0xff, 0xff, 0xff, 0x0f, 0x02]))).toBe('limit_exceeded');
    const peerId = (n: number) =>
      decodeMessage(encodeMessage({ ...(samples[1] as object), peerId: new Uint8Array(n) } as Message));
    expect(() => peerId(65)).toThrow(expect.objectContaining({ code: 'invalid_value' }));
  });

  it('is total on garbage and mutated payloads', () => {
    fc.assert(
      fc.property(fc.oneof(garbage(80), mutated(fc.constantFrom(...encoded))), (b) => {
        const d = total(() => decodeMessage(b)) as Message | undefined;
        if (d !== undefined) expect(encodeMessage(d).length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('encodeChunkFrame', () => {
  it('is byte-identical to wrapFrame(encodeMessage(chunk))', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.uint8Array({ maxLength: 300 }),
        (reqId, attempt, index, data) => {
          const msg = { type: 'chunk', reqId, attempt, blobId: id, index, data } as const;
          expect(encodeChunkFrame(msg)).toEqual(wrapFrame(encodeMessage(msg)));
          // With the data's CRC supplied, the trailer is derived (crc32cCombine) and the bytes are identical.
          expect(encodeChunkFrame(msg, crc32c(data))).toEqual(wrapFrame(encodeMessage(msg)));
        },
      ),
    );
  });
});
