import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { blobId, buildManifest, type Manifest } from '@syncwire/blob';
import { toHex } from '@syncwire/bytes';
import { emptyRoot } from '@syncwire/merkle';
import {
  decodeMessage,
  encodeMessage,
  PENALTY,
  SESSION_DEFAULTS,
  SyncSession,
  unwrapFrame,
  wrapFrame,
} from '@syncwire/session';
import { randomBytes } from '@syncwire/testkit';
import { describe, expect, it } from 'vitest';
import { Link, SimPeer } from './sim.ts';

const SMALL = { min: 1024, avg: 4096, max: 16384 };

function world(size: number, seed: number, opts = {}) {
  const bytes = randomBytes(size, seed);
  const m = buildManifest(bytes, { chunking: SMALL });
  const truth = new Map<string, { manifest: Manifest; bytes: Uint8Array }>([
    [toHex(m.id), { manifest: m, bytes }],
  ]);
  const a = new SimPeer('A', truth, opts);
  const b = new SimPeer('B', truth, opts);
  a.addBlob(m, bytes);
  return { m, bytes, a, b, link: new Link(a, b), key: toHex(m.id) };
}

describe('two in-memory peers', () => {
  it('move a blob end to end, verified, with in-flight bytes never above the credit', () => {
    const { m, a, b, link, key } = world(600_000, 1, {
      creditWindow: 65536,
      maxFrame: 32768,
      maxInflight: 8,
    });
    b.want(m.id);
    let steps = 0;
    while (!b.holds(key) && steps++ < 100_000) {
      link.flush();
      if (link.queue.length) link.deliver(0);
      const st = a.session.stats;
      expect(st.chunkBytesSent).toBeLessThanOrEqual(st.peerCredit);
    }
    expect(b.holds(key)).toBe(true);
    expect(b.events.some((e) => e.type === 'blob-complete')).toBe(true);
    expect(b.storedBytes).toBe(m.byteLength);
    expect(b.refetched).toBe(0);
    expect(a.session.stats.score).toBe(0);
    expect(b.session.stats.score).toBe(0);
    expect(link.largestFrame).toBeLessThanOrEqual(a.session.maxFrame);
    expect(a.session.receiveLimit).toBe(32768);
    expect(new SyncSession().receiveLimit).toBe(256 * 1024); // known before HELLO, unlike the negotiated maxFrame
    expect(a.events[0]).toMatchObject({ type: 'established', version: 1 });
  });

  it('resume after a restart fetches only the missing chunks', () => {
    const { m, b, link, key } = world(400_000, 2);
    b.want(m.id);
    // Run until about half the chunks are in, then restart B (store kept) and reconnect A too.
    for (let i = 0; i < 100_000 && (b.store.get(key)?.chunks.size ?? 0) < m.chunkCount / 2; i++) {
      link.flush();
      if (link.queue.length) link.deliver(0);
    }
    const before = b.storedBytes;
    expect(before).toBeGreaterThan(0);
    expect(b.holds(key)).toBe(false);
    link.queue.length = 0;
    link.peers[0].restart();
    b.restart();
    link.settle();
    expect(b.holds(key)).toBe(true);
    expect(b.refetched).toBe(0);
    expect(b.storedBytes).toBe(m.byteLength);
  });

  it('NO_DATA ends the fetch with blob-failed', () => {
    const { b, link } = world(10_000, 3);
    const other = buildManifest(randomBytes(5000, 99));
    b.want(other.id);
    link.settle();
    expect(b.events).toContainEqual({ type: 'blob-failed', blobId: other.id, reason: 'no-data' });
  });

  it('the empty blob completes without a request', () => {
    const s = new SyncSession();
    const id = blobId({ chunkCount: 0, byteLength: 0, root: emptyRoot() });
    s.want(id);
    expect(s.pollEvent()).toEqual({ type: 'blob-complete', blobId: id });
  });

  it('a peer serving corrupted chunks never gets them stored and is cut off', () => {
    const { m, a, b, link, key } = world(300_000, 4);
    a.evil = 'chunks';
    b.want(m.id);
    link.settle();
    expect(b.store.get(key)?.chunks.size ?? 0).toBe(0);
    expect(b.session.state).toBe('closed');
    const closed = b.events.find((e) => e.type === 'closed');
    expect(closed).toMatchObject({ type: 'closed', error: { code: 2 } });
    expect(b.events.filter((e) => e.type === 'misbehaviour').length).toBeGreaterThanOrEqual(4);
    expect(a.session.state).toBe('closed'); // it received our ERROR
  });

  it('a peer forging page proofs is cut off before any page is stored', () => {
    const { m, a, b, link, key } = world(300_000, 5);
    a.evil = 'pages';
    b.want(m.id);
    link.settle();
    expect(b.store.get(key)).toBeUndefined();
    expect(b.session.state).toBe('closed');
  });

  it('incompatible versions end both sides with ERROR VERSION', () => {
    const a = new SyncSession({ versions: [2, 3] });
    const b = new SyncSession({ versions: [1, 1] });
    b.handleFrame(a.pollTransmit(0)!, 0);
    expect(b.state).toBe('closed');
    a.handleFrame(b.pollTransmit(0)!, 0); // b's ERROR (its unsent HELLO was dropped)
    expect(b.pollTransmit(0)).toBeUndefined();
    expect(a.state).toBe('closed');
    expect(a.pollEvent()).toMatchObject({ type: 'closed', error: { code: 4, remoteCode: 1 } });
    const events: unknown[] = [];
    for (let e = b.pollEvent(); e; e = b.pollEvent()) events.push(e);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'closed', error: expect.objectContaining({ code: 1 }) }),
    );
  });

  it('lost HELLOs are retransmitted with back-off; HELLO with ack is never echoed', () => {
    const a = new SyncSession({ initialRto: 100 });
    const b = new SyncSession({ initialRto: 100 });
    a.pollTransmit(0); // lost
    expect(a.pollTimeout()).toBe(100);
    a.handleTimeout(100);
    b.handleFrame(a.pollTransmit(100)!, 100);
    expect(b.state).toBe('established');
    b.pollTransmit(100); // b's own first HELLO (no ack): lost
    const reply = b.pollTransmit(100)!; // b's acked HELLO
    a.handleFrame(reply, 101);
    expect(a.state).toBe('established');
    expect(a.pollTransmit(101)).toBeUndefined(); // no echo
  });
});

