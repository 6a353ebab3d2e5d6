import type { Manifest, ManifestPage } from '@syncwire/blob';
import { fromHex, toHex } from '@syncwire/bytes';
import { type SessionOptions, Swarm, type SwarmOptions, SyncSession } from '@syncwire/session';

/** Real bytes of every blob in the world: the store checks every write against them. */
export type Truth = Map<string, { manifest: Manifest; bytes: Uint8Array }>;

interface Stored {
  header?: Manifest['header'];
  pages: Map<number, ManifestPage>;
  chunks: Map<number, Uint8Array>;
}

/**
 * A peer of the mesh: one {@link Swarm}, one session per neighbour, and a store that outlives restarts.
 * `evil` makes it a malicious responder (it still announces what it holds).
 */
export class MeshPeer {
  readonly name: string;
  readonly store = new Map<string, Stored>();
  readonly wanted = new Set<string>();
  readonly sessions = new Map<string, SyncSession>();
  swarm: Swarm;
  evil: false | 'chunks' | 'pages' = false;
  /** Chunk bytes stored over all sessions, and chunks stored twice (a refetch). */
  storedBytes = 0;
  refetched = 0;
  /** Misbehaviour events raised by this peer's sessions, per neighbour. */
  readonly blamed = new Map<string, number>();

  constructor(
    name: string,
    readonly truth: Truth,
    readonly options: SessionOptions,
    readonly swarmOptions: SwarmOptions,
  ) {
    this.name = name;
    this.swarm = new Swarm(swarmOptions);
  }

  /** Makes this peer hold a whole blob (its origin) and announce it. */
  addBlob(m: Manifest, bytes: Uint8Array): void {
    const pageBits = this.swarmOptions.pageBits ?? 10;
    const pages = new Map<number, ManifestPage>();
    for (let p = 0; p < Math.ceil(m.chunkCount / 2 ** pageBits); p++) pages.set(p, m.page(p, pageBits));
    const chunks = new Map<number, Uint8Array>();
    for (let i = 0; i < m.chunkCount; i++)
      chunks.set(i, bytes.subarray(m.chunkOffset(i), m.chunkOffset(i + 1)));
    this.store.set(toHex(m.id), { header: m.header, pages, chunks });
    this.swarm.provide(m.id);
  }

  /** Wants a blob, resuming from the store. */
  want(key: string): void {
    this.wanted.add(key);
    const s = this.store.get(key);
    if (s?.header)
      this.swarm.want(fromHex(key), { header: s.header, pages: s.pages.values(), have: s.chunks.keys() });
    else this.swarm.want(fromHex(key));
  }

  /** True when every chunk of blob `key` is stored (byte-identical: the store only takes verified bytes). */
  holds(key: string): boolean {
    const t = this.truth.get(key)!;
    const s = this.store.get(key);
    return t.manifest.chunkCount === 0 || (s !== undefined && s.chunks.size === t.manifest.chunkCount);
  }

  /** A new session with neighbour `other` (a connection, or a reconnection after a reset). */
  connect(other: string): SyncSession {
    const s = new SyncSession({ ...this.options, peerId: new TextEncoder().encode(this.name) });
    this.sessions.set(other, s);
    this.swarm.addPeer(other, s);
    return s;
  }

  /** Restart: a new swarm (store kept, wants resumed); the caller reconnects every neighbour. */
  restart(): void {
    this.swarm = new Swarm(this.swarmOptions);
    for (const [key, s] of this.store) if (this.holds(key) && s.header) this.swarm.provide(fromHex(key));
    for (const key of this.wanted) if (!this.holds(key)) this.want(key);
  }

  /** Drains the swarm's events: answers requests from the store, stores verified data (checked against the truth). */
  drive(): void {
    for (let e = this.swarm.pollEvent(); e; e = this.swarm.pollEvent()) {
      if (e.type !== 'session') continue;
      const ev = e.event;
      const s = this.sessions.get(e.peer)!;
      switch (ev.type) {
        case 'need-page': {
          const b = this.store.get(toHex(ev.blobId));
          let page = b?.pages.get(ev.pageIndex);
          if (page === undefined || page.pageBits !== ev.pageBits || !b?.header) {
            s.respondNoData(ev.reqId);
            break;
          }
          if (this.evil === 'pages') {
            const proof = page.proof.slice();
            if (proof.length > 0) proof[0] = proof[0]! ^ 1;
            page = { ...page, proof, records: proof.length > 0 ? page.records : flip(page.records, 5) };
          }
          s.respondPage(ev.reqId, b.header, page);
          break;
        }
        case 'need-chunk': {
          const c = this.store.get(toHex(ev.blobId))?.chunks.get(ev.index);
          if (c === undefined) s.respondNoData(ev.reqId);
          else s.respondChunk(ev.reqId, this.evil === 'chunks' ? flip(c, 0) : c);
          break;
        }
        case 'store-page': {
          const key = toHex(ev.blobId);
          const real = this.truth.get(key)?.manifest.page(ev.page.pageIndex, ev.page.pageBits);
          if (real === undefined || Buffer.compare(real.records, ev.page.records) !== 0) {
            throw new Error(`${this.name}: unverified page ${ev.page.pageIndex} reached storage`);
          }
          const b = this.#blob(key);
          b.header = ev.header;
          b.pages.set(ev.page.pageIndex, ev.page);
          break;
        }
        case 'store-chunk': {
          const key = toHex(ev.blobId);
          const { manifest: m, bytes } = this.truth.get(key)!;
          const real = bytes.subarray(m.chunkOffset(ev.index), m.chunkOffset(ev.index + 1));
          if (Buffer.compare(real, ev.bytes) !== 0)
            throw new Error(`${this.name}: unverified chunk ${ev.index} stored`);
          const b = this.#blob(key);
          if (b.chunks.has(ev.index)) this.refetched++;
          b.chunks.set(ev.index, ev.bytes.slice());
          this.storedBytes += ev.bytes.length;
          break;
        }
        case 'misbehaviour':
          this.blamed.set(e.peer, (this.blamed.get(e.peer) ?? 0) + 1);
          break;
        default:
      }
    }
  }

