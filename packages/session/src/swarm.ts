import { blobId as computeBlobId, type ManifestVerifier } from '@syncwire/blob';
import { assertBytes, assertInteger, describe, equals, fromHex, toHex } from '@syncwire/bytes';
import { emptyRoot, type Hasher } from '@syncwire/merkle';
import type { SessionEvent } from './events.ts';
import { applyResume, BlobState, type Item, type ResumeData } from './fetch.ts';
import type { SyncSession } from './session.ts';

/** Options of a {@link Swarm}. */
export interface SwarmOptions {
  /** Items (pages or chunks) assigned to one peer at a time, queued or in flight (1..4096). Default 32. */
  pipeline?: number;
  /** Peers one item may be assigned to at once in the endgame (1 = no endgame, ..8). Default 2. */
  endgame?: number;
  /** Manifest page size exponent (0..16); every session must be able to carry such pages. Default 10. */
  pageBits?: number;
  /** SHA-256 implementation for verification (as the sessions'). Default `sha256Hasher`. */
  hasher?: Hasher;
}

/** What a {@link Swarm} tells its driver besides the sessions' own events. */
export type SwarmEvent =
  /** An event of the session with peer `peer` (answer `need-*` on that session; persist `store-*`). */
  | { type: 'session'; peer: string; event: SessionEvent }
  /** Every chunk of a wanted blob is verified and was handed out. */
  | { type: 'blob-complete'; blobId: Uint8Array }
  /**
   * No connected peer could provide some item of the blob (every one said NO_DATA, timed out or sent bad
   * data). The blob is parked; it resumes on a new peer, a HAVE, or {@link Swarm.retry}.
   */
  | { type: 'blob-stalled'; blobId: Uint8Array; kind: 'page' | 'chunk'; index: number };

/** One wanted blob across peers. */
class SwarmBlob {
  readonly state: BlobState;
  readonly key: string;
  /** Items not yet assigned to any peer, in order. */
  readonly pending = new Map<string, Item>();
  /** Item key → peers working on it. */
  readonly assigned = new Map<string, Set<string>>();
  /** Item key → peers that failed it since the last HAVE or retry. */
  readonly failed = new Map<string, Set<string>>();
  done = false;
  stalled = false;

  constructor(state: BlobState) {
    this.state = state;
    this.key = toHex(state.id);
  }
}

interface PeerInfo {
  session: SyncSession;
  /** Blob key → 'all' or the chunk ranges the peer announced. */
  readonly has: Map<string, 'all' | Array<[number, number]>>;
  load: number;
}

const itemKey = (i: Item) => `${i.kind === 'page' ? 'p' : 'c'}${i.index}`;

/**
 * A sans-IO multi-peer fetch scheduler above {@link SyncSession}s (RFC 0008 §Swarm). It splits the pages and
 * chunks a wanted blob still lacks across the peers that announced them (HAVE; peers that announced nothing
 * are tried when no announced holder is left), keeps at most `pipeline` items per peer, moves an item to
 * another peer on NO_DATA, timeout or a verification failure, and in the endgame asks a second peer for the
 * last items and CANCELs the loser. Verified state is shared, so a chunk verified through any peer counts
 * once. The driver moves frames for each session as before, but reads events from {@link pollEvent}.
 *
 * @example
 * ```ts
 * const swarm = new Swarm();
 * swarm.addPeer('a', sessionA); swarm.addPeer('b', sessionB);
 * swarm.want(blobId);
 * for (let e; (e = swarm.pollEvent()); ) if (e.type === 'blob-complete') console.log('done');
 * ```
 */
export class Swarm {
  readonly #pipeline: number;
  readonly #endgame: number;
  readonly #pageBits: number;
  readonly #peers = new Map<string, PeerInfo>();
  readonly #blobs = new Map<string, SwarmBlob>();
  readonly #out: SwarmEvent[] = [];
  /** Blobs that stored a page or chunk in the current batch of session events. */
  readonly #stored = new Set<SwarmBlob>();
  /** Blob keys we hold completely: announced to every peer. */
  readonly #complete = new Set<string>();
  readonly #hasher: Hasher | undefined;
  /** The empty blob's id: complete without asking anyone (it has no page to fetch). */
  readonly #emptyId: Uint8Array;
  /** Something changed since the last scheduling pass. */
  #dirty = true;