describe('deduplication', () => {
  it('a peer holding the original fetches an edited copy with little traffic', () => {
    const original = randomBytes(2 << 20, 8);
    // Four edits: two overwrites and two inserts of 5 KiB each (1 % of the bytes in all).
    const parts: Uint8Array[] = [];
    let at = 0;
    for (const [k, pos] of [400_000, 900_000, 1_300_000, 1_800_000].entries()) {
      parts.push(original.subarray(at, pos), randomBytes(5000, 100 + k));
      at = k % 2 === 0 ? pos + 5000 : pos;
    }
    parts.push(original.subarray(at));
    const edited = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      edited.set(p, o);
      o += p.length;
    }
    const mo = buildManifest(original, { chunking: SMALL });
    const me = buildManifest(edited, { chunking: SMALL });
    const truth = new Map<string, { manifest: Manifest; bytes: Uint8Array }>([
      [toHex(mo.id), { manifest: mo, bytes: original }],
      [toHex(me.id), { manifest: me, bytes: edited }],
    ]);
    const a = new SimPeer('A', truth);
    const b = new SimPeer('B', truth);
    a.addBlob(me, edited);
    b.addBlob(mo, original);
    const byDigest = new Map<string, Uint8Array>();
    for (let i = 0; i < mo.chunkCount; i++) {
      byDigest.set(toHex(mo.chunkDigest(i)), original.subarray(mo.chunkOffset(i), mo.chunkOffset(i + 1)));
    }
    let lookups = 0;
    b.wanted.add(toHex(me.id));
    b.session.want(me.id, {
      local: (digest) => {
        lookups++;
        return byDigest.get(toHex(digest));
      },
    });
    const link = new Link(a, b);
    let wire = 0;
    for (let i = 0; i < 100_000; i++) {
      link.flush();
      if (!link.queue.length) break;
      wire += link.queue[0]!.frame.length;
      link.deliver(0);
    }
    expect(b.holds(toHex(me.id))).toBe(true);
    expect(lookups).toBe(me.chunkCount);
    expect(b.session.stats.chunkBytesReceived).toBeLessThan(0.05 * edited.length);
    expect(wire).toBeLessThan(0.06 * edited.length);
  });

  it('local bytes that do not match the record are not used', () => {
    const { m, b, link, key } = world(100_000, 9);
    b.wanted.add(key);
    b.session.want(m.id, { local: (_d, len) => new Uint8Array(len) });
    link.settle();
    expect(b.holds(key)).toBe(true);
    expect(b.session.stats.chunkBytesReceived).toBe(m.byteLength);
    expect(() => b.session.want(m.id, { local: 5 as never })).toThrow(TypeError);
  });
});