  #blob(key: string): Stored {
    let b = this.store.get(key);
    if (b === undefined) this.store.set(key, (b = { pages: new Map(), chunks: new Map() }));
    return b;
  }
}

function flip(b: Uint8Array, at: number): Uint8Array {
  const out = b.slice();
  if (out.length > at) out[at] = out[at]! ^ 0x80;
  return out;
}

/** A frame in flight on a link. */
export interface Flight {
  to: string;
  frame: Uint8Array;
}

/** A bidirectional lossy link between two peers, holding their current sessions. */
export class MeshLink {
  readonly queue: Flight[] = [];
  readonly history: Flight[] = [];
  partitioned = false;
  constructor(
    readonly a: MeshPeer,
    readonly b: MeshPeer,
  ) {}

  peer(name: string): MeshPeer {
    return this.a.name === name ? this.a : this.b;
  }
}

/** Every pair of peers joined by a link; the clock; frame bookkeeping for the invariants. */
export class Mesh {
  readonly links: MeshLink[] = [];
  now = 0;
  largestFrame = 0;

  constructor(readonly peers: MeshPeer[]) {
    for (let i = 0; i < peers.length; i++) {
      for (let j = i + 1; j < peers.length; j++) {
        const l = new MeshLink(peers[i]!, peers[j]!);
        this.links.push(l);
        this.reconnect(l);
      }
    }
  }

  /** New sessions on both ends of a link. */
  reconnect(l: MeshLink): void {
    l.a.connect(l.b.name);
    l.b.connect(l.a.name);
  }

  /** Collects what every session wants to send (lost while its link is partitioned), and runs the drivers. */
  flush(): void {
    for (let again = true; again; ) {
      again = false;
      for (const p of this.peers) p.drive();
      for (const l of this.links) {
        for (const [from, to] of [
          [l.a, l.b],
          [l.b, l.a],
        ] as const) {
          const s = from.sessions.get(to.name)!;
          for (let f = s.pollTransmit(this.now); f; f = s.pollTransmit(this.now)) {
            again = true;
            if (f.length > this.largestFrame) this.largestFrame = f.length;
            const m = { to: to.name, frame: f };
            l.history.push(m);
            if (l.history.length > 64) l.history.shift();
            if (!l.partitioned) l.queue.push(m);
          }
        }
      }
    }
  }

  /** Delivers frame k (mod length) of link i (mod count). */
  deliver(i: number, k: number): void {
    const l = this.links[i % this.links.length]!;
    if (l.queue.length === 0) return;
    const [m] = l.queue.splice(k % l.queue.length, 1);
    const to = l.peer(m!.to);
    const from = to === l.a ? l.b : l.a;
    to.sessions.get(from.name)!.handleFrame(m!.frame, this.now);
    to.drive();
  }

  /** Advances time by `ms` and runs every session's due timers. */
  tick(ms: number): void {
    this.now += ms;
    for (const p of this.peers) {
      for (const s of p.sessions.values()) {
        const t = s.pollTimeout();
        if (t !== undefined && t <= this.now) s.handleTimeout(this.now);
      }
      p.drive();
    }
  }

  /** Restarts peer `p`: a new swarm, and new sessions on every one of its links. */
  restart(p: MeshPeer): void {
    p.restart();
    for (const l of this.links) if (l.a === p || l.b === p) this.reconnect(l);
  }

  /** A perfect network until nothing is queued and no timer is pending (or `maxSteps`). */
  settle(maxSteps: number): void {
    for (let step = 0; step < maxSteps; step++) {
      this.flush();
      // One frame from every busy link per step (round robin), so no link starves another.
      let moved = false;
      for (const [i, l] of this.links.entries()) {
        if (l.queue.length === 0) continue;
        this.deliver(i, 0);
        moved = true;
      }
      if (moved) continue;
      let t = Number.POSITIVE_INFINITY;
      for (const p of this.peers) for (const s of p.sessions.values()) t = Math.min(t, s.pollTimeout() ?? t);
      if (t === Number.POSITIVE_INFINITY) break;
      this.now = Math.max(this.now, t);
      this.tick(0);
    }
    this.flush();
  }
}
