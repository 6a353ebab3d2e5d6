import { assertBytes, assertInteger } from '@syncwire/bytes';
import type { Hasher } from '@syncwire/merkle';
import { type ManifestHeader, verifyHeader } from './header.ts';
import { chunkMatches, LEAF_RECORD_SIZE, recordLength } from './leaf-record.ts';
import { Manifest } from './manifest.ts';
import { type BlobOptions, resolveHasher } from './options.ts';
import { type ManifestPage, pageCount, pageRange, verifyPage } from './page.ts';

/** Progress of a {@link ManifestVerifier}. */
export type ManifestStatus = 'incomplete' | 'complete' | 'inconsistent';

/**
 * The receiving side of a manifest: starts from a BlobId and a header that hashes to it, accepts pages only
 * after their range proof verifies against the header's root, and then verifies each chunk against its leaf
 * record. Only verified records are kept (copied, per page), so a hostile header that claims 2^32 chunks
 * costs nothing until pages that really prove against it arrive.
 *
 * @example
 * ```ts
 * const v = ManifestVerifier.create(id, header); // null unless header hashes to id
 * if (v && v.addPage(page) && v.verifyChunk(5, bytes)) store(5, bytes);
 * ```
 */
export class ManifestVerifier {
  /** The BlobId this verifier checks against. */
  readonly id: Uint8Array;
  /** The verified header. */
  readonly header: ManifestHeader;
  /** Page size exponent of the pages it accepts. */
  readonly pageBits: number;
  readonly #hasher: Hasher;
  readonly #pages = new Map<number, Uint8Array>();
  readonly #scratch = new Uint8Array(32);
  #bytes = 0;
  #status: ManifestStatus;

  private constructor(id: Uint8Array, header: ManifestHeader, pageBits: number, hasher: Hasher) {
    this.id = id.slice();
    this.header = { chunkCount: header.chunkCount, byteLength: header.byteLength, root: header.root.slice() };
    this.pageBits = pageBits;
    this.#hasher = hasher;
    this.#status = header.chunkCount === 0 ? 'complete' : 'incomplete';
  }

  /**
   * A verifier for the blob `id`, or `null` when `header` does not hash to `id` (see `verifyHeader`).
   * @throws TypeError/RangeError on bad arguments (`pageBits` 0..32, default 10).
   */
  static create(
    id: Uint8Array,
    header: ManifestHeader,
    options?: BlobOptions & { pageBits?: number },
  ): ManifestVerifier | null {
    const where = 'ManifestVerifier.create';
    const hasher = resolveHasher(where, options);
    assertBytes(where, 'id', id);
    const pageBits = options?.pageBits ?? 10;
    assertInteger(where, 'options.pageBits', pageBits, 0, 32);
    if (!verifyHeader(header, id, { hasher })) return null;
    return new ManifestVerifier(id, header, pageBits, hasher);
  }

  /** `incomplete` until every page is verified; then `complete`, or `inconsistent` when the record lengths do
   * not add up to the header's byteLength (the blob's publisher signed an impossible manifest). */
  get status(): ManifestStatus {
    return this.#status;
  }

  /** Number of pages in the manifest. */
  get pageCount(): number {
    return pageCount(this.pageBits, this.header.chunkCount);
  }

  /** True once page `pageIndex` has been verified. */
  hasPage(pageIndex: number): boolean {
    return this.#pages.has(pageIndex);
  }

  /** Page index holding chunk `index`. */
  pageOf(index: number): number {
    return Math.floor(index / 2 ** this.pageBits);
  }

  /**
   * Verifies `page` (its size exponent must be this verifier's) and keeps a copy of its records. True when
   * it verified (or was already held); false for any page that does not prove against the root.
   */
  addPage(page: ManifestPage): boolean {
    if (page.pageBits !== this.pageBits) return false;
    if (this.#pages.has(page.pageIndex)) return verifyPage(this.header, page, { hasher: this.#hasher });
    if (!verifyPage(this.header, page, { hasher: this.#hasher })) return false;
    const records = page.records.slice();
    this.#pages.set(page.pageIndex, records);
    for (let i = 0; i < records.length / LEAF_RECORD_SIZE; i++) this.#bytes += recordLength(records, i);
    if (this.#pages.size === this.pageCount) {
      this.#status = this.#bytes === this.header.byteLength ? 'complete' : 'inconsistent';
    }
    return true;
  }

  /** Leaf record of chunk `index` (36-byte view), or undefined while its page is not verified. */
  record(index: number): Uint8Array | undefined {
    const page = this.#pages.get(this.pageOf(index));
    if (page === undefined) return undefined;
    const at = (index - this.pageOf(index) * 2 ** this.pageBits) * LEAF_RECORD_SIZE;
    return page.subarray(at, at + LEAF_RECORD_SIZE);
  }

  /** Expected length of chunk `index`, or undefined while its page is not verified. */
  chunkLength(index: number): number | undefined {
    const r = this.record(index);
    return r === undefined ? undefined : recordLength(r, 0);
  }

  /**
   * True when `bytes` is chunk `index` (its page is verified and length and SHA-256 match its record);
   * false for everything else, including an index outside the blob or an unverified page.
   */
  verifyChunk(index: number, bytes: Uint8Array): boolean {
    assertBytes('ManifestVerifier.verifyChunk', 'bytes', bytes);
    if (!Number.isInteger(index) || index < 0 || index >= this.header.chunkCount) return false;
    const r = this.record(index);
    return r !== undefined && chunkMatches(this.#hasher, r, 0, bytes, this.#scratch);
  }

  /** Chunk index range [start, end) of page `pageIndex`, or null outside the blob. */
  pageRange(pageIndex: number): { start: number; end: number } | null {
    return pageRange(this.pageBits, pageIndex, this.header.chunkCount);
  }

  /**
   * The full {@link Manifest} once `status` is `complete` (for offsets and serving pages onward).
   * @throws Error unless complete.
   */
  toManifest(): Manifest {
    if (this.#status !== 'complete')
      throw new Error(`ManifestVerifier.toManifest: manifest is ${this.#status}`);
    const all = new Uint8Array(this.header.chunkCount * LEAF_RECORD_SIZE);
    for (const [i, recs] of this.#pages) all.set(recs, i * 2 ** this.pageBits * LEAF_RECORD_SIZE);
    return Manifest.fromRecords(all, { hasher: this.#hasher, pageBits: Math.min(this.pageBits, 20) });
  }
}
