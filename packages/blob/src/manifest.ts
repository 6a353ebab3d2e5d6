import { assertBytes, assertInteger } from '@syncwire/bytes';
import { type Hasher, MerkleAppender, MerkleTree } from '@syncwire/merkle';
import { blobIdWith, MAX_CHUNK_COUNT, type ManifestHeader } from './header.ts';
import {
  chunkMatches,
  LEAF_RECORD_SIZE,
  MAX_CHUNK_LENGTH,
  recordDigest,
  recordLength,
} from './leaf-record.ts';
import { type BlobOptions, DEFAULT_PAGE_BITS, MAX_BUILD_PAGE_BITS, resolveHasher } from './options.ts';
import { type ManifestPage, pageCount, pageRange } from './page.ts';

/**
 * A complete manifest: the leaf records of every chunk of a blob, its header and BlobId, and the pages
 * (with range proofs) a peer serves. Built by {@link ManifestBuilder} / `buildManifest`, or from a full set of
 * records with {@link Manifest.fromRecords}.
 */
export class Manifest {
  /** Number of chunks. */
  readonly chunkCount: number;
  /** Bytes in the blob. */
  readonly byteLength: number;
  /** Manifest root (RFC 9162 tree hash of the leaf records). */
  readonly root: Uint8Array;
  /** BlobId: `SHA-256(0x02 ‖ u64 chunkCount ‖ u64 byteLength ‖ root)`. */
  readonly id: Uint8Array;
  /** All leaf records back to back, 36 bytes each (do not modify). */
  readonly records: Uint8Array;
  /** Page size exponent used by {@link Manifest.page}. */
  readonly pageBits: number;
  readonly #hasher: Hasher;
  #tree: MerkleTree | undefined;
  #offsets: Float64Array | undefined;

  /** @internal Use {@link Manifest.fromRecords} or a builder. */
  constructor(hasher: Hasher, records: Uint8Array, byteLength: number, root: Uint8Array, pageBits: number) {
    this.#hasher = hasher;
    this.records = records;
    this.chunkCount = records.length / LEAF_RECORD_SIZE;
    this.byteLength = byteLength;
    this.root = root;
    this.pageBits = pageBits;
    this.id = blobIdWith(hasher, this.header);
  }

  /**
   * A manifest from all its leaf records (e.g. reassembled from verified pages). Computes the root.
   * @throws TypeError unless `records` is bytes; RangeError when its length is not a multiple of 36, a record
   *   length is 0 or above 16 MiB, or there are more than 2^32 records.
   */
  static fromRecords(records: Uint8Array, options?: BlobOptions & { pageBits?: number }): Manifest {
    const where = 'Manifest.fromRecords';
    assertBytes(where, 'records', records);
    const hasher = resolveHasher(where, options);
    const pageBits = options?.pageBits ?? DEFAULT_PAGE_BITS;
    assertInteger(where, 'options.pageBits', pageBits, 0, MAX_BUILD_PAGE_BITS);
    if (records.length % LEAF_RECORD_SIZE !== 0) {
      throw new RangeError(`${where}: records expected a multiple of 36 bytes, got ${records.length}`);
    }
    const n = records.length / LEAF_RECORD_SIZE;
    if (n > MAX_CHUNK_COUNT) throw new RangeError(`${where}: more than 2^32 records`);
    const app = new MerkleAppender({ hasher });
    let total = 0;
    for (let i = 0; i < n; i++) {
      const len = recordLength(records, i);
      if (len === 0 || len > MAX_CHUNK_LENGTH) {
        throw new RangeError(`${where}: record ${i} has length ${len}, expected 1..${MAX_CHUNK_LENGTH}`);
      }
      total += len;
      app.append(records.subarray(i * LEAF_RECORD_SIZE, (i + 1) * LEAF_RECORD_SIZE));
    }
    return new Manifest(hasher, records, total, app.root(), pageBits);
  }

  /** `{ chunkCount, byteLength, root }`: what the BlobId authenticates. */
  get header(): ManifestHeader {
    return { chunkCount: this.chunkCount, byteLength: this.byteLength, root: this.root };
  }

  /** Number of pages of 2^pageBits records. */
  get pageCount(): number {
    return pageCount(this.pageBits, this.chunkCount);
  }

  /** Leaf record of chunk `index` (a 36-byte view). @throws RangeError for an index outside the blob. */
  record(index: number): Uint8Array {
    this.#check('record', index);
    return this.records.subarray(index * LEAF_RECORD_SIZE, (index + 1) * LEAF_RECORD_SIZE);
  }

  /** Byte length of chunk `index`. @throws RangeError for an index outside the blob. */
  chunkLength(index: number): number {
    this.#check('chunkLength', index);
    return recordLength(this.records, index);
  }

  /** SHA-256 of chunk `index` (a 32-byte view). @throws RangeError for an index outside the blob. */
  chunkDigest(index: number): Uint8Array {
    this.#check('chunkDigest', index);
    return recordDigest(this.records, index);
  }

  /** Offset of chunk `index` in the blob (prefix sums computed once, 8 bytes per chunk). */
  chunkOffset(index: number): number {
    assertInteger('Manifest.chunkOffset', 'index', index, 0, this.chunkCount);
    if (this.#offsets === undefined) {
      const o = new Float64Array(this.chunkCount + 1);
      for (let i = 0; i < this.chunkCount; i++) o[i + 1] = o[i]! + recordLength(this.records, i);
      this.#offsets = o;
    }
    return this.#offsets[index]!;
  }

  /** True when `bytes` is exactly chunk `index` (length and SHA-256). */
  verifyChunk(index: number, bytes: Uint8Array): boolean {
    this.#check('verifyChunk', index);
    assertBytes('Manifest.verifyChunk', 'bytes', bytes);
    return chunkMatches(this.#hasher, this.records, index, bytes, new Uint8Array(32));
  }

  /**
   * Page `pageIndex` of pages of 2^`pageBits` records (default this manifest's `pageBits`) with its range
   * proof. The Merkle tree over the records (about 64 bytes per chunk) is built on the first call and kept.
   * @throws RangeError for a page outside the blob or `pageBits` outside 0..32.
   */
  page(pageIndex: number, pageBits: number = this.pageBits): ManifestPage {
    assertInteger('Manifest.page', 'pageBits', pageBits, 0, 32);
    const r = pageRange(pageBits, pageIndex, this.chunkCount);
    if (!Number.isInteger(pageIndex) || r === null) {
      throw new RangeError(
        `Manifest.page: pageIndex expected an integer in [0, ${pageCount(pageBits, this.chunkCount)}), got ${pageIndex}`,
      );
    }
    if (this.#tree === undefined) {
      const leaves: Uint8Array[] = [];
      for (let i = 0; i < this.chunkCount; i++) {
        leaves.push(this.records.subarray(i * LEAF_RECORD_SIZE, (i + 1) * LEAF_RECORD_SIZE));
      }
      this.#tree = MerkleTree.fromLeaves(leaves, { hasher: this.#hasher });
    }
    return {
      pageBits,
      pageIndex,
      chunkCount: this.chunkCount,
      records: this.records.subarray(r.start * LEAF_RECORD_SIZE, r.end * LEAF_RECORD_SIZE),
      proof: this.#tree.rangeProof(r.start, r.end),
    };
  }

  #check(op: string, index: number): void {
    assertInteger(`Manifest.${op}`, 'index', index, 0, Math.max(0, this.chunkCount - 1));
    if (this.chunkCount === 0) throw new RangeError(`Manifest.${op}: the blob has no chunks`);
  }
}
