import {
  blobId as computeBlobId,
  type ManifestHeader,
  type ManifestPage,
  ManifestVerifier,
} from '@syncwire/blob';
import { assertBytes, assertInteger, describe, equals, isCodecError, toHex } from '@syncwire/bytes';
import { emptyRoot } from '@syncwire/merkle';
import { crc32c } from '@syncwire/tlv';
import { ErrorCode, SyncProtocolError } from './errors.ts';
import type { SessionEvent } from './events.ts';
import { applyResume, BlobFetch, BlobState, type Item } from './fetch.ts';
import { splitFrame, wrapFrame } from './frame.ts';
import {
  Capability,
  type ChunkMessage,
  decodeMessage,
  encodeChunkFrame,
  encodeMessage,
  type HaveMessage,
  type HelloMessage,
  type ManifestMessage,
  type Message,
  MessageType,
  NoDataReason,
  type RepairMessage,
  type WantMessage,
} from './messages.ts';
import { type ResolvedOptions, resolveOptions, type SessionOptions } from './options.ts';
import { ReconEngine } from './recon.ts';
import { negotiatedRepair, type RepairParams } from './repair.ts';
import { RepairDecoder } from './repair-decoder.ts';
import { RepairEncoder } from './repair-encoder.ts';
import { RttEstimator } from './rtt.ts';
import { TokenBucket } from './token-bucket.ts';

/**
 * Driver-supplied lookup for deduplication: the bytes of a chunk with this SHA-256 `digest` and `length` that
 * the driver already holds (under any blob), or undefined. Whatever it returns is verified before use.
 */
export type LocalChunkLookup = (digest: Uint8Array, length: number) => Uint8Array | undefined;

/** Session state: waiting for the peer's HELLO, exchanging data, or over. */
export type SessionState = 'hello' | 'established' | 'closed';

/** Misbehaviour points per offence (the session ends at `maxScore`, default 100). */
export const PENALTY = {
  oversizeFrame: 50,
  malformed: 25,
  badHeader: 25,
  badPage: 25,
  badChunk: 25,
  unsolicited: 10,
  overCredit: 10,
} as const;

/** Counters for tests, benchmarks and invariants. */
export interface SessionStats {
  /** Frames handed out by `pollTransmit`. */
  framesSent: number;
  /** Largest frame handed out, in bytes. */
  largestFrameSent: number;
  /** Chunk bytes sent as a responder (what byte credit limits). */
  chunkBytesSent: number;
  /** Absolute chunk-byte credit the peer granted us. */
  peerCredit: number;
  /** Chunk bytes received that verified and were stored. */
  chunkBytesStored: number;
  /** Chunk bytes received in CHUNK frames, verified or not. */
  chunkBytesReceived: number;
  /** Frames dropped for a bad CRC or framing (link corruption). */
  corruptFrames: number;
  /** Responses ignored as late, duplicated or not matching their request (replays). */
  ignoredResponses: number;
  /** WANT retransmissions after a timeout. */
  retransmissions: number;
  /** The peer's misbehaviour score. */
  score: number;
  /** REPAIR symbols received, and chunks rebuilt from them (verified). */
  repairSymbols: number;
  repairedChunks: number;
}

interface Request {
  reqId: number;
  fetch: BlobFetch;
  item: Item;
  attempt: number;
  sentAt: number;
  deadline: number;
  /** Chunk bytes the response carries (from the verified record); 0 for pages. */
  expected: number;
  /** Set while the current attempt asks for REPAIR symbols: what the responder will send. */
  repair: RepairParams | null;
  decoder: RepairDecoder | null;
}

interface Pending {
  attempt: number;
}

interface Outgoing {
  reqId: number;
  cost: number;
  frame: Uint8Array;
}

/** Attempts of a swarm-managed request before it is handed back as `item-failed` (timeout). */
const MANAGED_ATTEMPTS = 3;

/** Why a swarm-managed item failed at one peer. */
export type ItemFailure = 'no-data' | 'refused' | 'timeout' | 'bad-data' | 'too-large';

/** Frame overhead allowance for a CHUNK or MANIFEST around its data. */
const OVERHEAD = 128;

/**
 * A sans-IO sync session with one peer (RFC 0008 §Session): pure logic, no sockets, timers or promises. The
 * driver feeds it frames and the time, pulls frames to send, and answers its storage events.
 *
 * - `handleFrame(frame, now)` — one frame as received (`uvarint length ‖ payload ‖ CRC-32C`).
 * - `pollTransmit(now)` — the next frame to send, or undefined (call until undefined).
 * - `pollTimeout()` / `handleTimeout(now)` — the next deadline, and what to do when it passes.
 * - `pollEvent()` — the next {@link SessionEvent}.
 * - commands: `want(blobId, resume?)`, `cancel(blobId)`, `close(reason?)`; responder answers:
 *   `respondPage`, `respondChunk`, `respondNoData`.
 *
 * Every MANIFEST page is verified against the BlobId and every CHUNK against its leaf record before a
 * `store-*` event hands it out: unverified bytes never reach the driver's storage.
 *
 * @example
 * ```ts
 * const a = new SyncSession(), b = new SyncSession();
 * b.want(manifest.id);
 * // loop: move a.pollTransmit(now) frames to b.handleFrame(frame, now) and back; answer need-* events on a
 * // from its store; persist store-* events on b; stop at b's blob-complete event.
 * ```
 */
