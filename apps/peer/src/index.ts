/**
 * The syncwire reference peer: publish files to TCP peers and fetch blobs from many peers at once, every
 * manifest page and chunk verified, resumable after a crash or a dropped connection. The `syncwire-peer`
 * CLI is a thin shell over these functions.
 *
 * @example
 * ```ts
 * import { fetchBlob, servePeer } from '@syncwire/peer';
 * const server = await servePeer(['video.mp4']);
 * const [file] = server.files;
 * await fetchBlob(file!.idHex, { peers: [server.address], out: 'copy.mp4' });
 * await server.close();
 * ```
 * @module
 */
export { formatAddress, type PeerAddress, parseAddress } from './address.ts';
export { type BlobFile, openBlobFile } from './blob-file.ts';
export { BlobWriter, type Resumed } from './blob-writer.ts';
export { type ConnectionOptions, type ConnectionStats, PeerConnection } from './connection.ts';
export { EXIT_CODES, isPeerError, PeerError, type PeerErrorCode } from './errors.ts';
export {
  type FetchOptions,
  type FetchProgress,
  type FetchResult,
  fetchBlob,
  type PeerReport,
  parseBlobId,
} from './fetch.ts';
export { type PeerServer, type ServeOptions, type ServerStats, servePeer } from './server.ts';
