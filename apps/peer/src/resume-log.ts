import { type ManifestHeader, type ManifestPage, manifestHeader, manifestPage } from '@syncwire/blob';
import { decode, encode, equals, isCodecError } from '@syncwire/bytes';
import { encodeFrame, FrameDecoder } from '@syncwire/tlv';

/**
 * The resume sidecar of a fetch (`<out>.part.resume`): an append-only log of CRC-checked records (RFC 0001
 * frames with the CRC-32C trailer), each `u8 kind ‖ data`:
 *
 * | kind | data |
 * | --- | --- |
 * | 0 blob | BlobId (32 bytes) ‖ u8 pageBits — always first |
 * | 1 header | the verified manifest header (48 bytes) |
 * | 2 page | a verified manifest page (`manifestPage` codec) |
 * | 3 chunks | u32 BE chunk indices whose bytes were written into `<out>.part` |
 *
 * A crash can tear the last record; reading stops at the first record that is incomplete or fails its CRC, so
 * everything before it still counts. Nothing read back is trusted: the header and pages are verified against
 * the BlobId again and every listed chunk is re-hashed from `<out>.part` before it is skipped.
 */
export const RecordKind = { BLOB: 0, HEADER: 1, PAGE: 2, CHUNKS: 3 } as const;

/** What a resume log held (unverified). */
export interface ResumeLog {
  header: ManifestHeader | undefined;
  pages: ManifestPage[];
  chunks: number[];
}

/** Largest record read back: a page of 2^16 records with its proof fits with room to spare. */
const MAX_RECORD = 8 << 20;

/** One log record as bytes to append. */
export function encodeRecord(kind: number, data: Uint8Array): Uint8Array {
  const payload = new Uint8Array(1 + data.length);
  payload[0] = kind;
  payload.set(data, 1);
  return encodeFrame(payload, { checksum: true, maxFrameSize: MAX_RECORD });
}

/** The first record of a log. */
export function blobRecord(blobId: Uint8Array, pageBits: number): Uint8Array {
  const data = new Uint8Array(33);
  data.set(blobId, 0);
  data[32] = pageBits;
  return encodeRecord(RecordKind.BLOB, data);
}

export const headerRecord = (h: ManifestHeader): Uint8Array =>
  encodeRecord(RecordKind.HEADER, encode(manifestHeader, h));

export const pageRecord = (p: ManifestPage): Uint8Array =>
  encodeRecord(RecordKind.PAGE, encode(manifestPage, p));

export function chunksRecord(indices: readonly number[]): Uint8Array {
  const data = new Uint8Array(4 * indices.length);
  const view = new DataView(data.buffer);
  for (let k = 0; k < indices.length; k++) view.setUint32(4 * k, indices[k]!);
  return encodeRecord(RecordKind.CHUNKS, data);
}

/**
 * Reads a log written for `blobId` with `pageBits`; undefined when it belongs to another blob or page size (or
 * is not a log at all). Records that do not decode are skipped; a torn tail ends the log.
 */
export function readResumeLog(
  bytes: Uint8Array,
  blobId: Uint8Array,
  pageBits: number,
): ResumeLog | undefined {
  const d = new FrameDecoder({ checksum: true, maxFrameSize: MAX_RECORD });
  const log: ResumeLog = { header: undefined, pages: [], chunks: [] };
  let first = true;
  try {
    d.push(bytes);
    for (let r = d.read(); r !== null; r = d.read()) {
      const kind = r[0];
      const data = r.subarray(1);
      if (first) {
        if (kind !== RecordKind.BLOB || data.length !== 33) return undefined;
        if (!equals(data.subarray(0, 32), blobId) || data[32] !== pageBits) return undefined;
        first = false;
        continue;
      }
      try {
        if (kind === RecordKind.HEADER) log.header = decode(manifestHeader, data);
        else if (kind === RecordKind.PAGE) log.pages.push(decode(manifestPage, data));
        else if (kind === RecordKind.CHUNKS && data.length % 4 === 0) {
          const view = new DataView(data.buffer, data.byteOffset, data.length);
          for (let at = 0; at < data.length; at += 4) log.chunks.push(view.getUint32(at));
        }
      } catch (e) {
        if (!isCodecError(e)) throw e;
      }
    }
  } catch (e) {
    if (!isCodecError(e)) throw e; // a torn or corrupt record: keep what came before it
  }
  return first ? undefined : log;
}
