import { assertBytes, assertInteger, type Codec, CodecError, type Decoded, describe } from '@syncwire/bytes';
import { hashLeaf, rangeProofLength, verifyRange } from '@syncwire/merkle';
import { uvarint } from '@syncwire/varint';
import type { ManifestHeader } from './header.ts';
import { MAX_CHUNK_COUNT } from './header.ts';
import { HASH_SIZE, LEAF_RECORD_SIZE, MAX_CHUNK_LENGTH, recordLength } from './leaf-record.ts';
import { type BlobOptions, resolveHasher } from './options.ts';

/**
 * One page of a manifest: the leaf records [pageIndex·2^pageBits, min((pageIndex+1)·2^pageBits, chunkCount))
 * and the RFC 9162 range proof that ties them to the manifest root.
 */
export interface ManifestPage {
  /** Page size exponent: a page holds up to 2^pageBits records. */
  pageBits: number;
  /** Which page (0-based). */
  pageIndex: number;
  /** Chunks in the whole blob (the tree size the proof is for). */
  chunkCount: number;
  /** The page's leaf records back to back, 36 bytes each. */
  records: Uint8Array;
  /** Range proof hashes back to back (`rangeProofLength(start, end, chunkCount)` of them). */
  proof: Uint8Array;
}

/** Chunk index range [start, end) of page `pageIndex`; `null` when the page lies outside the blob. */
export function pageRange(
  pageBits: number,
  pageIndex: number,
  chunkCount: number,
): { start: number; end: number } | null {
  const size = 2 ** pageBits;
  const start = pageIndex * size;
  if (!Number.isSafeInteger(start) || start >= chunkCount) return null;
  return { start, end: Math.min(start + size, chunkCount) };
}

/** Number of pages of 2^pageBits records a blob of `chunkCount` chunks has. */
export function pageCount(pageBits: number, chunkCount: number): number {
  return Math.ceil(chunkCount / 2 ** pageBits);
}

/** Limits of the page codec. */
export interface PageCodecOptions {
  /** Largest page size exponent accepted. Default 16 (65 536 records, 2.25 MiB); at most 32. */
  maxPageBits?: number;
  /** Most chunks the page's blob may have. Default 2^32. */
  maxChunks?: number;
}

/** Shape of a page: record count and proof hash count implied by its header, or a reason it is impossible. */
function shape(
  pageBits: number,
  pageIndex: number,
  chunkCount: number,
): { records: number; hashes: number } | null {
  const r = pageRange(pageBits, pageIndex, chunkCount);
  if (r === null) return null;
  return { records: r.end - r.start, hashes: rangeProofLength(r.start, r.end, chunkCount) };
}

function checkPage(where: string, p: ManifestPage, maxPageBits: number): number {
  if (typeof p !== 'object' || p === null)
    throw new TypeError(`${where}: page expected an object, got ${describe(p)}`);
  assertInteger(where, 'page.pageBits', p.pageBits, 0, maxPageBits);
  assertInteger(where, 'page.pageIndex', p.pageIndex, 0, Number.MAX_SAFE_INTEGER);
  assertInteger(where, 'page.chunkCount', p.chunkCount, 1, MAX_CHUNK_COUNT);
  assertBytes(where, 'page.records', p.records);
  assertBytes(where, 'page.proof', p.proof);
  const s = shape(p.pageBits, p.pageIndex, p.chunkCount);
  if (s === null) {
    throw new RangeError(
      `${where}: page ${p.pageIndex} of 2^${p.pageBits} lies outside ${p.chunkCount} chunks`,
    );
  }
  if (p.records.length !== s.records * LEAF_RECORD_SIZE || p.proof.length !== s.hashes * HASH_SIZE) {
    throw new RangeError(
      `${where}: page expected ${s.records} records and ${s.hashes} proof hashes, got ${p.records.length} and ${p.proof.length} bytes`,
    );
  }
  return (
    uvarint.encodingLength(p.pageBits) +
    uvarint.encodingLength(p.pageIndex) +
    uvarint.encodingLength(p.chunkCount) +
    p.records.length +
    p.proof.length
  );
}

/**
 * Codec of a {@link ManifestPage}: `uvarint pageBits ‖ uvarint pageIndex ‖ uvarint chunkCount ‖ records ‖
 * proof`. The record and proof-hash counts are implied by the three integers (so a header can never
 * announce more than the tree shape allows) and are checked against the limits and the bytes present
 * before anything is read. Decoded `records` and `proof` are zero-copy views of the input. Errors:
 * uvarint errors (`not_minimal`, `overflow`, `unexpected_eof`), `limit_exceeded` (pageBits or chunkCount
 * above the limits), `out_of_range` (chunkCount 0, page outside the blob), `unexpected_eof`.
 * @throws TypeError/RangeError on bad options.
 */
