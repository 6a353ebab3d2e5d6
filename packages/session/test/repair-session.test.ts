import { buildManifest, type Manifest } from '@syncwire/blob';
import {
  Capability,
  decodeMessage,
  encodeMessage,
  type SessionEvent,
  type SessionOptions,
  unwrapFrame,
  wrapFrame,
} from '@syncwire/session';
import { randomBytes } from '@syncwire/testkit';
import { crc32c } from '@syncwire/tlv';
import { describe, expect, it } from 'vitest';
import { type Pair, pair, run } from './lossy.ts';

const CHUNKING = { min: 2048, avg: 8192, max: 32768 };
const BASE: SessionOptions = {
  maxFrame: 65536,
  creditWindow: 1 << 20,
  initialRto: 50,
  minRto: 20,
  maxRto: 400,
};

/** A serves blob `m` (optionally corrupting chunks); B fetches it and stores only what verifies. */
function transfer(m: Manifest, bytes: Uint8Array, p: Pair, loss: number, seed: number, corrupt = false) {
  const stored = new Map<number, Uint8Array>();
  p.b.want(m.id);
  const serve = (side: 'a' | 'b', e: SessionEvent) => {
    if (side === 'a' && e.type === 'need-page')
      p.a.respondPage(e.reqId, m.header, m.page(e.pageIndex, e.pageBits));
    if (side === 'a' && e.type === 'need-chunk') {
      const c = bytes.slice(m.chunkOffset(e.index), m.chunkOffset(e.index + 1));
      if (corrupt) c[c.length >> 1] = c[c.length >> 1]! ^ 1;
      p.a.respondChunk(e.reqId, c);
    }
    if (side === 'b' && e.type === 'store-chunk') {
      const real = bytes.subarray(m.chunkOffset(e.index), m.chunkOffset(e.index + 1));
      expect(Buffer.compare(real, e.bytes)).toBe(0);
      stored.set(e.index, e.bytes.slice());
    }
  };
  const done = () => p.b.state === 'closed' || p.ev.b.some((e) => e.type === 'blob-complete');
  run(p, done, loss, seed, 400_000, serve);
  return stored;
}

/**
 * B fetches blob `m` from A over a perfect link on which every frame A sends passes through `mangle`; A serves
 * with stored chunk CRCs. Returns the sessions and what B stored (checked against the truth on the way).
 */
function fetchThrough(
  m: Manifest,
  bytes: Uint8Array,
  o: SessionOptions,
  mangle: (f: Uint8Array) => Uint8Array,
) {
  const p = pair(o, o);
  const stored = new Map<number, Uint8Array>();
  p.b.want(m.id);
  let now = 0;
  for (let step = 0; step < 50_000 && !p.ev.b.some((e) => e.type === 'blob-complete'); step++) {
    for (let f = p.a.pollTransmit(now); f; f = p.a.pollTransmit(now)) p.b.handleFrame(mangle(f), now);
    for (let f = p.b.pollTransmit(now); f; f = p.b.pollTransmit(now)) p.a.handleFrame(f, now);
    for (let e = p.a.pollEvent(); e; e = p.a.pollEvent()) {
      if (e.type === 'need-page') p.a.respondPage(e.reqId, m.header, m.page(e.pageIndex, e.pageBits));
      if (e.type === 'need-chunk') {
        const c = bytes.subarray(m.chunkOffset(e.index), m.chunkOffset(e.index + 1));
        p.a.respondChunk(e.reqId, c, { crc32c: crc32c(c) });
      }
    }
    for (let e = p.b.pollEvent(); e; e = p.b.pollEvent()) {
      p.ev.b.push(e);
      if (e.type === 'store-chunk') {
        const real = bytes.subarray(m.chunkOffset(e.index), m.chunkOffset(e.index + 1));
        expect(Buffer.compare(real, e.bytes)).toBe(0);
        stored.set(e.index, e.bytes);
      }
    }
    now += 25;
    p.a.handleTimeout(now);
    p.b.handleTimeout(now);
  }
  return { p, stored };
}

