import type { Manifest, ManifestHeader, ManifestPage } from '@syncwire/blob';
import { toHex } from '@syncwire/bytes';
import { type SessionEvent, type SessionOptions, SyncSession } from '@syncwire/session';

/** What one peer keeps: for each blob, its header, verified pages and verified chunks. */
export interface StoredBlob {
  header?: ManifestHeader;
  /** Full manifest when this peer is the blob's origin. */
  manifest?: Manifest;
  /** Origin bytes (to serve chunks) when this peer is the origin. */
  bytes?: Uint8Array;
  pages: Map<number, ManifestPage>;
  chunks: Map<number, Uint8Array>;
}

/**
 * A peer of the simulation: one session at a time, an in-memory store that outlives sessions, and a driver
 * that answers the session's storage events. `truth` maps blob ids to their real bytes so the store can check
 * on every write that no unverified byte is stored.
 */
export class SimPeer {
  session: SyncSession;
  readonly store: Map<string, StoredBlob>;
  readonly wanted = new Set<string>();
  readonly events: SessionEvent[] = [];
  /** Chunk bytes written to the store, over all sessions. */
  storedBytes = 0;
  /** Chunks written that were already stored (a refetch). */
  refetched = 0;
  readonly name: string;
  readonly options: SessionOptions | undefined;
  readonly truth: Map<string, { manifest: Manifest; bytes: Uint8Array }>;
  /** Page size exponent the sessions use. */
  get pageBits(): number {
    return this.options?.pageBits ?? 10;
  }

  /** Serve corrupted chunks / forged pages (a malicious responder). */
  evil: false | 'chunks' | 'pages' = false;

  constructor(
    name: string,
    truth: Map<string, { manifest: Manifest; bytes: Uint8Array }>,
    options?: SessionOptions,
    store?: Map<string, StoredBlob>,
  ) {
    this.store = store ?? new Map();
    this.name = name;
    this.truth = truth;
    this.options = options;
    this.session = new SyncSession(options);
  }

  /** Makes this peer the origin of a blob. */
  addBlob(m: Manifest, bytes: Uint8Array): void {
    const pages = new Map<number, ManifestPage>();
    const chunks = new Map<number, Uint8Array>();
    for (let i = 0; i < m.chunkCount; i++)
      chunks.set(i, bytes.subarray(m.chunkOffset(i), m.chunkOffset(i + 1)));
    this.store.set(toHex(m.id), { header: m.header, manifest: m, bytes, pages, chunks });
  }

  /** Wants a blob over the current session, resuming from the store. */
  want(id: Uint8Array): void {
    const key = toHex(id);
    this.wanted.add(key);
    const s = this.store.get(key);
    if (this.session.state === 'closed') return;
    if (s?.manifest) {
      this.session.want(id, {
        header: s.header!,
        pages: Array.from({ length: Math.ceil(s.manifest.chunkCount / 2 ** this.pageBits) }, (_, p) =>
          s.manifest!.page(p, this.pageBits),
        ),
        have: s.chunks.keys(),
      });
    } else if (s?.header)
      this.session.want(id, { header: s.header, pages: s.pages.values(), have: s.chunks.keys() });
    else this.session.want(id);
  }

  /** True when this peer holds every chunk of blob `key`, byte-identical to the truth. */
  holds(key: string): boolean {
    const t = this.truth.get(key)!;
    const s = this.store.get(key);
    if (!s) return t.manifest.chunkCount === 0;
    for (let i = 0; i < t.manifest.chunkCount; i++) if (!s.chunks.has(i)) return false;
    return true;
  }

  /** A new session (connection reset or restart); the store is kept and wants are resumed. */
  restart(): void {
    this.session = new SyncSession(this.options);
    for (const key of this.wanted) if (!this.holds(key)) this.want(Buffer.from(key, 'hex'));
  }