  /** @throws TypeError/RangeError for bad options. */
  constructor(options: SwarmOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`Swarm: options expected an object, got ${describe(options)}`);
    }
    this.#pipeline = options.pipeline ?? 32;
    this.#endgame = options.endgame ?? 2;
    this.#pageBits = options.pageBits ?? 10;
    assertInteger('Swarm', 'options.pipeline', this.#pipeline, 1, 4096);
    assertInteger('Swarm', 'options.endgame', this.#endgame, 1, 8);
    assertInteger('Swarm', 'options.pageBits', this.#pageBits, 0, 16);
    this.#hasher = options.hasher;
    const h = this.#hasher ? { hasher: this.#hasher } : undefined;
    this.#emptyId = computeBlobId({ chunkCount: 0, byteLength: 0, root: emptyRoot(h) }, h);
  }

  /** Peers currently attached. */
  get peers(): string[] {
    return [...this.#peers.keys()];
  }

  /** Attaches the session with peer `peer` (replacing an older session under that name). */
  addPeer(peer: string, session: SyncSession): void {
    if (typeof peer !== 'string')
      throw new TypeError(`Swarm.addPeer: peer expected a string, got ${describe(peer)}`);
    this.removePeer(peer);
    this.#dirty = true;
    this.#peers.set(peer, { session, has: new Map(), load: 0 });
    for (const key of this.#complete) session.announce(fromHex(key), 'all');
    for (const b of this.#blobs.values()) this.#unstall(b);
  }

  /** Detaches a peer; its items go back to the others. */
  removePeer(peer: string): void {
    const p = this.#peers.get(peer);
    if (p === undefined) return;
    this.#peers.delete(peer);
    this.#dirty = true;
    for (const b of this.#blobs.values()) {
      for (const [k, set] of b.assigned) {
        if (!set.delete(peer)) continue;
        if (set.size === 0) {
          b.assigned.delete(k);
          b.pending.set(k, parseItem(k));
        }
      }
    }
  }

  /**
   * Announces (HAVE, to every peer now and later) that we hold a blob completely, e.g. one we published.
   * @throws TypeError/RangeError for a blobId that is not 32 bytes.
   */
  provide(blobId: Uint8Array): void {
    assertBytes('Swarm.provide', 'blobId', blobId);
    if (blobId.length !== 32) throw new RangeError('Swarm.provide: blobId expected 32 bytes');
    const key = toHex(blobId);
    this.#complete.add(key);
    for (const p of this.#peers.values()) if (p.session.state !== 'closed') p.session.announce(blobId, 'all');
  }

  /**
   * Fetches a blob from whichever peers have it. `resume` hands back what was stored before (verified
   * header and pages from `store-page`, chunk indices from `store-chunk`), so only the rest is fetched.
   * @throws TypeError/RangeError for bad arguments or resume data that does not verify.
   */
  want(blobId: Uint8Array, resume?: ResumeData): void {
    const where = 'Swarm.want';
    assertBytes(where, 'blobId', blobId);
    if (blobId.length !== 32)
      throw new RangeError(`${where}: blobId expected 32 bytes, got ${blobId.length}`);
    const key = toHex(blobId);
    this.#dirty = true;
    const existing = this.#blobs.get(key);
    if (existing !== undefined && !existing.done) {
      this.#unstall(existing);
      return;
    }
    if (equals(blobId, this.#emptyId)) {
      this.#complete.add(key);
      this.#out.push({ type: 'blob-complete', blobId: blobId.slice() });
      return;
    }
    const state = new BlobState(blobId.slice(), this.#pageBits, resume?.have ?? []);
    const opts = this.#hasher
      ? { pageBits: this.#pageBits, hasher: this.#hasher }
      : { pageBits: this.#pageBits };
    applyResume(where, state, resume, opts);
    const b = new SwarmBlob(state);
    this.#blobs.set(key, b);
    if (v(b) === null) b.pending.set('p0', { kind: 'page', index: 0 });
    else this.#queueMissing(b);
    this.#checkComplete(b);
  }

  /** Un-parks every stalled blob (e.g. after a network change): items failed before are tried again. */
  retry(): void {
    this.#dirty = true;
    for (const b of this.#blobs.values()) this.#unstall(b);
  }

  /** Stops fetching a blob: its items are unassigned from every peer. */
  cancel(blobId: Uint8Array): void {
    const b = this.#blobs.get(toHex(blobId));
    if (b === undefined) return;
    this.#blobs.delete(b.key);
    for (const [k, set] of b.assigned) {
      for (const peer of set) this.#unassign(b, peer, parseItem(k));
    }
  }

  /**
   * The next event: the sessions' events (tagged with their peer) and the swarm's own. Assigns work to
   * peers as a side effect, so call it until undefined after moving frames.
   */
  pollEvent(): SwarmEvent | undefined {
    for (;;) {
      const e = this.#out.shift();
      if (e !== undefined) return e;
      if (!this.#drain()) {
        // Only when something happened: a pass over pending items costs O(items) when no peer can take them.
        if (this.#dirty) {
          this.#dirty = false;
          this.#schedule();
        }
        return this.#out.shift();
      }
    }
  }

  // ------------------------------------------------------------------------------------------ internals

  /** Moves one batch of session events into the output, reacting to them. False when there were none. */
  #drain(): boolean {
    let any = false;
    for (const [peer, p] of this.#peers) {
      for (let e = p.session.pollEvent(); e !== undefined; e = p.session.pollEvent()) {
        any = true;
        this.#dirty = true;
        this.#react(peer, p, e);
        this.#out.push({ type: 'session', peer, event: e });
      }
    }
    // Completion is judged after the whole batch: a session marks chunks held as it verifies them, before the
    // driver has read their store events, so checking per event could put blob-complete ahead of them.
    for (const b of this.#stored) this.#checkComplete(b);
    this.#stored.clear();
    return any;
  }

  #react(peer: string, p: PeerInfo, e: SessionEvent): void {
    switch (e.type) {
      case 'peer-have': {
        const key = toHex(e.blobId);
        p.has.set(key, e.all ? 'all' : e.ranges);
        const b = this.#blobs.get(key);
        if (b !== undefined) this.#unstall(b);
        return;
      }
      case 'store-page': {
        const b = this.#blobs.get(toHex(e.blobId));
        if (b === undefined) return;
        this.#settled(b, { kind: 'page', index: e.page.pageIndex });
        this.#queueMissing(b);
        this.#stored.add(b);
        return;
      }
      case 'store-chunk': {
        const b = this.#blobs.get(toHex(e.blobId));
        if (b === undefined) return;
        this.#settled(b, { kind: 'chunk', index: e.index });
        this.#stored.add(b);
        return;
      }
      case 'item-failed': {
        const b = this.#blobs.get(toHex(e.blobId));
        if (b === undefined) return;
        const item = { kind: e.kind, index: e.index };
        const k = itemKey(item);
        const set = b.assigned.get(k);
        if (set?.delete(peer)) p.load--;
        if (set !== undefined && set.size === 0) b.assigned.delete(k);
        let f = b.failed.get(k);
        if (f === undefined) b.failed.set(k, (f = new Set()));
        f.add(peer);
        if (!b.assigned.has(k) && !this.#done(b, item)) b.pending.set(k, item);
        return;
      }
      case 'closed':
        this.removePeer(peer);
        return;
      default:
    }
  }

  /** An item was verified (through any peer): cancel it everywhere else. */
  #settled(b: SwarmBlob, item: Item): void {
    const k = itemKey(item);
    b.pending.delete(k);
    b.failed.delete(k);
    const set = b.assigned.get(k);
    if (set === undefined) return;
    b.assigned.delete(k);
    for (const peer of set) this.#unassign(b, peer, item);
  }

  #unassign(b: SwarmBlob, peer: string, item: Item): void {
    const p = this.#peers.get(peer);
    if (p === undefined) return;
    p.load--;
    p.session.unassign(b.state.id, item);
  }

  #done(b: SwarmBlob, item: Item): boolean {
    const ver = v(b);
    if (item.kind === 'page') return ver !== null && ver.hasPage(item.index);
    return b.state.have.has(item.index);
  }

  /** Queues every missing page, and the missing chunks of every verified page, not already queued or assigned. */
  #queueMissing(b: SwarmBlob): void {
    const ver = v(b);
    if (ver === null) return;
    for (let pg = 0; pg < ver.pageCount; pg++) {
      if (!ver.hasPage(pg)) {
        this.#queue(b, { kind: 'page', index: pg });
        continue;
      }
      const r = ver.pageRange(pg)!;
      for (let i = r.start; i < r.end; i++)
        if (!b.state.have.has(i)) this.#queue(b, { kind: 'chunk', index: i });
    }
  }

  #queue(b: SwarmBlob, item: Item): void {
    const k = itemKey(item);
    if (!b.assigned.has(k) && !b.pending.has(k)) b.pending.set(k, item);
  }

  #checkComplete(b: SwarmBlob): void {
    const ver = v(b);
    if (b.done || ver === null || ver.status !== 'complete' || b.state.have.size !== ver.header.chunkCount)
      return;
    b.done = true;
    b.pending.clear();
    this.#complete.add(b.key);
    this.#out.push({ type: 'blob-complete', blobId: b.state.id });
    for (const p of this.#peers.values())
      if (p.session.state !== 'closed') p.session.announce(b.state.id, 'all');
  }

  #unstall(b: SwarmBlob): void {
    b.stalled = false;
    b.failed.clear();
  }

  /** Does `p` (probably) hold `item`? 'yes' if announced, 'maybe' if it announced nothing for the blob. */
  #holds(p: PeerInfo, b: SwarmBlob, item: Item): 'yes' | 'maybe' | 'no' {
    const h = p.has.get(b.key);
    if (h === undefined) return 'maybe';
    if (h === 'all') return 'yes';
    if (item.kind === 'page') return h.length > 0 ? 'yes' : 'no';
    for (const [s, e] of h) if (item.index >= s && item.index < e) return 'yes';
    return 'no';
  }

  /** The least-loaded open peer that may hold `item` and has not failed it; announced holders first. */
  #pick(b: SwarmBlob, item: Item, exclude: Set<string> | undefined): string | undefined {
    const failed = b.failed.get(itemKey(item));
    let best: string | undefined;
    let bestRank = 3;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (const [peer, p] of this.#peers) {
      if (p.load >= this.#pipeline || p.session.state !== 'established') continue;
      if (failed?.has(peer) || exclude?.has(peer)) continue;
      const h = this.#holds(p, b, item);
      if (h === 'no') continue;
      const rank = h === 'yes' ? 1 : 2;
      if (rank < bestRank || (rank === bestRank && p.load < bestLoad)) {
        best = peer;
        bestRank = rank;
        bestLoad = p.load;
      }
    }
    return best;
  }

  #assign(b: SwarmBlob, peer: string, item: Item): void {
    const p = this.#peers.get(peer)!;
    const k = itemKey(item);
    let set = b.assigned.get(k);
    if (set === undefined) b.assigned.set(k, (set = new Set()));
    set.add(peer);
    p.load++;
    p.session.assign(b.state, item);
  }

  /** Hands pending items to peers with room; then, with room left and nothing pending, the endgame. */
  #schedule(): void {
    for (const b of this.#blobs.values()) {
      if (!this.#hasRoom()) return;
      if (b.done || b.stalled) continue;
      // Until the header is known only page 0 can be asked for, from one peer at a time.
      for (const [k, item] of b.pending) {
        if (v(b) === null && b.assigned.size > 0) break;
        const peer = this.#pick(b, item, undefined);
        if (peer === undefined) {
          if (this.#nobodyCan(b, item)) {
            b.stalled = true;
            this.#out.push({ type: 'blob-stalled', blobId: b.state.id, kind: item.kind, index: item.index });
            break;
          }
          continue;
        }
        b.pending.delete(k);
        this.#assign(b, peer, item);
        if (!this.#hasRoom()) return;
      }
      if (b.pending.size === 0 && this.#endgame > 1 && v(b) !== null) {
        for (const [k, set] of b.assigned) {
          if (set.size >= this.#endgame) continue;
          const item = parseItem(k);
          const peer = this.#pick(b, item, set);
          if (peer !== undefined) this.#assign(b, peer, item);
        }
      }
    }
  }

  #hasRoom(): boolean {
    for (const p of this.#peers.values()) {
      if (p.load < this.#pipeline && p.session.state === 'established') return true;
    }
    return false;
  }

  /** True when no attached peer could ever take `item` now: all failed it or cannot hold it. */
  #nobodyCan(b: SwarmBlob, item: Item): boolean {
    if (b.assigned.size > 0) return false; // work in flight may still settle it
    const failed = b.failed.get(itemKey(item));
    for (const [peer, p] of this.#peers) {
      if (p.session.state === 'closed') continue;
      if (p.session.state === 'hello') return false; // may still come up
      if (!failed?.has(peer) && this.#holds(p, b, item) !== 'no') return false;
    }
    return true;
  }
}

function v(b: SwarmBlob): ManifestVerifier | null {
  return b.state.verifier;
}

function parseItem(k: string): Item {
  return { kind: k[0] === 'p' ? 'page' : 'chunk', index: Number(k.slice(1)) };
}
