import type { Hasher } from '@syncwire/merkle';

/** Bytes per leaf record: `u32 length (big-endian) ‖ SHA-256(chunk)`. */
export const LEAF_RECORD_SIZE = 36;
/** Bytes per digest in a leaf record, the manifest root and a BlobId. */
export const HASH_SIZE = 32;
/**
 * Longest chunk a leaf record may describe: 16 MiB, the largest FastCDC `max` (`LIMITS.maxMax`). A record
 * with length 0 or above this is invalid.
 */
export const MAX_CHUNK_LENGTH = 16_777_216;

/** Length field of record `index` of `records` (records back to back). */
export function recordLength(records: Uint8Array, index: number): number {
  const at = index * LEAF_RECORD_SIZE;
  // Big-endian, like every fixed-width integer in syncwire hash preimages (RFC 9162 / TLS order).
  return (
    ((records[at]! << 24) >>> 0) + ((records[at + 1]! << 16) | (records[at + 2]! << 8) | records[at + 3]!)
  );
}

/** Digest of record `index` (a zero-copy view). */
export function recordDigest(records: Uint8Array, index: number): Uint8Array {
  const at = index * LEAF_RECORD_SIZE + 4;
  return records.subarray(at, at + HASH_SIZE);
}

/** @internal Writes the leaf record of `chunk` at `out[offset..offset + 36)`. */
export function writeLeafRecord(hasher: Hasher, chunk: Uint8Array, out: Uint8Array, offset: number): void {
  const n = chunk.length;
  out[offset] = n >>> 24;
  out[offset + 1] = n >>> 16;
  out[offset + 2] = n >>> 8;
  out[offset + 3] = n;
  hasher.hashInto(chunk, out, offset + 4);
}

/** @internal True when record `index` of `records` describes exactly `chunk`. */
export function chunkMatches(
  hasher: Hasher,
  records: Uint8Array,
  index: number,
  chunk: Uint8Array,
  scratch: Uint8Array,
): boolean {
  if (recordLength(records, index) !== chunk.length) return false;
  hasher.hashInto(chunk, scratch, 0);
  const at = index * LEAF_RECORD_SIZE + 4;
  let diff = 0;
  for (let i = 0; i < HASH_SIZE; i++) diff |= scratch[i]! ^ records[at + i]!;
  return diff === 0;
}
