import { type FileHandle, open, stat } from 'node:fs/promises';
import { buildManifestFromStream, type Manifest } from '@syncwire/blob';
import { toHex } from '@syncwire/bytes';
import { nodeSha256Hasher } from '@syncwire/merkle/node';
import { crc32c } from '@syncwire/tlv';

/** A file published by a serving peer: its manifest, each chunk's CRC-32C, and an open handle to read chunks. */
export interface BlobFile {
  readonly path: string;
  readonly manifest: Manifest;
  /** The BlobId as 64 lowercase hex digits (what `fetch` takes). */
  readonly idHex: string;
  /** CRC-32C of every chunk, computed once so serving a chunk never reads it twice. */
  readonly crcs: Uint32Array;
  /** Length of its longest chunk (0 for the empty file). */
  readonly maxChunk: number;
  /** Reads chunk `index` (a fresh buffer). */
  readChunk(index: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * Opens a file to serve: one streaming pass builds its manifest (FastCDC + SHA-256 from `node:crypto`) and the
 * chunk CRCs; memory stays at one read buffer plus 40 bytes per chunk. The file must not change while served:
 * a fetching peer would reject the changed chunks (they fail their SHA-256) and score this peer for them.
 */
export async function openBlobFile(path: string): Promise<BlobFile> {
  const crcs: number[] = [];
  let maxChunk = 0;
  // A device or FIFO may never end (/dev/zero) or block the open itself, and cannot be read at offsets anyway.
  if (!(await stat(path)).isFile()) throw new Error(`${path}: not a regular file`);
  const handle: FileHandle = await open(path, 'r');
  let manifest: Manifest;
  try {
    const stream = handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false, start: 0 });
    manifest = await buildManifestFromStream(stream, {
      hasher: nodeSha256Hasher,
      onChunk: (c) => {
        crcs[c.index] = crc32c(c.bytes);
        if (c.bytes.length > maxChunk) maxChunk = c.bytes.length;
      },
    });
  } catch (e) {
    await handle.close();
    throw e;
  }
  return {
    path,
    manifest,
    idHex: toHex(manifest.id),
    crcs: Uint32Array.from(crcs),
    maxChunk,
    async readChunk(index: number): Promise<Uint8Array> {
      const at = manifest.chunkOffset(index);
      const length = manifest.chunkLength(index);
      const buf = Buffer.allocUnsafeSlow(length);
      const { bytesRead } = await handle.read(buf, 0, length, at);
      if (bytesRead !== length) throw new Error(`${path} is shorter than when it was published`);
      return buf;
    },
    close: () => handle.close(),
  };
}