describe('protocol details', () => {
  function pair(opts = {}) {
    const a = new SyncSession(opts);
    const b = new SyncSession(opts);
    b.handleFrame(a.pollTransmit(0)!, 0);
    for (let f = b.pollTransmit(0); f; f = b.pollTransmit(0)) a.handleFrame(f, 0);
    while (a.pollTransmit(0)); // a's acked HELLO is not needed by b
    a.pollEvent();
    b.pollEvent();
    return { a, b };
  }
  const events = (s: SyncSession) => {
    const out = [];
    for (let e = s.pollEvent(); e; e = s.pollEvent()) out.push(e);
    return out;
  };

  it('scores oversize frames, malformed messages, unsolicited responses and WANTs above the request credit', () => {
    const { a, b } = pair({ maxInflight: 2 });
    b.handleFrame(new Uint8Array(300 * 1024), 1);
    expect(b.stats.score).toBe(PENALTY.oversizeFrame);
    b.handleFrame(wrapFrame(Uint8Array.of(0x7f)), 1);
    expect(b.stats.score).toBe(PENALTY.oversizeFrame + PENALTY.malformed);
    const id = new Uint8Array(32);
    b.handleFrame(
      wrapFrame(
        encodeMessage({ type: 'chunk', reqId: 5, attempt: 0, blobId: id, index: 0, data: Uint8Array.of(1) }),
      ),
      1,
    );
    expect(b.stats.score).toBe(85);
    const want = (reqId: number) =>
      wrapFrame(
        encodeMessage({ type: 'want', reqId, blobId: id, kind: 'chunk', index: 0, pageBits: 0, attempt: 0 }),
      );
    a.handleFrame(want(3), 1); // grant is 2
    expect(a.stats.score).toBe(PENALTY.overCredit);
    a.handleFrame(want(1), 1);
    a.handleFrame(want(1), 1); // duplicate: ignored
    expect(events(a).filter((e) => e.type === 'need-chunk')).toHaveLength(1);
    b.handleFrame(wrapFrame(Uint8Array.of(0x7f)), 1);
    expect(b.state).toBe('closed');
    expect(events(b).at(-1)).toMatchObject({ type: 'closed', error: { code: 2 } });
  });

  it('holds at most maxInflight answers for a requester that grants no more byte credit', () => {
    // Request credit counts ids seen, so answers waiting for byte credit did not return it: a requester that never
    // sent CREDIT could have every chunk it asked for held in our memory (found reviewing apps/peer).
    const { a } = pair();
    const id = new Uint8Array(32).fill(3);
    const chunk = new Uint8Array(16 * 1024);
    let asked = 0;
    const sent = { chunk: 0, noData: 0 };
    for (let reqId = 1; reqId <= 2000; reqId++) {
      a.handleFrame(
        wrapFrame(
          encodeMessage({
            type: 'want',
            reqId,
            blobId: id,
            kind: 'chunk',
            index: reqId,
            pageBits: 0,
            attempt: 0,
          }),
        ),
        1,
      );
      for (const e of events(a)) {
        if (e.type !== 'need-chunk') continue;
        asked++;
        a.respondChunk(e.reqId, chunk);
      }
      for (let f = a.pollTransmit(1); f; f = a.pollTransmit(1)) {
        const m = decodeMessage(unwrapFrame(f, 1 << 20));
        if (m.type === 'chunk') sent.chunk++;
        if (m.type === 'no-data') sent.noData++;
      }
    }
    expect(sent.chunk).toBe(SESSION_DEFAULTS.creditWindow / chunk.length); // what the requester's HELLO granted
    expect(asked).toBe(sent.chunk + SESSION_DEFAULTS.maxInflight); // the rest: held, at most maxInflight of them
    expect(sent.noData).toBe(0); // WANTs beyond the cap are dropped: an honest requester asks again at its RTO
    expect(a.stats.score).toBe(0);
  });

  it('remembers only recent request ids: memory stays bounded over a long session', () => {
    // Found reviewing apps/peer: each id seen kept ~370 B for the whole session (100 000 requests: ~37 MB).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const { a } = pair();
    const unknown = new Uint8Array(32).fill(7);
    const want = (reqId: number, attempt = 0) =>
      wrapFrame(
        encodeMessage({
          type: 'want',
          reqId,
          blobId: unknown,
          kind: 'chunk',
          index: 0,
          pageBits: 0,
          attempt,
        }),
      );
    const serve = () => {
      let asked = 0;
      for (const e of events(a)) {
        if (e.type !== 'need-chunk') continue;
        asked++;
        a.respondNoData(e.reqId);
      }
      while (a.pollTransmit(1));
      return asked;
    };
    const before = heap();
    for (let reqId = 1; reqId <= 100_000; reqId++) {
      a.handleFrame(want(reqId), 1);
      serve();
    }
    expect(a.state).toBe('established');
    expect(heap() - before).toBeLessThan(5 << 20);
    // A recent id is still deduplicated; a forgotten one is served again (a retransmission whose answer was lost).
    a.handleFrame(want(100_000), 1);
    expect(serve()).toBe(0);
    a.handleFrame(want(1, 1), 1);
    expect(serve()).toBe(1);
    expect(a.stats.score).toBe(0);
  });

  it('a draining responder refuses new requests, and the requester hears "refused", not "does not hold it"', () => {
    const { a, b } = pair();
    const move = () => {
      for (let i = 0; i < 4; i++) {
        for (let f = b.pollTransmit(1); f; f = b.pollTransmit(1)) a.handleFrame(f, 1);
        for (let f = a.pollTransmit(1); f; f = a.pollTransmit(1)) b.handleFrame(f, 1);
      }
    };
    const first = buildManifest(randomBytes(3000, 1));
    const second = buildManifest(randomBytes(3000, 2));
    b.want(first.id);
    move();
    expect(events(a).map((e) => e.type)).toEqual(['need-page']); // left unanswered: A drains until it is
    a.close('leaving', { drainUntil: 10_000 });
    b.want(second.id);
    move();
    expect(events(b)).toContainEqual({ type: 'blob-failed', blobId: second.id, reason: 'refused' });
    expect(b.stats.score + a.stats.score).toBe(0);
  });

  it('a corrupted frame is dropped as link noise, without a score', () => {
    const { b } = pair();
    const f = wrapFrame(encodeMessage({ type: 'ping', nonce: 1 }));
    f[2] = f[2]! ^ 1;
    b.handleFrame(f, 1);
    expect(b.stats).toMatchObject({ corruptFrames: 1, score: 0 });
  });

  it('PING is answered with PONG and the current CREDIT; keepalive and idle timers fire', () => {
    const { a, b } = pair({ keepalive: 1000, idleTimeout: 5000 });
    a.handleFrame(wrapFrame(encodeMessage({ type: 'ping', nonce: 7 })), 10);
    const out = [a.pollTransmit(10), a.pollTransmit(10)].map((f) => decodeMessage(unwrapFrame(f!, 1 << 20)));
    expect(out[0]).toEqual({ type: 'pong', nonce: 7 });
    expect(out[1]).toMatchObject({ type: 'credit', maxReqId: 64 });
    expect(b.pollTimeout()).toBe(1000);
    b.handleTimeout(1000);
    expect(decodeMessage(unwrapFrame(b.pollTransmit(1000)!, 1 << 20))).toMatchObject({ type: 'ping' });
    b.handleTimeout(5000);
    expect(b.state).toBe('closed');
    expect(events(b).at(-1)).toMatchObject({ type: 'closed', error: { code: 3 } });
  });

  it('close sends CANCEL for in-flight requests and BYE; the peer closes on BYE', () => {
    const { a, b } = pair();
    b.want(new Uint8Array(32).fill(1));
    b.pollTransmit(0); // WANT page 0
    b.close('done');
    const sent = [];
    for (let f = b.pollTransmit(0); f; f = b.pollTransmit(0))
      sent.push(decodeMessage(unwrapFrame(f, 1 << 20)));
    expect(sent).toEqual([
      { type: 'cancel', reqId: 1 },
      { type: 'bye', reason: 0 },
    ]);
    expect(() => b.want(new Uint8Array(32))).toThrow(/closed/);
    a.handleFrame(wrapFrame(encodeMessage({ type: 'bye', reason: 0 })), 1);
    expect(a.state).toBe('closed');
  });

  it('retransmits a WANT with a higher attempt after its RTO and backs off', () => {
    const { b } = pair({ initialRto: 100, minRto: 10, maxRto: 1000 });
    b.want(new Uint8Array(32).fill(2));
    const first = decodeMessage(unwrapFrame(b.pollTransmit(0)!, 1 << 20));
    expect(first).toMatchObject({ type: 'want', reqId: 1, attempt: 0 });
    expect(b.pollTimeout()).toBe(100);
    b.handleTimeout(100);
    expect(decodeMessage(unwrapFrame(b.pollTransmit(100)!, 1 << 20))).toMatchObject({ reqId: 1, attempt: 1 });
    expect(b.pollTimeout()).toBe(300);
    expect(b.stats.retransmissions).toBe(1);
  });

  it('rejects caller mistakes with TypeError/RangeError', () => {
    expect(() => new SyncSession({ maxFrame: 10 })).toThrow(RangeError);
    expect(() => new SyncSession({ creditWindow: 1024 })).toThrow(/creditWindow/);
    expect(() => new SyncSession(5 as never)).toThrow(TypeError);
    const s = new SyncSession();
    expect(() => s.handleFrame('x' as never, 0)).toThrow(TypeError);
    expect(() => s.pollTransmit(Number.NaN)).toThrow(/now expected a finite number/);
    expect(() => s.want(new Uint8Array(31))).toThrow(RangeError);
    expect(() => s.want(new Uint8Array(32), { have: [1] })).toThrow(/needs resume.header/);
    expect(s.respondChunk(99, new Uint8Array(1))).toBe(false);
  });
});
