import { assertBytes, assertInteger, type Codec, CodecError, type Decoded, describe } from '@syncwire/bytes';
import { emptyRoot, type Hasher } from '@syncwire/merkle';
import { HASH_SIZE, MAX_CHUNK_LENGTH } from './leaf-record.ts';
import { type BlobOptions, resolveHasher } from './options.ts';

/** What a BlobId authenticates: the shape and size of the blob and the root of its manifest tree. */
export interface ManifestHeader {
  /** Number of chunks (leaf records), 0..2^32. */
  chunkCount: number;
  /** Total bytes of the blob, 0..2^53 - 1. */
  byteLength: number;
  /** RFC 9162 tree hash over the leaf records (`SHA-256()` for the empty blob). 32 bytes. */
  root: Uint8Array;
}

/** Encoded size of a {@link ManifestHeader}: `u64 chunkCount ‖ u64 byteLength ‖ root`. */
export const MANIFEST_HEADER_SIZE = 48;
/** Domain tag of a BlobId preimage (0x00 and 0x01 are the RFC 9162 leaf and node prefixes). */
export const BLOB_ID_TAG = 0x02;
/** Most chunks a blob may have: 2^32. */
export const MAX_CHUNK_COUNT = 2 ** 32;

/** Limits of the header codec. */
export interface HeaderCodecOptions {
  /** Most chunks accepted. Default and maximum 2^32. */
  maxChunks?: number;
  /** Largest blob accepted, in bytes. Default 2^53 - 1. */
  maxByteLength?: number;
}

/**
 * Why `(chunkCount, byteLength)` cannot describe a blob, or `null` when it can: every chunk holds 1 to
 * {@link MAX_CHUNK_LENGTH} bytes, so `chunkCount ≤ byteLength ≤ chunkCount · MAX_CHUNK_LENGTH`.
 */
export function headerShapeProblem(chunkCount: number, byteLength: number): string | null {
  if (chunkCount > byteLength) return `${chunkCount} chunks cannot hold ${byteLength} bytes`;
  if (byteLength > chunkCount * MAX_CHUNK_LENGTH)
    return `${byteLength} bytes need more than ${chunkCount} chunks of at most ${MAX_CHUNK_LENGTH} bytes`;
  return null;
}

function writeU64(out: Uint8Array, at: number, v: number): void {
  const hi = Math.floor(v / 0x100000000);
  const lo = v >>> 0;
  out[at] = hi >>> 24;
  out[at + 1] = hi >>> 16;
  out[at + 2] = hi >>> 8;
  out[at + 3] = hi;
  out[at + 4] = lo >>> 24;
  out[at + 5] = lo >>> 16;
  out[at + 6] = lo >>> 8;
  out[at + 7] = lo;
}

function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
}

function checkHeader(where: string, h: ManifestHeader): void {
  if (typeof h !== 'object' || h === null) {
    throw new TypeError(`${where}: header expected an object, got ${describe(h)}`);
  }
  assertInteger(where, 'header.chunkCount', h.chunkCount, 0, MAX_CHUNK_COUNT);
  assertInteger(where, 'header.byteLength', h.byteLength, 0, Number.MAX_SAFE_INTEGER);
  assertBytes(where, 'header.root', h.root);
  if (h.root.length !== HASH_SIZE) {
    throw new RangeError(`${where}: header.root expected ${HASH_SIZE} bytes, got ${h.root.length}`);
  }
  const problem = headerShapeProblem(h.chunkCount, h.byteLength);
  if (problem !== null) throw new RangeError(`${where}: ${problem}`);
}

function writeHeader(h: ManifestHeader, out: Uint8Array, at: number): void {
  writeU64(out, at, h.chunkCount);
  writeU64(out, at + 8, h.byteLength);
  out.set(h.root, at + 16);
}

/**
 * Codec of a {@link ManifestHeader}: 48 fixed bytes, `u64 chunkCount ‖ u64 byteLength ‖ root[32]`, both
 * integers big-endian. Exactly the BlobId preimage after its tag byte. Decoded `root` is a zero-copy view.
 * Errors: `unexpected_eof`, `overflow` (byteLength ≥ 2^53), `limit_exceeded` (above `maxChunks` /
 * `maxByteLength`), `invalid_value` (a count and length no chunking can give, see {@link headerShapeProblem}).
 * @throws TypeError/RangeError on bad options.
 */
