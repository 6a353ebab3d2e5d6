import {
  type BlobOptions,
  LEAF_RECORD_SIZE,
  type ManifestHeader,
  type ManifestPage,
  ManifestVerifier,
} from '@syncwire/blob';
import type { LocalChunkLookup } from './session.ts';

/** One thing a requester asks for. */
export interface Item {
  kind: 'page' | 'chunk';
  index: number;
}

/**
 * What is known and verified of one blob: its manifest verifier (once a header arrived) and the chunks held.
 * One per blob per session, or one shared by every session of a {@link Swarm} fetching that blob from several
 * peers, so a page or chunk verified through any peer counts for all.
 */
export class BlobState {
  readonly id: Uint8Array;
  /** Page size exponent of the verifier (WANTs for pages use it). */
  readonly pageBits: number;
  verifier: ManifestVerifier | null = null;
  readonly have: Set<number>;

  constructor(id: Uint8Array, pageBits: number, have: Iterable<number> = []) {
    this.id = id;
    this.pageBits = pageBits;
    this.have = new Set(have);
  }
}

/** What earlier sessions stored of a blob: hand it back to fetch only the rest. */
export interface ResumeData {
  header?: ManifestHeader;
  pages?: Iterable<ManifestPage>;
  have?: Iterable<number>;
}

/**
 * @internal Verifies resume data into `state` (its verifier and held chunks). Pages of another page size are
 * skipped; anything that does not verify is the caller's mistake.
 * @throws RangeError when the header does not match the BlobId, a page does not verify, or a held chunk has no
 *   verified page.
 */
export function applyResume(
  where: string,
  state: BlobState,
  resume: ResumeData | undefined,
  options: BlobOptions & { pageBits?: number },
): void {
  if (resume?.header === undefined) {
    if (state.have.size > 0) throw new RangeError(`${where}: resume.have needs resume.header and its pages`);
    return;
  }
  const v = ManifestVerifier.create(state.id, resume.header, options);
  if (v === null) throw new RangeError(`${where}: resume.header does not match blobId`);
  for (const p of resume.pages ?? []) {
    if (p.pageBits === state.pageBits && !v.addPage(p)) {
      throw new RangeError(`${where}: resume page ${p.pageIndex} does not verify`);
    }
  }
  for (const i of state.have) {
    if (!Number.isInteger(i) || i < 0 || i >= v.header.chunkCount || !v.hasPage(v.pageOf(i))) {
      throw new RangeError(`${where}: resume.have holds chunk ${i}, which has no verified page`);
    }
  }
  state.verifier = v;
}

/**
 * @internal Requester-side state of one wanted blob: its manifest verifier (once the header arrived), the chunks
 * already verified, and the queue of pages and chunks still to request.
 */
export class BlobFetch {
  readonly state: BlobState;
  /** Driven by a {@link Swarm}: fetch only assigned items, report failures per item, never complete. */
  readonly managed: boolean;
  readonly queue: Item[] = [];
  /** `p<index>` / `c<index>` of items queued or in flight, so nothing is asked for twice at once. */
  readonly busy = new Set<string>();
  done = false;
  /** Driver lookup for chunks held under other blobs (deduplication). */
  local: LocalChunkLookup | undefined;
  /** True once every missing page has been queued. */
  pagesQueued = false;

  constructor(state: BlobState, managed: boolean) {
    this.state = state;
    this.managed = managed;
  }

  get id(): Uint8Array {
    return this.state.id;
  }

  get have(): Set<number> {
    return this.state.have;
  }

  get verifier(): ManifestVerifier | null {
    return this.state.verifier;
  }

  set verifier(v: ManifestVerifier | null) {
    this.state.verifier = v;
  }

  /** Drops `item` from the queue if it is there (not in flight). True when it was. */
  unqueue(item: Item): boolean {
    const i = this.queue.findIndex((q) => q.kind === item.kind && q.index === item.index);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    this.release(item);
    return true;
  }

  /** Queues `item` unless it is already queued or in flight. */
  push(item: Item): void {
    const key = `${item.kind === 'page' ? 'p' : 'c'}${item.index}`;
    if (this.busy.has(key)) return;
    this.busy.add(key);
    this.queue.push(item);
  }

  /** Marks `item` as no longer in flight. */
  release(item: Item): void {
    this.busy.delete(`${item.kind === 'page' ? 'p' : 'c'}${item.index}`);
  }

  /** Queues every page not yet verified. */
  queueMissingPages(): void {
    const v = this.verifier!;
    for (let p = 0; p < v.pageCount; p++) if (!v.hasPage(p)) this.push({ kind: 'page', index: p });
  }

  /** Queues the chunks of verified page `p` that are not held yet. */
  queueChunksOf(p: number): void {
    const r = this.verifier!.pageRange(p);
    if (r === null) return;
    for (let i = r.start; i < r.end; i++) if (!this.have.has(i)) this.push({ kind: 'chunk', index: i });
  }

  /** True once every page is verified and every chunk is held. */
  get complete(): boolean {
    const v = this.verifier;
    return v !== null && v.status === 'complete' && this.have.size === v.header.chunkCount;
  }

  /** Expected bytes of a chunk (from its verified record), 0 for pages. */
  expected(item: Item): number {
    if (item.kind === 'page') return 0;
    return this.verifier?.chunkLength(item.index) ?? 0;
  }

  /** Encoded size bound of a page of 2^k records (records + at most 2·32 proof hashes + headers). */
  static pageBound(pageBits: number): number {
    return 2 ** pageBits * LEAF_RECORD_SIZE + 64 * 32 + 256;
  }
}