describe('REPAIR: chunks as erasure-coded symbols on lossy links', () => {
  const bytes = randomBytes(400_000, 42);
  const m = buildManifest(bytes, { chunking: CHUNKING });

  it.each([
    ['always, RS and RaptorQ', { repair: 'always' as const }, 0.15],
    ['auto (after a retransmission)', { repair: 'auto' as const }, 0.2],
    ['always, RaptorQ only', { repair: 'always' as const, capabilities: 31 & ~Capability.REPAIR_RS }, 0.15],
    ['always, RS only, 100 % overhead', { repair: 'always' as const, repairOverhead: 1 }, 0.3],
  ])('%s: the blob completes, verified, with chunks rebuilt from symbols', (_name, o, loss) => {
    const p = pair({ ...BASE, ...o }, { ...BASE, ...o });
    const stored = transfer(m, bytes, p, loss, 3);
    expect(stored.size).toBe(m.chunkCount);
    expect(p.b.stats.repairedChunks).toBeGreaterThan(0);
    expect(p.a.stats.score + p.b.stats.score).toBe(0);
    expect(p.a.stats.chunkBytesSent).toBeLessThanOrEqual(p.a.stats.peerCredit);
  });

  it('without loss, `always` costs the configured overhead and `off` sends plain CHUNKs', () => {
    const coded = pair({ ...BASE, repair: 'always' }, { ...BASE, repair: 'always' });
    transfer(m, bytes, coded, 0, 1);
    const sent = coded.a.stats.chunkBytesSent;
    expect(sent).toBeGreaterThan(1.15 * m.byteLength);
    expect(sent).toBeLessThan(1.4 * m.byteLength);
    const plain = pair({ ...BASE, repair: 'off' }, { ...BASE, repair: 'off' });
    transfer(m, bytes, plain, 0.2, 1);
    expect(plain.a.stats.chunkBytesSent).toBeGreaterThanOrEqual(m.byteLength);
    expect(plain.b.stats.repairedChunks).toBe(0);
  });

  it('a responder whose symbols rebuild bad bytes is scored and never gets bad data stored', () => {
    const p = pair({ ...BASE, repair: 'always' }, { ...BASE, repair: 'always' });
    const stored = transfer(m, bytes, p, 0, 1, true);
    expect(stored.size).toBe(0);
    expect(p.ev.b.some((e) => e.type === 'misbehaviour' && e.what.includes('REPAIR'))).toBe(true);
  });

  it('symbols tampered in flight are caught by the leaf hash; unasked-for REPAIR frames are scored', () => {
    let tampered = 0;
    const { p, stored } = fetchThrough(m, bytes, { ...BASE, repair: 'always' }, (f) => {
      const msg = decodeMessage(unwrapFrame(f, 1 << 20));
      if (msg.type !== 'repair' || msg.symbolId !== 0 || tampered++ >= 3) return f;
      const symbol = msg.symbol.slice();
      symbol[7] = symbol[7]! ^ 0x10;
      return wrapFrame(encodeMessage({ ...msg, symbol }));
    });
    const now = 1e9;
    // The tampered transfers were scored and the session fell back to plain CHUNKs, which completed.
    expect(stored.size).toBe(m.chunkCount);
    expect(p.b.stats.score).toBeGreaterThan(0);
    const before = p.b.stats.score;
    p.b.handleFrame(
      wrapFrame(
        encodeMessage({
          type: 'repair',
          reqId: 1_000_000,
          attempt: 0,
          blobId: m.id,
          index: 0,
          codec: 0,
          symbolSize: 1024,
          repair: 2,
          symbolId: 0,
          symbol: new Uint8Array(1024),
        }),
      ),
      now,
    );
    expect(p.b.stats.score).toBe(before + 10); // unsolicited
  });
});

