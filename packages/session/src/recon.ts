import { isCodecError, toHex } from '@syncwire/bytes';
import {
  decodeRibltMessage,
  deriveRibltKey,
  encodeDone,
  encodeGiveUp,
  encodeWant,
  Negentropy,
  NegentropyStorageVector,
  RibltDecoder,
  RibltResponder,
  RibltSketch,
  type SymbolBatch,
} from '@syncwire/reconcile';
import { Capability, ReconAlgo, type ReconMessage } from './messages.ts';

/** What a finished reconciliation found, from this side's point of view. */
export interface ReconResult {
  scope: number;
  /** Ids only this side has. */
  localOnly: Uint8Array[];
  /** Ids only the peer has (candidates to `want`). */
  remoteOnly: Uint8Array[];
  /** The algorithm that produced the answer. */
  algo: 'riblt' | 'negentropy';
  /** RECON messages this side sent for it (retransmissions included). */
  messages: number;
}

/** @internal How the session plugs the engine in. */
export interface ReconHost {
  send(m: ReconMessage): void;
  done(r: ReconResult): void;
  failed(scope: number, reason: string): void;
  misbehave(what: string): void;
}

/** @internal Negotiated parameters, known once HELLO is done. */
export interface ReconParams {
  capabilities: number;
  localNonce: Uint8Array;
  peerNonce: Uint8Array;
  /** Largest frame we may send. */
  sendLimit: number;
  /** RIBLT symbol cap (sketch capacity). */
  symbols: number;
  /** Negentropy rounds per scope and session, either side. */
  maxRounds: number;
}

/** Bytes of a RECON frame around its payload (type, TLV headers, CRC), rounded up. */
const RECON_OVERHEAD = 64;
/** Encoded bytes per RIBLT symbol: 32-byte id, 8-byte hash, count varint (≤ 5). */
const SYMBOL_BYTES = 45;
/** First RIBLT window (symbols); it doubles while the peer's symbols do not decode yet. */
const FIRST_WINDOW = 128;
/** Retransmissions of one step before a reconciliation is given up. */
const MAX_ATTEMPTS = 8;

/** One scope's ids (sorted, unique, packed) and the structures built from them for this session. */
class ScopeSet {
  readonly ids: Uint8Array;
  #sketch: RibltSketch | null = null;
  #storage: NegentropyStorageVector | null = null;
  // Responder side.
  riblt: RibltResponder | null = null;
  ribltRound = -1;
  neg: Negentropy | null = null;
  negRound = -1;
  negReply: Uint8Array | null = null;

  constructor(ids: Uint8Array) {
    this.ids = ids;
  }

  sketch(key: Uint8Array, capacity: number): RibltSketch {
    if (this.#sketch === null) {
      this.#sketch = new RibltSketch(key, { capacity });
      this.#sketch.addAll(this.ids);
    }
    return this.#sketch;
  }

  storage(): NegentropyStorageVector {
    if (this.#storage === null) {
      const s = new NegentropyStorageVector();
      s.insertMany(new Array<number>(this.ids.length / 32).fill(0), this.ids);
      s.seal();
      this.#storage = s;
    }
    return this.#storage;
  }
}

/** A reconciliation this side started. */
interface Initiation {
  scope: number;
  algo: number;
  round: number;
  payload: Uint8Array;
  deadline: number;
  attempts: number;
  messages: number;
  requester: RibltDecoder | null;
  windowEnd: number;
  gapRound: number;
  neg: Negentropy | null;
  have: Map<string, Uint8Array>;
  need: Map<string, Uint8Array>;
}

/**
 * @internal Scope reconciliation inside a session (RFC 0008 §RECON): RIBLT first (one round trip, windows
 * that double until the difference decodes), Negentropy when RIBLT is not shared or does not decode. Each step
 * is retransmitted at the RTO and answered at most once per round, so loss, duplication and reordering cost
 * time, never correctness. Work a peer can cause is bounded by the symbol cap and `maxRounds`.
 */