export function manifestHeaderCodec(options?: HeaderCodecOptions): Codec<ManifestHeader> {
  const where = 'manifestHeader';
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`${where}: options expected an object, got ${describe(options)}`);
  }
  const maxChunks = options?.maxChunks ?? MAX_CHUNK_COUNT;
  const maxByteLength = options?.maxByteLength ?? Number.MAX_SAFE_INTEGER;
  assertInteger(where, 'options.maxChunks', maxChunks, 0, MAX_CHUNK_COUNT);
  assertInteger(where, 'options.maxByteLength', maxByteLength, 0, Number.MAX_SAFE_INTEGER);
  return {
    encodingLength(h) {
      checkHeader(`${where}.encodingLength`, h);
      return MANIFEST_HEADER_SIZE;
    },
    encodeInto(h, out, offset) {
      checkHeader(`${where}.encodeInto`, h);
      assertBytes(`${where}.encodeInto`, 'out', out);
      assertInteger(`${where}.encodeInto`, 'offset', offset, 0, out.length);
      if (out.length - offset < MANIFEST_HEADER_SIZE) {
        throw new RangeError(
          `${where}.encodeInto: needs 48 bytes at offset ${offset}, out has ${out.length}`,
        );
      }
      writeHeader(h, out, offset);
      return MANIFEST_HEADER_SIZE;
    },
    decode(bytes, offset = 0): Decoded<ManifestHeader> {
      assertBytes(`${where}.decode`, 'bytes', bytes);
      assertInteger(`${where}.decode`, 'offset', offset, 0, bytes.length);
      if (bytes.length - offset < MANIFEST_HEADER_SIZE) {
        throw new CodecError('unexpected_eof', `${where}.decode: needs 48 bytes`, offset);
      }
      const countHi = readU32(bytes, offset);
      const countLo = readU32(bytes, offset + 4);
      const lenHi = readU32(bytes, offset + 8);
      const lenLo = readU32(bytes, offset + 12);
      if (countHi > 1 || (countHi === 1 && countLo !== 0) || countHi * 2 ** 32 + countLo > maxChunks) {
        throw new CodecError(
          'limit_exceeded',
          `${where}.decode: chunk count above the limit ${maxChunks}`,
          offset,
        );
      }
      if (lenHi >= 0x200000) {
        throw new CodecError('overflow', `${where}.decode: byteLength ≥ 2^53`, offset + 8);
      }
      const chunkCount = countHi * 2 ** 32 + countLo;
      const byteLength = lenHi * 2 ** 32 + lenLo;
      if (byteLength > maxByteLength) {
        throw new CodecError(
          'limit_exceeded',
          `${where}.decode: byteLength ${byteLength} above the limit ${maxByteLength}`,
          offset + 8,
        );
      }
      const problem = headerShapeProblem(chunkCount, byteLength);
      if (problem !== null) throw new CodecError('invalid_value', `${where}.decode: ${problem}`, offset);
      const root = bytes.subarray(offset + 16, offset + MANIFEST_HEADER_SIZE);
      return { value: { chunkCount, byteLength, root }, end: offset + MANIFEST_HEADER_SIZE };
    },
  };
}

/** {@link manifestHeaderCodec} with the default limits. */
export const manifestHeader: Codec<ManifestHeader> = /* @__PURE__ */ manifestHeaderCodec();

/** @internal BlobId with an already resolved hasher. */
export function blobIdWith(hasher: Hasher, h: ManifestHeader): Uint8Array {
  const pre = new Uint8Array(1 + MANIFEST_HEADER_SIZE);
  pre[0] = BLOB_ID_TAG;
  writeHeader(h, pre, 1);
  const out = new Uint8Array(HASH_SIZE);
  hasher.hashInto(pre, out, 0);
  return out;
}

/**
 * The BlobId of a manifest header: `SHA-256(0x02 ‖ u64 chunkCount ‖ u64 byteLength ‖ root)` (big-endian),
 * so the size and shape of the blob are authenticated along with its manifest root.
 * @throws TypeError/RangeError for a malformed header (wrong types, root not 32 bytes, impossible shape).
 */
export function blobId(header: ManifestHeader, options?: BlobOptions): Uint8Array {
  const hasher = resolveHasher('blobId', options);
  checkHeader('blobId', header);
  return blobIdWith(hasher, header);
}

/**
 * True when `header` is a possible header (shape rules; the empty blob has the empty-tree root) whose
 * BlobId is `id`. Returns false, never throws, for any hostile header or id; throws TypeError only when
 * `header` is not an object or `id` not bytes.
 */
export function verifyHeader(header: ManifestHeader, id: Uint8Array, options?: BlobOptions): boolean {
  const where = 'verifyHeader';
  const hasher = resolveHasher(where, options);
  if (typeof header !== 'object' || header === null) {
    throw new TypeError(`${where}: header expected an object, got ${describe(header)}`);
  }
  assertBytes(where, 'id', id);
  assertBytes(where, 'header.root', header.root);
  const { chunkCount, byteLength, root } = header;
  if (!Number.isInteger(chunkCount) || chunkCount < 0 || chunkCount > MAX_CHUNK_COUNT) return false;
  if (!Number.isInteger(byteLength) || byteLength < 0 || byteLength > Number.MAX_SAFE_INTEGER) return false;
  if (root.length !== HASH_SIZE || id.length !== HASH_SIZE) return false;
  if (headerShapeProblem(chunkCount, byteLength) !== null) return false;
  if (chunkCount === 0 && !sameBytes(root, emptyRoot({ hasher }))) return false;
  return sameBytes(blobIdWith(hasher, header), id);
}

/** @internal Constant-time-ish equality of two byte strings of the same length. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