export class SyncSession {
  readonly #o: ResolvedOptions;
  #state: SessionState = 'hello';
  readonly #events: SessionEvent[] = [];
  readonly #control: Uint8Array[] = [];
  readonly #data: Outgoing[] = [];
  /** Frames in `#data` per request id: the answers we hold behind the peer's byte credit. */
  readonly #queued = new Map<number, number>();
  readonly #stats: SessionStats = {
    framesSent: 0,
    largestFrameSent: 0,
    chunkBytesSent: 0,
    peerCredit: 0,
    chunkBytesStored: 0,
    chunkBytesReceived: 0,
    corruptFrames: 0,
    ignoredResponses: 0,
    retransmissions: 0,
    score: 0,
    repairSymbols: 0,
    repairedChunks: 0,
  };
  /** A rebuilt chunk failed its hash: this peer gets plain CHUNK requests from now on (notes-sync §5.5). */
  #repairBroken = false;
  readonly #rtt: RttEstimator;
  readonly #emptyId: Uint8Array;
  // Timing.
  #start = -1;
  #lastRecv = 0;
  #lastSent = 0;
  #helloRto: number;
  #helloDeadline = -1;
  // Negotiated.
  #version = 0;
  #sendLimit = 1024;
  #pageBits: number;
  #inflightLimit = 1;
  // Requester.
  readonly #fetches = new Map<string, BlobFetch>();
  readonly #outstanding = new Map<number, Request>();
  #nextReqId = 1;
  #peerMaxReqId = 0;
  #accounted = 0;
  #creditSent: number;
  // Responder.
  readonly #answered = new Map<number, number>();
  readonly #pending = new Map<number, Pending>();
  #distinctWants = 0;
  #reqGrantSent: number;
  #pingNonce = 0;
  #capabilities = 0;
  readonly #recon: ReconEngine;
  readonly #wantBucket: TokenBucket | null;
  /** HAVE announcements, repeated when the peer (re)sends HELLO. */
  readonly #haves = new Map<string, HaveMessage>();
  /** When request credit has run out with nothing in flight: time to PING the peer for a fresh CREDIT. */
  #probeAt = -1;

  /** @throws TypeError/RangeError on bad options (see {@link SessionOptions}). */
  constructor(options?: SessionOptions) {
    this.#o = resolveOptions('SyncSession', options);
    this.#rtt = new RttEstimator(this.#o.initialRto, this.#o.minRto, this.#o.maxRto);
    this.#helloRto = this.#o.initialRto;
    this.#pageBits = this.#o.pageBits;
    this.#creditSent = this.#o.creditWindow;
    this.#reqGrantSent = this.#o.maxInflight;
    const hasher = this.#o.hasher;
    this.#emptyId = computeBlobId(
      { chunkCount: 0, byteLength: 0, root: emptyRoot(hasher ? { hasher } : undefined) },
      hasher ? { hasher } : undefined,
    );
    this.#recon = new ReconEngine({
      send: (m) => this.#send(m),
      done: (r) => this.#events.push({ type: 'reconciled', ...r }),
      failed: (scope, reason) => this.#events.push({ type: 'reconcile-failed', scope, reason }),
      misbehave: (what) => this.#misbehave(what, PENALTY.malformed),
    });
    this.#wantBucket =
      this.#o.wantRate > 0 ? new TokenBucket(this.#o.wantRate / 1000, 2 * this.#o.maxInflight) : null;
    this.#control.push(this.#frame(this.#hello(false)));
  }

  /** This session's nonce (sent in HELLO). */
  get nonce(): Uint8Array {
    return this.#o.nonce.slice();
  }

  /** Capability bits both sides have (0 before HELLO). */
  get capabilities(): number {
    return this.#capabilities;
  }

  /** `hello`, `established` or `closed`. */
  get state(): SessionState {
    return this.#state;
  }

  /** Negotiated protocol version (0 before HELLO). */
  get version(): number {
    return this.#version;
  }

  /** Largest frame either side may send, once established (min of both HELLOs). */
  get maxFrame(): number {
    return this.#sendLimit;
  }

  /**
   * Largest frame this session accepts (its `maxFrame` option), known from the start: a transport that splits
   * a byte stream into frames can refuse a larger declared length before buffering it.
   */
  get receiveLimit(): number {
    return this.#o.maxFrame;
  }

  /** A snapshot of the counters. */
  get stats(): Readonly<SessionStats> {
    return { ...this.#stats };
  }

  /** Requests in flight to the peer. */
  get inflight(): number {
    return this.#outstanding.size;
  }

  /** Current retransmission timeout (ms). */
  get rto(): number {
    return this.#rtt.rto;
  }

  // ---------------------------------------------------------------------------------------------- commands

  /**
   * Fetches the blob `blobId` from the peer. `resume` hands back what earlier sessions stored (the verified
   * header and pages from `store-page` events, the chunk indices from `store-chunk` events), so only missing
   * pages and chunks are requested. No-op when the blob is already being fetched.
   * @throws TypeError/RangeError for bad arguments or resume data that does not verify; Error once closed.
   */
  want(
    blobId: Uint8Array,
    resume?: {
      header?: ManifestHeader;
      pages?: Iterable<ManifestPage>;
      have?: Iterable<number>;
      local?: LocalChunkLookup;
    },
  ): void {
    const where = 'SyncSession.want';
    const local = resume?.local;
    if (local !== undefined && typeof local !== 'function') {
      throw new TypeError(`${where}: resume.local expected a function, got ${typeof local}`);
    }
    assertBytes(where, 'blobId', blobId);
    if (blobId.length !== 32)
      throw new RangeError(`${where}: blobId expected 32 bytes, got ${blobId.length}`);
    if (this.#state === 'closed' || this.draining) throw new Error(`${where}: the session is closed`);
    const key = toHex(blobId);
    const existing = this.#fetches.get(key);
    if (existing !== undefined && !existing.done) return;
    const f = new BlobFetch(new BlobState(blobId.slice(), this.#pageBits, resume?.have ?? []), false);
    f.local = local;
    if (equals(blobId, this.#emptyId)) {
      f.done = true;
      this.#fetches.set(key, f);
      this.#events.push({ type: 'blob-complete', blobId: f.id });
      return;
    }
    applyResume(where, f.state, resume, this.#verifierOptions());
    this.#fetches.set(key, f);
    if (f.verifier === null) f.push({ kind: 'page', index: 0 });
    else {
      f.pagesQueued = true;
      f.queueMissingPages();
      for (let p = 0; p < f.verifier.pageCount; p++) if (f.verifier.hasPage(p)) this.#queueChunks(f, p);
    }
    this.#checkDone(f);
  }

  /**
   * Declares the ids (32 bytes each) of a reconciliation scope, e.g. the blobs of one collection. Both sides
   * name scopes by number; the peer may `reconcile` any scope declared here. Replaces an earlier declaration.
   * @throws TypeError/RangeError for a bad scope number or ids that are not 32 bytes each.
   */
  setScope(scope: number, ids: Iterable<Uint8Array> | Uint8Array): void {
    const where = 'SyncSession.setScope';
    assertInteger(where, 'scope', scope, 0, Number.MAX_SAFE_INTEGER);
    let packed: Uint8Array;
    if (ids instanceof Uint8Array) {
      if (ids.length % 32 !== 0) throw new RangeError(`${where}: ids expected n·32 bytes, got ${ids.length}`);
      packed = ids.slice();
    } else {
      const list = [...ids];
      packed = new Uint8Array(32 * list.length);
      list.forEach((id, i) => {
        assertBytes(where, `ids[${i}]`, id);
        if (id.length !== 32) throw new RangeError(`${where}: ids[${i}] expected 32 bytes, got ${id.length}`);
        packed.set(id, 32 * i);
      });
    }
    this.#recon.setScope(scope, packed);
  }

  /**
   * Reconciles scope `scope` with the peer (RIBLT, falling back to Negentropy): ends with a `reconciled`
   * event listing the ids only we have and only the peer has, or `reconcile-failed`. Waits for HELLO if needed.
   * @throws RangeError for a bad scope number; Error once closed.
   */
  reconcile(scope: number, now: number): void {
    assertInteger('SyncSession.reconcile', 'scope', scope, 0, Number.MAX_SAFE_INTEGER);
    this.#time('reconcile', now);
    if (this.#state === 'closed' || this.draining) {
      throw new Error('SyncSession.reconcile: the session is closed');
    }
    if (this.#state === 'established') this.#recon.start(scope, now, this.#rtt.rto);
    else this.#reconQueued.add(scope);
  }

  /**
   * Tells the peer (HAVE) what we hold of a blob, verified: `'all'`, or sorted disjoint chunk ranges
   * [start, end). Repeated when the peer restarts its HELLO. A later call for the same blob replaces it.
   * @throws TypeError/RangeError for bad arguments (more than 4096 ranges, unsorted or touching ranges).
   */
  announce(blobId: Uint8Array, have: 'all' | ReadonlyArray<readonly [number, number]>): void {
    assertBytes('SyncSession.announce', 'blobId', blobId);
    if (blobId.length !== 32) throw new RangeError(`SyncSession.announce: blobId expected 32 bytes`);
    const msg: HaveMessage = {
      type: 'have',
      blobId: blobId.slice(),
      all: have === 'all',
      ranges: have === 'all' ? [] : have.map(([a, b]) => [a, b] as [number, number]),
    };
    this.#frame(msg); // validates the ranges now, not at send time
    this.#haves.set(toHex(blobId), msg);
    if (this.#state === 'established' && this.#capabilities & Capability.HAVE) this.#send(msg);
  }

  /** While draining: when to give up waiting (else -1), and the reason `closed` will carry. */
  #drainUntil = -1;
  #drainReason = '';

  /** True while `close(reason, { drainUntil })` waits for requests in flight to finish. */
  get draining(): boolean {
    return this.#drainUntil >= 0 && this.#state !== 'closed';
  }

  /** Scopes `reconcile` was asked for before HELLO completed. */
  readonly #reconQueued = new Set<number>();

  /**
   * @internal For {@link Swarm}: fetch one page or chunk of a blob whose verified state (`state`) is shared
   * with other sessions. Verified data comes out as `store-page` / `store-chunk` events as usual; a failure
   * comes out as `item-failed` and nothing is retried at another peer by the session itself.
   */
  assign(state: BlobState, item: Item): void {
    if (this.#state === 'closed' || this.draining) return;
    const key = toHex(state.id);
    let f = this.#fetches.get(key);
    if (f === undefined || (f.done && !f.managed)) {
      f = new BlobFetch(state, true);
      this.#fetches.set(key, f);
    } else if (!f.managed || f.state !== state) {
      throw new Error('SyncSession.assign: this blob is fetched by want() in this session');
    }
    if (item.kind === 'chunk' && (state.verifier === null || state.have.has(item.index))) return;
    f.push(item);
  }

  /** @internal For {@link Swarm}: stop fetching one item (dropped from the queue, or CANCELled in flight). */
  unassign(blobId: Uint8Array, item: Item): void {
    const f = this.#fetches.get(toHex(blobId));
    if (f === undefined || !f.managed) return;
    if (f.unqueue(item)) return;
    for (const r of this.#outstanding.values()) {
      if (r.fetch !== f || r.item.kind !== item.kind || r.item.index !== item.index) continue;
      this.#abandon(r);
      return;
    }
  }

  /** @internal Items of `blobId` queued or in flight in this session (for {@link Swarm}). */
  assigned(blobId: Uint8Array): number {
    return this.#fetches.get(toHex(blobId))?.busy.size ?? 0;
  }

  /** Stops fetching `blobId`: queued items are dropped and in-flight requests cancelled. */
  cancel(blobId: Uint8Array): void {
    assertBytes('SyncSession.cancel', 'blobId', blobId);
    const f = this.#fetches.get(toHex(blobId));
    if (f === undefined) return;
    this.#fetches.delete(toHex(blobId));
    for (const r of [...this.#outstanding.values()]) {
      if (r.fetch !== f) continue;
      this.#abandon(r);
    }
  }

  /**
   * Ends the session: cancels in-flight requests, sends BYE, emits `closed`. Idempotent. With
   * `drainUntil` (a time on the `now` clock) an established session first *drains*: it asks for nothing new
   * (queued items are dropped, new WANTs from the peer get NO_DATA refused), lets requests in flight either way
   * finish, and only then sends BYE — or closes as above at `drainUntil`.
   */
  close(reason = 'closed', options?: { drainUntil?: number }): void {
    if (this.#state === 'closed') return;
    const until = options?.drainUntil;
    if (until !== undefined && this.#state === 'established') {
      if (typeof until !== 'number' || Number.isNaN(until)) {
        throw new TypeError(`SyncSession.close: drainUntil expected a number, got ${describe(until)}`);
      }
      this.#drainUntil = until;
      this.#drainReason = reason;
      for (const f of this.#fetches.values()) while (f.queue.length > 0) f.release(f.queue.shift()!);
      this.#reconQueued.clear();
      return;
    }
    if (this.#state === 'established') {
      for (const r of this.#outstanding.values()) this.#send({ type: 'cancel', reqId: r.reqId });
      this.#send({ type: 'bye', reason: 0 });
    }
    this.#finish(reason);
  }

  // ------------------------------------------------------------------------------------ responder answers

  /**
   * Answers a `need-page` event. Returns false when the request is no longer wanted (cancelled or answered).
   * @throws RangeError when the page is not the one asked for.
   */
  respondPage(reqId: number, header: ManifestHeader, page: ManifestPage): boolean {
    const p = this.#pending.get(reqId);
    if (p === undefined || this.#state === 'closed') return false;
    this.#pending.delete(reqId);
    const blob = this.#answeredWant.get(reqId);
    if (
      blob === undefined ||
      blob.kind !== 'page' ||
      page.pageIndex !== blob.index ||
      page.pageBits !== blob.pageBits
    ) {
      throw new RangeError(`SyncSession.respondPage: request ${reqId} asked for another page`);
    }
    const msg: ManifestMessage = {
      type: 'manifest',
      reqId,
      attempt: p.attempt,
      blobId: blob.blobId,
      header,
      page,
    };
    const frame = this.#frame(msg);
    if (frame.length > this.#sendLimit) this.#noData(reqId, p.attempt, NoDataReason.LIMIT);
    else this.#control.push(frame);
    return true;
  }

  /**
   * Answers a `need-chunk` event with the chunk's bytes. Returns false when no longer wanted. `crc32c` is the
   * chunk's CRC-32C if the driver stores it (`crc32c` of `@syncwire/tlv`): the frame trailer is then derived
   * without reading the bytes again (a serving peer computes it once per stored chunk, not once per send).
   */
  respondChunk(reqId: number, bytes: Uint8Array, options?: { crc32c?: number }): boolean {
    assertBytes('SyncSession.respondChunk', 'bytes', bytes);
    const dataCrc = options?.crc32c;
    if (dataCrc !== undefined)
      assertInteger('SyncSession.respondChunk', 'options.crc32c', dataCrc, 0, 0xffffffff);
    const p = this.#pending.get(reqId);
    if (p === undefined || this.#state === 'closed') return false;
    this.#pending.delete(reqId);
    const want = this.#answeredWant.get(reqId)!;
    if (want.repair > 0 && this.#queueRepair(reqId, p.attempt, want, bytes)) return true;
    const msg: ChunkMessage = {
      type: 'chunk',
      reqId,
      attempt: p.attempt,
      blobId: want.blobId,
      index: want.index,
      data: bytes,
    };
    const frame = encodeChunkFrame(msg, dataCrc);
    if (frame.length > this.#sendLimit) this.#noData(reqId, p.attempt, NoDataReason.LIMIT);
    else this.#queueData(reqId, bytes.length, frame);
    return true;
  }

  /**
   * Queues a chunk as REPAIR symbols: the k source symbols and this attempt's repair symbols (fresh RaptorQ
   * ids per attempt; RS has only k + repair). False when REPAIR is not possible here (then a CHUNK is sent).
   */
  #queueRepair(
    reqId: number,
    attempt: number,
    want: { blobId: Uint8Array; index: number; repair: number },
    bytes: Uint8Array,
  ): boolean {
    const p = negotiatedRepair(
      bytes.length,
      want.repair,
      (this.#capabilities & Capability.REPAIR_RS) !== 0,
      (this.#capabilities & Capability.REPAIR_RAPTORQ) !== 0,
    );
    if (p === null || p.symbolSize + OVERHEAD > this.#sendLimit) return false;
    const enc = new RepairEncoder(bytes, p);
    const ids: number[] = [];
    for (let id = 0; id < p.k; id++) ids.push(id);
    const first = p.codec === 0 ? p.k : Math.min(p.k + attempt * p.repair, enc.idLimit - p.repair);
    for (let id = first; id < first + p.repair; id++) ids.push(id);
    for (const symbolId of ids) {
      const frame = this.#frame({
        type: 'repair',
        reqId,
        attempt,
        blobId: want.blobId,
        index: want.index,
        codec: p.codec,
        symbolSize: p.symbolSize,
        repair: p.repair,
        symbolId,
        symbol: enc.symbol(symbolId),
      });
      this.#queueData(reqId, p.symbolSize, frame);
    }
    return true;
  }

  /** Answers a `need-*` event with NO_DATA (default reason: not found). Returns false when no longer wanted. */
  respondNoData(reqId: number, reason: number = NoDataReason.NOT_FOUND): boolean {
    assertInteger('SyncSession.respondNoData', 'reason', reason, 0, 0xffff);
    const p = this.#pending.get(reqId);
    if (p === undefined || this.#state === 'closed') return false;
    this.#pending.delete(reqId);
    this.#noData(reqId, p.attempt, reason);
    return true;
  }

  // ------------------------------------------------------------------------------------------------ I/O

  /** Next event for the driver, or undefined. */
  pollEvent(): SessionEvent | undefined {
    return this.#events.shift();
  }

  /**
   * Takes one received frame. Bad CRC or framing drops the frame (link noise); an oversize frame, a frame that
   * does not decode, an unsolicited response or a response that fails verification raises the peer's score.
   * @throws TypeError unless `frame` is bytes and `now` a finite number.
   */
  handleFrame(frame: Uint8Array, now: number): void {
    assertBytes('SyncSession.handleFrame', 'frame', frame);
    this.#time('handleFrame', now);
    if (this.#state === 'closed') return;
    this.#lastRecv = now;
    if (frame.length > this.#o.maxFrame) {
      this.#misbehave(`oversize frame (${frame.length} bytes)`, PENALTY.oversizeFrame);
      return;
    }
    let split: ReturnType<typeof splitFrame>;
    try {
      split = splitFrame(frame, this.#o.maxFrame);
    } catch (e) {
      if (!isCodecError(e)) throw e;
      this.#stats.corruptFrames++;
      return;
    }
    const payload = split.payload;
    // A CHUNK that answers a live request and matches its leaf record is right whatever the CRC says (SHA-256
    // is the stronger check): skip the CRC pass over the data. Anything else is CRC-checked first, so link
    // noise is never mistaken for misbehaviour.
    if (
      payload[0] === MessageType.CHUNK &&
      this.#state === 'established' &&
      this.#chunkFastPath(payload, now)
    ) {
      return;
    }
    if (split.crc !== crc32c(payload)) {
      this.#stats.corruptFrames++;
      return;
    }
    let msg: Message;
    try {
      msg = decodeMessage(payload);
    } catch (e) {
      if (!isCodecError(e)) throw e;
      this.#misbehave(`malformed message: ${e.message}`, PENALTY.malformed);
      return;
    }
    this.#dispatch(msg, now);
  }

  /** Next frame to send, or undefined when there is nothing (or the peer's credit is used up). */
  pollTransmit(now: number): Uint8Array | undefined {
    this.#time('pollTransmit', now);
    if (this.#state === 'hello' && this.#helloDeadline < 0) this.#helloDeadline = now + this.#helloRto;
    if (this.#state === 'established' && !this.draining) this.#issue(now);
    if (
      this.draining &&
      this.#outstanding.size === 0 &&
      this.#pending.size === 0 &&
      this.#data.length === 0 &&
      this.#control.length === 0
    ) {
      this.#send({ type: 'bye', reason: 0 });
      this.#finish(this.#drainReason);
    }
    let frame = this.#control.shift();
    if (frame === undefined && this.#state !== 'closed') {
      const head = this.#data[0];
      if (head !== undefined && this.#stats.chunkBytesSent + head.cost <= this.#stats.peerCredit) {
        this.#data.shift();
        const left = this.#queued.get(head.reqId)! - 1;
        if (left === 0) this.#queued.delete(head.reqId);
        else this.#queued.set(head.reqId, left);
        this.#stats.chunkBytesSent += head.cost;
        frame = head.frame;
      }
    }
    if (frame === undefined) return undefined;
    this.#lastSent = now;
    this.#stats.framesSent++;
    if (frame.length > this.#stats.largestFrameSent) this.#stats.largestFrameSent = frame.length;
    return frame;
  }

  /** The next time (same clock as `now`) at which `handleTimeout` has work, or undefined. */
  pollTimeout(): number | undefined {
    if (this.#state === 'closed' || this.#start < 0) return undefined;
    let t = Number.POSITIVE_INFINITY;
    if (this.#state === 'hello' && this.#helloDeadline >= 0) t = this.#helloDeadline;
    for (const r of this.#outstanding.values()) if (r.deadline < t) t = r.deadline;
    if (this.#probeAt >= 0 && this.#probeAt < t) t = this.#probeAt;
    if (this.draining && this.#drainUntil < t) t = this.#drainUntil;
    if (this.#state === 'established') t = Math.min(t, this.#recon.nextDeadline());
    if (this.#o.idleTimeout > 0) t = Math.min(t, this.#lastRecv + this.#o.idleTimeout);
    if (this.#o.keepalive > 0 && this.#state === 'established')
      t = Math.min(t, this.#lastSent + this.#o.keepalive);
    return t === Number.POSITIVE_INFINITY ? undefined : t;
  }

  /** Runs every timer due at `now`: HELLO and WANT retransmission, keepalive PING, idle close. */
  handleTimeout(now: number): void {
    this.#time('handleTimeout', now);
    if (this.#state === 'closed') return;
    if (this.draining && now >= this.#drainUntil) {
      this.#drainUntil = -1;
      this.close(this.#drainReason);
      return;
    }
    if (this.#o.idleTimeout > 0 && now - this.#lastRecv >= this.#o.idleTimeout) {
      this.#fail(ErrorCode.TIMEOUT, `nothing received for ${now - this.#lastRecv} ms`);
      return;
    }
    if (this.#state === 'hello') {
      if (this.#helloDeadline >= 0 && now >= this.#helloDeadline) {
        this.#control.push(this.#frame(this.#hello(false)));
        this.#helloRto = Math.min(this.#o.maxRto, this.#helloRto * 2);
        this.#helloDeadline = now + this.#helloRto;
      }
      return;
    }
    this.#recon.handleTimeout(now, this.#rtt.rto);
    let resent = false;
    for (const r of [...this.#outstanding.values()]) {
      if (r.deadline > now) continue;
      if (r.fetch.managed && r.attempt + 1 >= MANAGED_ATTEMPTS) {
        // Let the swarm try another peer rather than wait on this one.
        this.#abandon(r);
        this.#itemFailed(r, 'timeout');
        continue;
      }
      // The previous attempt's response is written off: account its bytes so byte credit never leaks.
      this.#accounted += r.expected;
      r.attempt++;
      this.#planRepair(r);
      r.sentAt = now;
      r.deadline = now + Math.min(this.#o.maxRto, this.#rtt.rto * 2 ** Math.min(r.attempt, 16));
      this.#sendWant(r);
      this.#stats.retransmissions++;
      resent = true;
    }
    // A lost CREDIT would stall the peer forever: repeat it with every retransmission round.
    if (resent) this.#sendCredit(true);
    if (this.#probeAt >= 0 && now >= this.#probeAt) {
      // Out of request credit with nothing in flight: the CREDIT that raised it may be lost. A PING makes the
      // peer answer with PONG and its current CREDIT.
      this.#send({ type: 'ping', nonce: this.#pingNonce++ });
      for (const id of this.#abandoned.slice(-2 * this.#inflightLimit))
        this.#send({ type: 'cancel', reqId: id });
      this.#probeAt = now + Math.min(this.#o.maxRto, 2 * this.#rtt.rto);
    }
    if (this.#o.keepalive > 0 && now - this.#lastSent >= this.#o.keepalive) {
      this.#send({ type: 'ping', nonce: this.#pingNonce++ });
    }
  }

  // ------------------------------------------------------------------------------------------ internals

  /** WANT details kept per answered request id (responder side), for building the answer. */
  readonly #answeredWant = new Map<
    number,
    { blobId: Uint8Array; kind: 'page' | 'chunk'; index: number; pageBits: number; repair: number }
  >();

  #time(where: string, now: number): void {
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new TypeError(`SyncSession.${where}: now expected a finite number, got ${String(now)}`);
    }
    if (this.#start < 0) {
      this.#start = now;
      this.#lastRecv = now;
      this.#lastSent = now;
    }
  }

  #verifierOptions(pageBits = this.#pageBits): {
    pageBits: number;
    hasher?: NonNullable<ResolvedOptions['hasher']>;
  } {
    return this.#o.hasher ? { pageBits, hasher: this.#o.hasher } : { pageBits };
  }

  #hello(ack: boolean): HelloMessage {
    return {
      type: 'hello',
      versionMin: this.#o.versionMin,
      versionMax: this.#o.versionMax,
      maxFrame: this.#o.maxFrame,
      maxInflight: this.#o.maxInflight,
      initialCredit: this.#o.creditWindow,
      ack,
      capabilities: this.#o.capabilities,
      peerId: this.#o.peerId,
      nonce: this.#o.nonce,
    };
  }

  #frame(m: Message): Uint8Array {
    return wrapFrame(encodeMessage(m));
  }

  #send(m: Message): void {
    this.#control.push(this.#frame(m));
  }

  #queueData(reqId: number, cost: number, frame: Uint8Array): void {
    this.#data.push({ reqId, cost, frame });
    this.#queued.set(reqId, (this.#queued.get(reqId) ?? 0) + 1);
  }

  #noData(reqId: number, attempt: number, reason: number): void {
    this.#send({ type: 'no-data', reqId, attempt, reason });
  }

  #misbehave(what: string, points: number): void {
    this.#stats.score += points;
    this.#events.push({ type: 'misbehaviour', what, score: this.#stats.score });
    if (this.#stats.score >= this.#o.maxScore) {
      this.#fail(ErrorCode.MISBEHAVIOUR, `peer misbehaved (score ${this.#stats.score}): ${what}`);
    }
  }

  #fail(code: number, message: string, remoteCode?: number): void {
    if (this.#state === 'closed') return;
    const error = new SyncProtocolError(code, message, remoteCode);
    this.#control.length = 0;
    if (code !== ErrorCode.REMOTE) this.#send({ type: 'error', code, text: message.slice(0, 200) });
    this.#finish(message, error);
  }

  #finish(reason: string, error?: SyncProtocolError): void {
    this.#state = 'closed';
    this.#data.length = 0;
    this.#queued.clear();
    this.#pending.clear();
    this.#outstanding.clear();
    this.#events.push(error ? { type: 'closed', reason, error } : { type: 'closed', reason });
  }

  #dispatch(m: Message, now: number): void {
    if (m.type === 'hello') {
      this.#onHello(m, now);
      return;
    }
    if (m.type === 'error') {
      this.#fail(ErrorCode.REMOTE, `peer sent ERROR ${m.code}: ${m.text}`, m.code);
      return;
    }
    if (m.type === 'bye') {
      this.#finish('peer said BYE');
      return;
    }
    // Anything else before HELLO is a frame that overtook the peer's HELLO: the peer will repeat it.
    if (this.#state !== 'established') return;
    switch (m.type) {
      case 'want':
        this.#onWant(m, now);
        return;
      case 'manifest':
        this.#onManifest(m, now);
        return;
      case 'chunk':
        this.#onChunk(m, now);
        return;
      case 'credit':
        if (m.maxBytes > this.#stats.peerCredit) this.#stats.peerCredit = m.maxBytes;
        if (m.maxReqId > this.#peerMaxReqId) {
          this.#peerMaxReqId = m.maxReqId;
          this.#probeAt = -1;
        }
        return;
      case 'cancel':
        this.#onCancel(m.reqId);
        return;
      case 'no-data':
        this.#onNoData(m.reqId, m.reason);
        return;
      case 'ping':
        this.#send({ type: 'pong', nonce: m.nonce });
        this.#sendCredit(true);
        return;
      case 'pong':
        return;
      case 'recon':
        this.#recon.onMessage(m, now, this.#rtt.rto);
        return;
      case 'have':
        if (!m.all && m.ranges.length === 0) return;
        this.#events.push({ type: 'peer-have', blobId: m.blobId.slice(), all: m.all, ranges: m.ranges });
        return;
      case 'repair':
        this.#onRepair(m, now);
        return;
    }
  }

  #onHello(h: HelloMessage, now: number): void {
    const version = Math.min(this.#o.versionMax, h.versionMax);
    if (version < Math.max(this.#o.versionMin, h.versionMin)) {
      this.#fail(
        ErrorCode.VERSION,
        `no common version: ours ${this.#o.versionMin}..${this.#o.versionMax}, peer ${h.versionMin}..${h.versionMax}`,
      );
      return;
    }
    if (this.#state === 'hello') {
      if (h.maxFrame < 1024 || h.maxInflight < 1) {
        this.#fail(
          ErrorCode.VERSION,
          `peer limits too small: maxFrame ${h.maxFrame}, maxInflight ${h.maxInflight}`,
        );
        return;
      }
      this.#state = 'established';
      this.#version = version;
      this.#sendLimit = Math.min(this.#o.maxFrame, h.maxFrame);
      this.#inflightLimit = Math.min(this.#o.maxInflight, h.maxInflight);
      this.#peerMaxReqId = Math.max(this.#peerMaxReqId, h.maxInflight);
      this.#stats.peerCredit = Math.max(this.#stats.peerCredit, h.initialCredit);
      this.#capabilities = this.#o.capabilities & h.capabilities;
      this.#recon.establish({
        capabilities: this.#capabilities,
        localNonce: this.#o.nonce,
        peerNonce: h.nonce.slice(),
        sendLimit: Math.min(this.#o.maxFrame, h.maxFrame),
        symbols: this.#o.reconSymbols,
        maxRounds: this.#o.maxReconRounds,
      });
      // The largest page that fits the frames both sides accept.
      while (this.#pageBits > 0 && BlobFetch.pageBound(this.#pageBits) > this.#sendLimit) this.#pageBits--;
      this.#events.push({
        type: 'established',
        version,
        maxFrame: this.#sendLimit,
        maxInflight: this.#inflightLimit,
        capabilities: this.#capabilities,
        peerId: h.peerId.slice(),
      });
      for (const scope of this.#reconQueued) this.#recon.start(scope, now, this.#rtt.rto);
      this.#reconQueued.clear();
    }
    // A HELLO without ack means the peer has not seen ours yet; an acked one is never answered (no echo loop).
    if (!h.ack) {
      this.#send(this.#hello(true));
      // The peer (re)started: it may have missed our announcements.
      if (this.#capabilities & Capability.HAVE) for (const m of this.#haves.values()) this.#send(m);
    }
  }

  #onWant(w: WantMessage, now: number): void {
    const grant = this.#distinctWants + this.#o.maxInflight;
    if (w.reqId < 1 || w.reqId > Math.max(grant, this.#reqGrantSent)) {
      this.#misbehave(`WANT ${w.reqId} above the granted request id ${grant}`, PENALTY.overCredit);
      return;
    }
    const last = this.#answered.get(w.reqId);
    if (last === undefined && this.draining) {
      this.#noData(w.reqId, w.attempt, NoDataReason.REFUSED); // leaving: finish what was asked, nothing new
      return;
    }
    if (last === undefined) {
      this.#distinctWants++;
      this.#answeredWant.set(w.reqId, {
        blobId: w.blobId.slice(),
        kind: w.kind,
        index: w.index,
        pageBits: w.pageBits,
        repair: 0,
      });
    } else if (w.attempt <= last) return; // a duplicated or overtaken copy of a WANT already handled
    this.#answered.set(w.reqId, w.attempt);
    if (last === undefined) this.#forgetOldIds();
    const pending = this.#pending.get(w.reqId);
    if (pending !== undefined) {
      pending.attempt = w.attempt; // the driver has not answered yet: its answer will carry the new attempt
      return;
    }
    // An answer still queued behind credit will reach the requester: do not produce a second one.
    if (this.#queued.has(w.reqId)) return;
    const known = this.#answeredWant.get(w.reqId)!;
    if (known.kind !== w.kind || known.index !== w.index || !equals(known.blobId, w.blobId)) {
      this.#misbehave(`WANT ${w.reqId} reuses a request id`, PENALTY.malformed);
      return;
    }
    if (this.#wantBucket !== null && !this.#wantBucket.take(now)) {
      // Over the request rate: say so (the requester retries at its RTO) rather than drop silently.
      this.#noData(w.reqId, w.attempt, NoDataReason.LIMIT);
      return;
    }
    if (this.#pending.size + this.#queued.size >= this.#o.maxInflight) {
      // Request credit counts ids seen, so answers held behind byte credit do not return it: without this cap a
      // requester that grants no bytes (or re-asks old ids) could make us hold every chunk it asks for. An honest
      // requester has at most maxInflight requests out, each with at most one answer held here; it can meet the
      // cap only while an answer for a request it abandoned (its CANCEL lost) is still held. So the WANT is
      // dropped, not refused: its next attempt, at the requester's RTO, is answered once something has been sent
      // (NO_DATA would fail a page request).
      return;
    }
    this.#pending.set(w.reqId, { attempt: w.attempt });
    // Each attempt says whether it wants REPAIR symbols (5..400 per 100 source symbols) or a plain CHUNK.
    known.repair = w.repair !== undefined && w.repair >= 5 && w.repair <= 400 ? w.repair : 0;
    if (w.kind === 'page') {
      if (w.pageBits > 16) {
        this.#pending.delete(w.reqId);
        this.#noData(w.reqId, w.attempt, NoDataReason.LIMIT);
        return;
      }
      this.#events.push({
        type: 'need-page',
        reqId: w.reqId,
        blobId: known.blobId,
        pageIndex: w.index,
        pageBits: w.pageBits,
      });
    } else this.#events.push({ type: 'need-chunk', reqId: w.reqId, blobId: known.blobId, index: w.index });
    this.#sendReqGrant();
  }

  #onCancel(reqId: number): void {
    this.#pending.delete(reqId);
    if (this.#queued.delete(reqId)) {
      for (let i = this.#data.length - 1; i >= 0; i--)
        if (this.#data[i]!.reqId === reqId) this.#data.splice(i, 1);
    }
    const grant = Math.max(this.#distinctWants + this.#o.maxInflight, this.#reqGrantSent);
    if (!this.#answered.has(reqId) && reqId >= 1 && reqId <= grant) {
      // An id we never saw a WANT for (all lost): count it as seen so its request credit comes back, and ignore
      // any WANT for it that still arrives.
      this.#answered.set(reqId, Number.MAX_SAFE_INTEGER);
      this.#forgetOldIds();
      this.#distinctWants++;
      this.#sendReqGrant();
    }
  }

  /**
   * Keeps the per-id memory of a long session bounded: only the most recent 16·maxInflight request ids (and every
   * id with an answer still held) are remembered. A WANT for a forgotten id is served as a new one: from an honest
   * requester it is a retransmission whose answer was lost (serve it), and a duplicate's second answer is ignored
   * by the requester as late. Either costs no more than a WANT with a new id, which the request credit allows.
   */
  #forgetOldIds(): void {
    let excess = this.#answered.size - 16 * this.#o.maxInflight;
    if (excess <= 0) return;
    for (const id of this.#answered.keys()) {
      if (this.#pending.has(id) || this.#queued.has(id)) continue;
      this.#answered.delete(id);
      this.#answeredWant.delete(id);
      if (--excess === 0) return;
    }
  }

  #sendReqGrant(): void {
    const grant = this.#distinctWants + this.#o.maxInflight;
    if (grant - this.#reqGrantSent >= Math.max(1, this.#o.maxInflight >> 2)) this.#sendCredit(true);
  }

  /** Sends CREDIT when either grant moved enough, or always when `force`. */
  #sendCredit(force: boolean): void {
    const bytes = this.#accounted + this.#o.creditWindow;
    const reqs = this.#distinctWants + this.#o.maxInflight;
    if (!force && bytes - this.#creditSent < this.#o.creditWindow >> 2) return;
    this.#creditSent = Math.max(this.#creditSent, bytes);
    this.#reqGrantSent = Math.max(this.#reqGrantSent, reqs);
    this.#send({ type: 'credit', maxBytes: this.#creditSent, maxReqId: this.#reqGrantSent });
  }

  /** The request a response answers, or undefined (after scoring an unsolicited one). */
  #match(reqId: number, blobId: Uint8Array, kind: 'page' | 'chunk', index: number): Request | undefined {
    const r = this.#outstanding.get(reqId);
    if (r === undefined) {
      if (reqId < 1 || reqId >= this.#nextReqId) {
        this.#misbehave(`unsolicited response ${reqId}`, PENALTY.unsolicited);
      } else this.#stats.ignoredResponses++; // late, duplicated or cancelled: harmless
      return undefined;
    }
    if (r.item.kind !== kind || r.item.index !== index || !equals(r.fetch.id, blobId)) {
      // Does not answer the live request with this id: a replay from an older session, never stored.
      this.#stats.ignoredResponses++;
      return undefined;
    }
    return r;
  }

  #onManifest(m: ManifestMessage, now: number): void {
    const r = this.#match(m.reqId, m.blobId, 'page', m.page.pageIndex);
    if (r === undefined) return;
    const f = r.fetch;
    if (m.page.pageBits !== this.#pageBitsOf(f)) {
      this.#stats.ignoredResponses++;
      return;
    }
    if (f.verifier === null) {
      const v = ManifestVerifier.create(f.id, m.header, this.#verifierOptions(this.#pageBitsOf(f)));
      if (v === null) {
        this.#misbehave('MANIFEST header does not match the BlobId', PENALTY.badHeader);
        this.#badAnswer(r);
        return;
      }
      f.verifier = v;
    }
    if (!f.verifier.addPage(m.page)) {
      this.#misbehave(`MANIFEST page ${m.page.pageIndex} fails its proof`, PENALTY.badPage);
      this.#badAnswer(r);
      return;
    }
    this.#complete(r, now);
    const page: ManifestPage = { ...m.page, records: m.page.records.slice(), proof: m.page.proof.slice() };
    this.#events.push({ type: 'store-page', blobId: f.id, header: f.verifier.header, page });
    if (f.managed) return; // the swarm decides what comes next
    if (f.verifier.status === 'inconsistent') {
      this.#failFetch(f, 'inconsistent');
      return;
    }
    // Once per fetch, after the first page that verifies (a forged first answer may have set the header).
    if (!f.pagesQueued) {
      f.pagesQueued = true;
      f.queueMissingPages();
    }
    this.#queueChunks(f, m.page.pageIndex);
    this.#checkDone(f);
  }

  /** Accepts a CHUNK that verifies against a live request, without side effects otherwise. */
  #chunkFastPath(payload: Uint8Array, now: number): boolean {
    let m: Message;
    try {
      m = decodeMessage(payload);
    } catch (e) {
      if (!isCodecError(e)) throw e;
      return false;
    }
    if (m.type !== 'chunk') return false;
    const r = this.#outstanding.get(m.reqId);
    if (
      r === undefined ||
      r.item.kind !== 'chunk' ||
      r.item.index !== m.index ||
      !equals(r.fetch.id, m.blobId)
    ) {
      return false;
    }
    if (!r.fetch.verifier!.verifyChunk(m.index, m.data)) return false;
    this.#stats.chunkBytesReceived += m.data.length;
    this.#accept(r, m.index, m.data, now);
    return true;
  }

  #onChunk(m: ChunkMessage, now: number): void {
    const r = this.#match(m.reqId, m.blobId, 'chunk', m.index);
    this.#stats.chunkBytesReceived += m.data.length;
    if (r === undefined) return;
    const f = r.fetch;
    if (!f.verifier!.verifyChunk(m.index, m.data)) {
      this.#misbehave(`CHUNK ${m.index} does not match its leaf record`, PENALTY.badChunk);
      this.#badAnswer(r);
      return;
    }
    this.#accept(r, m.index, m.data, now);
  }

  /** A verified chunk answers request `r`: retire it and hand the bytes out once. */
  #accept(r: Request, index: number, bytes: Uint8Array, now: number): void {
    const f = r.fetch;
    this.#complete(r, now);
    if (f.have.has(index)) return;
    f.have.add(index);
    this.#stats.chunkBytesStored += bytes.length;
    // Zero-copy: a view of the frame the driver passed in (documented on the event).
    this.#events.push({ type: 'store-chunk', blobId: f.id, index, bytes });
    this.#checkDone(f);
  }

  #onNoData(reqId: number, reason: number): void {
    const r = this.#outstanding.get(reqId);
    if (r === undefined) {
      if (reqId < 1 || reqId >= this.#nextReqId)
        this.#misbehave(`unsolicited NO_DATA ${reqId}`, PENALTY.unsolicited);
      return;
    }
    if (
      reason === NoDataReason.LIMIT &&
      r.item.kind === 'chunk' &&
      r.expected + OVERHEAD <= this.#sendLimit
    ) {
      // Rate-limited, not refused: the request stays live and is asked again at its (backed-off) RTO.
      return;
    }
    this.#retire(r);
    // REFUSED: the peer is leaving (draining) or declines, which says nothing about whether it holds the item.
    const why = reason === NoDataReason.REFUSED ? 'refused' : 'no-data';
    if (r.fetch.managed) this.#itemFailed(r, why);
    else this.#failFetch(r.fetch, why);
  }

  /**
   * A managed request's answer failed verification: give the item back to the swarm (another peer may serve
   * it). An unmanaged request stays live and is retried at its RTO.
   */
  #badAnswer(r: Request): void {
    if (!r.fetch.managed || this.#state === 'closed') return;
    this.#abandon(r);
    this.#itemFailed(r, 'bad-data');
  }

  #itemFailed(r: Request | { fetch: BlobFetch; item: Item }, reason: ItemFailure): void {
    this.#events.push({
      type: 'item-failed',
      blobId: r.fetch.id,
      kind: r.item.kind,
      index: r.item.index,
      reason,
    });
  }

  #pageBitsOf(f: BlobFetch): number {
    return f.managed ? f.state.pageBits : this.#pageBits;
  }

  #failFetch(f: BlobFetch, reason: 'no-data' | 'refused' | 'inconsistent' | 'too-large'): void {
    if (f.done) return;
    f.done = true;
    f.queue.length = 0;
    for (const r of [...this.#outstanding.values()]) {
      if (r.fetch !== f) continue;
      this.#abandon(r);
    }
    this.#events.push({ type: 'blob-failed', blobId: f.id, reason });
  }

  /**
   * Gives up on a request without its answer: retire it and CANCEL it. The peer grants request ids by the
   * ids it has *seen*, so an id whose WANTs were all lost would hold one unit of request credit forever; a
   * CANCEL counts as seeing it, and CANCELs of recent abandoned ids are repeated with every credit probe.
   */
  #abandon(r: Request): void {
    this.#retire(r);
    if (this.#state !== 'established') return;
    this.#send({ type: 'cancel', reqId: r.reqId });
    this.#abandoned.push(r.reqId);
    const keep = 2 * this.#inflightLimit;
    if (this.#abandoned.length > 2 * keep) this.#abandoned.splice(0, this.#abandoned.length - keep);
  }

  /** Ids given up on without an answer, newest last (bounded): re-CANCELled when request credit runs out. */
  readonly #abandoned: number[] = [];

  /** Takes a request out of flight, accounting its current attempt's bytes. */
  #retire(r: Request): void {
    this.#outstanding.delete(r.reqId);
    r.fetch.release(r.item);
    this.#accounted += r.expected;
    this.#sendCredit(false);
  }

  #complete(r: Request, now: number): void {
    if (r.attempt === 0) this.#rtt.sample(now - r.sentAt); // Karn: only unambiguous samples
    this.#retire(r);
  }

  /**
   * Queues the missing chunks of verified page `p`, first offering each to the driver's `local` lookup
   * (deduplication: a chunk with the same digest held under any blob). Local bytes are verified like network
   * bytes before the `store-chunk` event hands them out.
   */
  #queueChunks(f: BlobFetch, p: number): void {
    const v = f.verifier!;
    const r = v.pageRange(p);
    if (r === null) return;
    if (f.local !== undefined) {
      for (let i = r.start; i < r.end; i++) {
        if (f.have.has(i)) continue;
        const rec = v.record(i)!;
        const bytes = f.local(rec.subarray(4, 36), v.chunkLength(i)!);
        if (bytes instanceof Uint8Array && v.verifyChunk(i, bytes)) {
          f.have.add(i);
          this.#events.push({ type: 'store-chunk', blobId: f.id, index: i, bytes });
        }
      }
    }
    f.queueChunksOf(p);
  }

  #checkDone(f: BlobFetch): void {
    if (!f.managed && !f.done && f.complete) {
      f.done = true;
      this.#events.push({ type: 'blob-complete', blobId: f.id });
    }
  }

  /** Sends new WANTs while request slots and the peer's request credit allow. */
  #issue(now: number): void {
    for (const f of this.#fetches.values()) {
      while (
        f.queue.length > 0 &&
        this.#outstanding.size < this.#inflightLimit &&
        this.#nextReqId <= this.#peerMaxReqId
      ) {
        const item = f.queue.shift()!;
        const expected = f.expected(item);
        const bound = item.kind === 'page' ? BlobFetch.pageBound(this.#pageBitsOf(f)) : expected + OVERHEAD;
        if (bound > this.#sendLimit) {
          f.release(item);
          if (f.managed) {
            this.#itemFailed({ fetch: f, item }, 'too-large');
            continue;
          }
          this.#failFetch(f, 'too-large');
          break;
        }
        const r: Request = {
          reqId: this.#nextReqId++,
          fetch: f,
          item,
          attempt: 0,
          sentAt: now,
          deadline: now + this.#rtt.rto,
          expected,
          repair: null,
          decoder: null,
        };
        this.#planRepair(r);
        this.#outstanding.set(r.reqId, r);
        this.#sendWant(r);
      }
      if (
        f.queue.length > 0 &&
        this.#outstanding.size === 0 &&
        this.#nextReqId > this.#peerMaxReqId &&
        this.#probeAt < 0
      ) {
        this.#probeAt = now + this.#rtt.rto;
      }
    }
  }

  #sendWant(r: Request): void {
    const w: WantMessage = {
      type: 'want',
      reqId: r.reqId,
      blobId: r.fetch.id,
      kind: r.item.kind,
      index: r.item.index,
      pageBits: r.item.kind === 'page' ? this.#pageBitsOf(r.fetch) : 0,
      attempt: r.attempt,
    };
    if (r.repair !== null) w.repair = this.#repairPercent();
    this.#send(w);
  }

  #repairPercent(): number {
    return Math.round(this.#o.repairOverhead * 100);
  }

  /**
   * Decides whether this attempt of a chunk request asks for REPAIR symbols (`always`, or `auto` once the
   * first attempt went unanswered) and sets the bytes it will cost: every symbol counts against byte credit.
   */
  #planRepair(r: Request): void {
    const mode = this.#o.repair;
    const chunkLength = r.fetch.expected(r.item);
    r.repair = null;
    if (
      r.item.kind === 'chunk' &&
      !this.#repairBroken &&
      (mode === 'always' || (mode === 'auto' && r.attempt > 0))
    ) {
      r.repair = negotiatedRepair(
        chunkLength,
        this.#repairPercent(),
        (this.#capabilities & Capability.REPAIR_RS) !== 0,
        (this.#capabilities & Capability.REPAIR_RAPTORQ) !== 0,
      );
    }
    const p = r.repair;
    r.expected = p === null ? chunkLength : Math.max(chunkLength, (p.k + p.repair) * p.symbolSize);
  }

  #onRepair(m: RepairMessage, now: number): void {
    const r = this.#match(m.reqId, m.blobId, 'chunk', m.index);
    this.#stats.chunkBytesReceived += m.symbol.length;
    if (r === undefined) return;
    const p = r.repair;
    if (p === null || m.codec !== p.codec || m.symbolSize !== p.symbolSize || m.repair !== p.repair) {
      this.#misbehave(
        `REPAIR for request ${m.reqId} that did not ask for these symbols`,
        PENALTY.unsolicited,
      );
      return;
    }
    this.#stats.repairSymbols++;
    const decoder = r.decoder ?? new RepairDecoder(p);
    r.decoder = decoder;
    const res = decoder.add(m.symbolId, m.symbol);
    if (res === 'exhausted') r.decoder = null; // start over with the next attempt's symbols
    if (res !== 'decoded') return;
    const bytes = decoder.result()!;
    r.decoder = null;
    if (!r.fetch.verifier!.verifyChunk(m.index, bytes)) {
      this.#repairBroken = true;
      this.#misbehave(
        `REPAIR symbols of chunk ${m.index} rebuild bytes that fail the leaf record`,
        PENALTY.badChunk,
      );
      this.#badAnswer(r);
      return;
    }
    this.#stats.repairedChunks++;
    this.#accept(r, m.index, bytes, now);
  }
}