export class ReconEngine {
  readonly #host: ReconHost;
  readonly #scopes = new Map<number, ScopeSet>();
  readonly #active = new Map<number, Initiation>();
  #params: ReconParams | null = null;
  #key: Uint8Array | null = null;
  #round = 0;

  constructor(host: ReconHost) {
    this.#host = host;
  }

  /** Sets (or replaces) the ids of a scope. `ids` is n·32 bytes, any order, duplicates allowed. */
  setScope(scope: number, ids: Uint8Array): void {
    const sorted = sortUnique(ids);
    this.#scopes.set(scope, new ScopeSet(sorted));
  }

  /** Called once HELLO is done. */
  establish(p: ReconParams): void {
    this.#params = p;
    this.#key = deriveRibltKey(p.localNonce, p.peerNonce);
  }

  /** Starts reconciling `scope` (restarts it if running). */
  start(scope: number, now: number, rto: number): void {
    const p = this.#params!;
    const set = this.#scopes.get(scope);
    this.#active.delete(scope);
    if (set === undefined) {
      this.#host.failed(scope, 'unknown scope');
      return;
    }
    const init: Initiation = {
      scope,
      algo: ReconAlgo.RIBLT,
      round: 0,
      payload: new Uint8Array(0),
      deadline: 0,
      attempts: 0,
      messages: 0,
      requester: null,
      windowEnd: 0,
      gapRound: -1,
      neg: null,
      have: new Map(),
      need: new Map(),
    };
    this.#active.set(scope, init);
    if (p.capabilities & Capability.RECON_RIBLT) {
      init.requester = new RibltDecoder(set.sketch(this.#key!, p.symbols), { maxSymbols: p.symbols });
      init.windowEnd = Math.min(FIRST_WINDOW, p.symbols);
      this.#step(init, encodeWant(0, init.windowEnd), now, rto);
    } else this.#startNegentropy(init, set, now, rto);
  }

  /** Handles a RECON message from the peer. */
  onMessage(m: ReconMessage, now: number, rto: number): void {
    if (this.#params === null) return;
    if (m.reply) this.#onReply(m, now, rto);
    else this.#onRequest(m);
  }

  /** Earliest retransmission deadline. */
  nextDeadline(): number {
    let t = Number.POSITIVE_INFINITY;
    for (const a of this.#active.values()) if (a.deadline < t) t = a.deadline;
    return t;
  }

  /** Retransmits every step whose deadline passed; gives up after {@link MAX_ATTEMPTS}. */
  handleTimeout(now: number, rto: number): void {
    for (const a of [...this.#active.values()]) {
      if (a.deadline > now) continue;
      if (++a.attempts > MAX_ATTEMPTS) {
        this.#active.delete(a.scope);
        this.#host.failed(a.scope, 'no answer');
        continue;
      }
      if (a.requester !== null) {
        // Ask again from the first symbol not yet received (a lost batch or a lost WANT).
        const from = a.requester.received;
        this.#step(a, encodeWant(from, Math.max(1, a.windowEnd - from)), now, rto * 2 ** a.attempts);
      } else {
        a.messages++;
        a.deadline = now + rto * 2 ** a.attempts;
        this.#send(a.scope, a.algo, a.round, false, a.payload);
      }
    }
  }

  // ------------------------------------------------------------------------------------------ initiator

  #step(a: Initiation, payload: Uint8Array, now: number, rto: number): void {
    a.round = ++this.#round;
    a.payload = payload;
    a.deadline = now + rto;
    a.messages++;
    this.#send(a.scope, a.algo, a.round, false, payload);
  }

  #startNegentropy(a: Initiation, set: ScopeSet, now: number, rto: number): void {
    const p = this.#params!;
    const limit = this.#negLimit();
    if (!(p.capabilities & Capability.RECON_NEGENTROPY) || limit === 0) {
      this.#active.delete(a.scope);
      this.#host.failed(a.scope, limit === 0 ? 'frames too small for negentropy' : 'no common algorithm');
      return;
    }
    a.algo = ReconAlgo.NEGENTROPY;
    a.requester = null;
    a.attempts = 0;
    a.neg = new Negentropy(set.storage(), { frameSizeLimit: limit, maxRounds: p.maxRounds });
    this.#step(a, a.neg.initiate(), now, rto);
  }

  #onReply(m: ReconMessage, now: number, rto: number): void {
    const a = this.#active.get(m.scope);
    if (a === undefined) return; // late or duplicated: that reconciliation is over
    if (m.algo === ReconAlgo.DECLINE) {
      if (m.round !== a.round) return;
      this.#active.delete(m.scope);
      this.#host.failed(m.scope, 'declined by the peer');
      return;
    }
    if (m.algo !== a.algo) return; // from a phase already left (RIBLT after the fallback)
    if (a.requester !== null) this.#onSymbols(a, m.payload, now, rto);
    else if (m.round === a.round) this.#onNegentropy(a, m.payload, now, rto);
  }

  #onSymbols(a: Initiation, payload: Uint8Array, now: number, rto: number): void {
    const p = this.#params!;
    const req = a.requester!;
    let batch: SymbolBatch;
    try {
      const msg = decodeRibltMessage(payload, { maxSymbols: p.symbols });
      if (msg.type !== 'symbols') throw new Error(`RIBLT ${msg.type} from the responder`);
      batch = msg;
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      this.#host.misbehave(`RECON: bad RIBLT message (${e.message})`);
      return;
    }
    if (batch.start > req.received) {
      // A batch went missing: ask again from the gap, once per round.
      if (a.gapRound !== a.round) {
        this.#step(a, encodeWant(req.received, Math.max(1, a.windowEnd - req.received)), now, rto);
        a.gapRound = a.round;
      }
      return;
    }
    try {
      req.addBatch(batch);
    } catch (e) {
      if (!isCodecError(e)) throw e;
      this.#host.misbehave(`RECON: bad RIBLT symbols (${e.message})`);
      return;
    }
    a.deadline = now + rto; // progress: the stream is alive
    if (req.state === 'decoded') {
      this.#send(a.scope, a.algo, ++this.#round, false, encodeDone());
      const r = req.result()!;
      this.#active.delete(a.scope);
      this.#host.done({
        scope: a.scope,
        localOnly: r.localOnly,
        remoteOnly: r.remoteOnly,
        algo: 'riblt',
        messages: a.messages + 1,
      });
      return;
    }
    if (req.state === 'failed') {
      this.#send(a.scope, a.algo, ++this.#round, false, encodeGiveUp());
      this.#startNegentropy(a, this.#scopes.get(a.scope)!, now, rto);
      return;
    }
    if (req.received >= a.windowEnd) {
      const window = Math.min(2 * (a.windowEnd || FIRST_WINDOW), p.symbols - req.received);
      a.windowEnd = req.received + window;
      a.attempts = 0;
      this.#step(a, encodeWant(req.received, window), now, rto);
    }
  }

  #onNegentropy(a: Initiation, payload: Uint8Array, now: number, rto: number): void {
    let step: ReturnType<Negentropy['reconcile']>;
    try {
      step = a.neg!.reconcile(payload);
    } catch (e) {
      if (!isCodecError(e)) throw e;
      this.#active.delete(a.scope);
      if (e.code === 'limit_exceeded') this.#host.failed(a.scope, e.message);
      else this.#host.misbehave(`RECON: bad negentropy message (${e.message})`);
      return;
    }
    for (const id of step.have) a.have.set(toHex(id), id.slice());
    for (const id of step.need) a.need.set(toHex(id), id.slice());
    if (step.output === null) {
      this.#active.delete(a.scope);
      this.#host.done({
        scope: a.scope,
        localOnly: [...a.have.values()],
        remoteOnly: [...a.need.values()],
        algo: 'negentropy',
        messages: a.messages,
      });
      return;
    }
    a.attempts = 0;
    this.#step(a, step.output, now, rto);
  }

  // ------------------------------------------------------------------------------------------ responder

  #onRequest(m: ReconMessage): void {
    const p = this.#params!;
    const set = this.#scopes.get(m.scope);
    if (set === undefined) {
      this.#send(m.scope, ReconAlgo.DECLINE, m.round, true, new Uint8Array(0));
      return;
    }
    if (m.algo === ReconAlgo.RIBLT && p.capabilities & Capability.RECON_RIBLT) {
      if (m.round <= set.ribltRound) return; // duplicated or overtaken
      set.ribltRound = m.round;
      if (set.riblt === null || set.riblt.finished) {
        const batchSize = Math.max(
          1,
          Math.min(64, Math.floor((p.sendLimit - RECON_OVERHEAD) / SYMBOL_BYTES)),
        );
        set.riblt = new RibltResponder(set.sketch(this.#key!, p.symbols), {
          batchSize,
          maxSymbols: p.symbols,
        });
      }
      try {
        set.riblt.receive(m.payload);
      } catch (e) {
        if (!isCodecError(e)) throw e;
        this.#host.misbehave(`RECON: bad RIBLT request (${e.message})`);
        return;
      }
      for (let b = set.riblt.poll(); b !== undefined; b = set.riblt.poll()) {
        this.#send(m.scope, ReconAlgo.RIBLT, m.round, true, b);
      }
      return;
    }
    if (m.algo === ReconAlgo.NEGENTROPY && p.capabilities & Capability.RECON_NEGENTROPY) {
      if (m.round < set.negRound) return;
      if (m.round === set.negRound) {
        if (set.negReply !== null) this.#send(m.scope, m.algo, m.round, true, set.negReply);
        return;
      }
      const limit = this.#negLimit();
      if (limit === 0) {
        this.#send(m.scope, ReconAlgo.DECLINE, m.round, true, new Uint8Array(0));
        return;
      }
      set.neg ??= new Negentropy(set.storage(), { frameSizeLimit: limit, maxRounds: p.maxRounds });
      set.negRound = m.round;
      try {
        set.negReply = set.neg.reconcile(m.payload).output!;
      } catch (e) {
        if (!isCodecError(e)) throw e;
        set.negReply = null;
        if (e.code === 'limit_exceeded')
          this.#send(m.scope, ReconAlgo.DECLINE, m.round, true, new Uint8Array(0));
        else this.#host.misbehave(`RECON: bad negentropy message (${e.message})`);
        return;
      }
      this.#send(m.scope, m.algo, m.round, true, set.negReply);
      return;
    }
    this.#send(m.scope, ReconAlgo.DECLINE, m.round, true, new Uint8Array(0));
  }

  /** Negentropy frame limit that keeps RECON frames within the send limit, or 0 when below its 4096 floor. */
  #negLimit(): number {
    const limit = this.#params!.sendLimit - RECON_OVERHEAD;
    return limit >= 4096 ? Math.min(limit, 1 << 20) : 0;
  }

  #send(scope: number, algo: number, round: number, reply: boolean, payload: Uint8Array): void {
    this.#host.send({ type: 'recon', scope, algo, round, reply, payload });
  }
}

/** Sorted, duplicate-free copy of n·32 packed ids. */
function sortUnique(ids: Uint8Array): Uint8Array {
  const n = ids.length / 32;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((x, y) => {
    for (let k = 0; k < 32; k++) {
      const d = ids[32 * x + k]! - ids[32 * y + k]!;
      if (d !== 0) return d;
    }
    return 0;
  });
  const out = new Uint8Array(ids.length);
  let m = 0;
  for (const i of order) {
    const id = ids.subarray(32 * i, 32 * i + 32);
    if (m > 0 && equal32(out, 32 * (m - 1), id)) continue;
    out.set(id, 32 * m++);
  }
  return out.slice(0, 32 * m);
}

function equal32(a: Uint8Array, o: number, b: Uint8Array): boolean {
  for (let k = 0; k < 32; k++) if (a[o + k] !== b[k]) return false;
  return true;
}