export function manifestPageCodec(options?: PageCodecOptions): Codec<ManifestPage> {
  const where = 'manifestPage';
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`${where}: options expected an object, got ${describe(options)}`);
  }
  const maxPageBits = options?.maxPageBits ?? 16;
  const maxChunks = options?.maxChunks ?? MAX_CHUNK_COUNT;
  assertInteger(where, 'options.maxPageBits', maxPageBits, 0, 32);
  assertInteger(where, 'options.maxChunks', maxChunks, 1, MAX_CHUNK_COUNT);
  return {
    encodingLength(p) {
      return checkPage(`${where}.encodingLength`, p, maxPageBits);
    },
    encodeInto(p, out, offset) {
      const total = checkPage(`${where}.encodeInto`, p, maxPageBits);
      assertBytes(`${where}.encodeInto`, 'out', out);
      assertInteger(`${where}.encodeInto`, 'offset', offset, 0, out.length);
      if (out.length - offset < total) {
        throw new RangeError(
          `${where}.encodeInto: needs ${total} bytes at offset ${offset}, out has ${out.length}`,
        );
      }
      let o = offset;
      o += uvarint.encodeInto(p.pageBits, out, o);
      o += uvarint.encodeInto(p.pageIndex, out, o);
      o += uvarint.encodeInto(p.chunkCount, out, o);
      out.set(p.records, o);
      out.set(p.proof, o + p.records.length);
      return total;
    },
    decode(bytes, offset = 0): Decoded<ManifestPage> {
      assertBytes(`${where}.decode`, 'bytes', bytes);
      assertInteger(`${where}.decode`, 'offset', offset, 0, bytes.length);
      const a = uvarint.decode(bytes, offset);
      if (a.value > maxPageBits) {
        throw new CodecError(
          'limit_exceeded',
          `${where}.decode: pageBits ${a.value} above ${maxPageBits}`,
          offset,
        );
      }
      const b = uvarint.decode(bytes, a.end);
      const c = uvarint.decode(bytes, b.end);
      if (c.value > maxChunks) {
        throw new CodecError(
          'limit_exceeded',
          `${where}.decode: chunkCount ${c.value} above ${maxChunks}`,
          b.end,
        );
      }
      const s = c.value === 0 ? null : shape(a.value, b.value, c.value);
      if (s === null) {
        throw new CodecError(
          'out_of_range',
          `${where}.decode: page ${b.value} of 2^${a.value} records lies outside ${c.value} chunks`,
          a.end,
        );
      }
      const o = c.end;
      const recBytes = s.records * LEAF_RECORD_SIZE;
      const need = recBytes + s.hashes * HASH_SIZE;
      if (bytes.length - o < need) {
        throw new CodecError(
          'unexpected_eof',
          `${where}.decode: needs ${need} bytes, has ${bytes.length - o}`,
          o,
        );
      }
      return {
        value: {
          pageBits: a.value,
          pageIndex: b.value,
          chunkCount: c.value,
          records: bytes.subarray(o, o + recBytes),
          proof: bytes.subarray(o + recBytes, o + need),
        },
        end: o + need,
      };
    },
  };
}

/** {@link manifestPageCodec} with the default limits. */
export const manifestPage: Codec<ManifestPage> = /* @__PURE__ */ manifestPageCodec();

/**
 * True when `page` holds exactly the leaf records of its position in the manifest whose header is `header`
 * (check the header against the BlobId first, with `verifyHeader`): the page's chunk count equals the
 * header's, each record's length is 1..16 MiB, and its range proof leads to `header.root`. Returns false,
 * never throws, for any malformed page; throws TypeError only when `page`/`header` are not objects.
 */
export function verifyPage(header: ManifestHeader, page: ManifestPage, options?: BlobOptions): boolean {
  const where = 'verifyPage';
  const hasher = resolveHasher(where, options);
  if (typeof page !== 'object' || page === null)
    throw new TypeError(`${where}: page expected an object, got ${describe(page)}`);
  if (typeof header !== 'object' || header === null) {
    throw new TypeError(`${where}: header expected an object, got ${describe(header)}`);
  }
  const { pageBits, pageIndex, chunkCount, records, proof } = page;
  if (!(records instanceof Uint8Array) || !(proof instanceof Uint8Array)) return false;
  if (chunkCount !== header.chunkCount || !(header.root instanceof Uint8Array)) return false;
  if (!Number.isInteger(pageBits) || pageBits < 0 || pageBits > 32) return false;
  if (!Number.isInteger(pageIndex) || pageIndex < 0 || !Number.isInteger(chunkCount)) return false;
  const s = shape(pageBits, pageIndex, chunkCount);
  if (
    s === null ||
    records.length !== s.records * LEAF_RECORD_SIZE ||
    proof.length !== s.hashes * HASH_SIZE
  ) {
    return false;
  }
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < s.records; i++) {
    const len = recordLength(records, i);
    if (len === 0 || len > MAX_CHUNK_LENGTH) return false;
    leaves.push(hashLeaf(records.subarray(i * LEAF_RECORD_SIZE, (i + 1) * LEAF_RECORD_SIZE), { hasher }));
  }
  return verifyRange(leaves, pageIndex * 2 ** pageBits, chunkCount, proof, header.root, { hasher });
}