describe('CRC on CHUNK frames', () => {
  const bytes = randomBytes(200_000, 9);
  const m = buildManifest(bytes, { chunking: CHUNKING });

  /** B fetches from A; `mangle` may alter each CHUNK frame A sends. */
  function fetchWith(mangle: (f: Uint8Array) => Uint8Array) {
    const isChunk = (f: Uint8Array) => f[f[0]! & 0x80 ? (f[1]! & 0x80 ? 3 : 2) : 1] === 0x06;
    const { p, stored } = fetchThrough(m, bytes, { ...BASE, repair: 'off' }, (f) =>
      isChunk(f) ? mangle(f) : f,
    );
    return { p, stored: [...stored.values()].reduce((n, c) => n + c.length, 0) };
  }

  it('a CHUNK whose data verifies is accepted even if only its CRC trailer is damaged', () => {
    const { p, stored } = fetchWith((f) => {
      const g = f.slice();
      g[g.length - 1] = g[g.length - 1]! ^ 0xff;
      return g;
    });
    expect(stored).toBe(m.byteLength);
    expect(p.b.stats.corruptFrames).toBe(0);
    expect(p.b.stats.score).toBe(0);
  });

  it('a CHUNK with damaged data is link noise (bad CRC): dropped, not scored, fetched again', () => {
    let hits = 0;
    const { p, stored } = fetchWith((f) => {
      if (hits++ % 3 !== 0) return f;
      const g = f.slice();
      g[g.length - 10] = g[g.length - 10]! ^ 1;
      return g;
    });
    expect(stored).toBe(m.byteLength);
    expect(p.b.stats.corruptFrames).toBeGreaterThan(0);
    expect(p.b.stats.score).toBe(0);
  });
});

describe('close with drainUntil', () => {
  const bytes = randomBytes(300_000, 21);
  const m = buildManifest(bytes, { chunking: CHUNKING });

  /** Steps both sessions on a perfect link until `stop()`; A serves blob m. */
  function step(p: Pair, stop: () => boolean, stored: Set<number>, from = 0): number {
    let now = from;
    for (let i = 0; i < 5000 && !stop(); i++, now += 5) {
      for (let f = p.a.pollTransmit(now); f; f = p.a.pollTransmit(now)) p.b.handleFrame(f, now);
      for (let f = p.b.pollTransmit(now); f; f = p.b.pollTransmit(now)) p.a.handleFrame(f, now);
      for (let e = p.a.pollEvent(); e; e = p.a.pollEvent()) {
        p.ev.a.push(e);
        if (e.type === 'need-page') p.a.respondPage(e.reqId, m.header, m.page(e.pageIndex, e.pageBits));
        if (e.type === 'need-chunk') {
          p.a.respondChunk(e.reqId, bytes.subarray(m.chunkOffset(e.index), m.chunkOffset(e.index + 1)));
        }
      }
      for (let e = p.b.pollEvent(); e; e = p.b.pollEvent()) {
        p.ev.b.push(e);
        if (e.type === 'store-chunk') stored.add(e.index);
      }
      p.a.handleTimeout(now);
      p.b.handleTimeout(now);
    }
    return now;
  }

  it('a draining requester finishes its in-flight requests, asks for nothing new, then says BYE', () => {
    const p = pair({ ...BASE, maxInflight: 4 }, { ...BASE, maxInflight: 4 });
    const stored = new Set<number>();
    p.b.want(m.id);
    const now = step(p, () => stored.size >= 3, stored);
    const inflight = p.b.inflight;
    expect(inflight).toBeGreaterThan(0);
    p.b.close('done for today', { drainUntil: now + 10_000 });
    expect(p.b.draining).toBe(true);
    expect(() => p.b.want(randomBytes(32, 1))).toThrow(Error);
    const before = stored.size;
    step(p, () => p.a.state === 'closed' && p.b.state === 'closed', stored, now);
    expect(p.b.state).toBe('closed');
    expect(p.a.state).toBe('closed'); // got the BYE
    expect(stored.size).toBe(before + inflight);
    expect(p.ev.b.at(-1)).toMatchObject({ type: 'closed', reason: 'done for today' });
    expect(p.a.stats.score + p.b.stats.score).toBe(0);
  });

  it('a draining responder serves what was asked, refuses the rest, and the requester learns it', () => {
    const p = pair({ ...BASE, maxInflight: 2 }, { ...BASE, maxInflight: 2 });
    const stored = new Set<number>();
    p.b.want(m.id);
    const now = step(p, () => stored.size >= 2, stored);
    p.a.close('leaving', { drainUntil: now + 50 });
    step(p, () => p.a.state === 'closed', stored, now);
    expect(p.a.state).toBe('closed');
    expect(p.ev.a.at(-1)).toMatchObject({ type: 'closed', reason: 'leaving' });
    // B hears it: NO_DATA (refused) for requests that arrived during the drain, then BYE.
    expect(p.b.state).toBe('closed');
    expect(stored.size).toBeLessThan(m.chunkCount);
  });
});