  /** Drains and answers the session's events. Throws if anything unverified would be stored. */
  drive(): void {
    for (let e = this.session.pollEvent(); e; e = this.session.pollEvent()) {
      this.events.push(e);
      const s = this.session;
      switch (e.type) {
        case 'need-page': {
          const b = this.store.get(toHex(e.blobId));
          let page: ManifestPage | undefined;
          if (b?.manifest && e.pageIndex < Math.ceil(b.manifest.chunkCount / 2 ** e.pageBits))
            page = b.manifest.page(e.pageIndex, e.pageBits);
          else if (b && b.pages.get(e.pageIndex)?.pageBits === e.pageBits) page = b.pages.get(e.pageIndex);
          if (page && b?.header) {
            if (this.evil === 'pages') {
              const p = { ...page, proof: page.proof.slice() };
              if (p.proof.length > 0) p.proof[0] = p.proof[0]! ^ 1;
              else p.records = Uint8Array.from(p.records, (x, i) => (i === 5 ? x ^ 1 : x));
              page = p;
            }
            s.respondPage(e.reqId, b.header, page);
          } else s.respondNoData(e.reqId);
          break;
        }
        case 'need-chunk': {
          const c = this.store.get(toHex(e.blobId))?.chunks.get(e.index);
          if (c === undefined) s.respondNoData(e.reqId);
          else if (this.evil === 'chunks')
            s.respondChunk(
              e.reqId,
              Uint8Array.from(c, (x, i) => (i === 0 ? x ^ 0x80 : x)),
            );
          else s.respondChunk(e.reqId, c);
          break;
        }
        case 'store-page': {
          const key = toHex(e.blobId);
          const t = this.truth.get(key);
          // The invariant: what reaches storage is exactly the truth.
          const expect = t?.manifest.page(e.page.pageIndex, e.page.pageBits);
          if (!t || !expect || Buffer.compare(expect.records, e.page.records) !== 0) {
            throw new Error(`${this.name}: unverified page ${e.page.pageIndex} reached storage`);
          }
          let b = this.store.get(key);
          if (!b) {
            b = { pages: new Map(), chunks: new Map() };
            this.store.set(key, b);
          }
          b.header = e.header;
          b.pages.set(e.page.pageIndex, e.page);
          break;
        }
        case 'store-chunk': {
          const key = toHex(e.blobId);
          const t = this.truth.get(key)!;
          const m = t.manifest;
          const real = t.bytes.subarray(m.chunkOffset(e.index), m.chunkOffset(e.index + 1));
          if (Buffer.compare(real, e.bytes) !== 0)
            throw new Error(`${this.name}: unverified chunk ${e.index} stored`);
          const b = this.store.get(key)!;
          if (b.chunks.has(e.index)) this.refetched++;
          b.chunks.set(e.index, e.bytes);
          this.storedBytes += e.bytes.length;
          break;
        }
        default:
          break;
      }
    }
  }
}

/** A frame in flight. */
export interface InFlight {
  to: 0 | 1;
  frame: Uint8Array;
}

/** Two peers joined by a lossy in-memory link. */
export class Link {
  readonly peers: [SimPeer, SimPeer];
  readonly queue: InFlight[] = [];
  now = 0;
  partitioned = false;
  /** Largest frame either session emitted. */
  largestFrame = 0;
  /** The last frames sent (for replays), newest last. */
  readonly history: InFlight[] = [];

  constructor(a: SimPeer, b: SimPeer) {
    this.peers = [a, b];
  }

  /** Collects every frame both sessions want to send (dropped while partitioned). */
  flush(): void {
    for (const from of [0, 1] as const) {
      const p = this.peers[from];
      for (let f = p.session.pollTransmit(this.now); f; f = p.session.pollTransmit(this.now)) {
        if (f.length > this.largestFrame) this.largestFrame = f.length;
        const m: InFlight = { to: from === 0 ? 1 : 0, frame: f };
        this.history.push(m);
        if (this.history.length > 256) this.history.shift();
        if (!this.partitioned) this.queue.push(m);
      }
      p.drive();
    }
  }

  /** Delivers queued frame `k` (mod queue length). */
  deliver(k: number): void {
    if (this.queue.length === 0) return;
    const [m] = this.queue.splice(k % this.queue.length, 1);
    const p = this.peers[m!.to];
    p.session.handleFrame(m!.frame, this.now);
    p.drive();
  }

  /** Advances time by `ms` and runs due timers. */
  tick(ms: number): void {
    this.now += ms;
    for (const p of this.peers) {
      const t = p.session.pollTimeout();
      if (t !== undefined && t <= this.now) p.session.handleTimeout(this.now);
      p.drive();
    }
  }

  /** Runs the perfect network until no frame is queued and no timer is pending (or `maxSteps`). */
  settle(maxSteps = 200_000): number {
    let steps = 0;
    for (; steps < maxSteps; steps++) {
      this.flush();
      if (this.queue.length > 0) {
        this.deliver(0);
        continue;
      }
      const ts = this.peers.map((p) => p.session.pollTimeout()).filter((t): t is number => t !== undefined);
      if (ts.length === 0) break;
      this.now = Math.max(this.now, Math.min(...ts));
      this.tick(0);
    }
    this.flush();
    return steps;
  }
}
