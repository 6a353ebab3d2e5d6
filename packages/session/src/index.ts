/**
 * The syncwire sync session: a sans-IO state machine that fetches content-addressed blobs
 * (`@syncwire/blob`) from one peer over any frame transport that may drop, duplicate, reorder or corrupt.
 * HELLO negotiates version and limits; WANT asks for manifest pages and chunks; MANIFEST and CHUNK are
 * verified on arrival; CREDIT grants absolute byte and request limits; NO_DATA, CANCEL, ERROR, BYE and PING
 * complete the set (RFC 0008).
 *
 * @example
 * ```ts
 * import { SyncSession } from '@syncwire/session';
 * const s = new SyncSession();
 * s.want(blobId);
 * for (let f; (f = s.pollTransmit(now)); ) transport.send(f);
 * transport.onFrame = (f) => s.handleFrame(f, Date.now());
 * for (let e; (e = s.pollEvent()); ) if (e.type === 'store-chunk') store.put(e.index, e.bytes);
 * ```
 * @module
 */
export { ErrorCode, isSyncProtocolError, SyncProtocolError } from './errors.ts';
export type { SessionEvent } from './events.ts';
export { BlobState, type ResumeData } from './fetch.ts';
export { unwrapFrame, wrapFrame } from './frame.ts';
export {
  ALL_CAPABILITIES,
  type ByeMessage,
  type CancelMessage,
  Capability,
  type ChunkMessage,
  type CreditMessage,
  decodeMessage,
  type ErrorMessage,
  encodeChunkFrame,
  encodeMessage,
  type HaveMessage,
  type HelloMessage,
  type ManifestMessage,
  type Message,
  MessageType,
  type NoDataMessage,
  NoDataReason,
  type PingMessage,
  ReconAlgo,
  type ReconMessage,
  type RepairMessage,
  WantKind,
  type WantMessage,
} from './messages.ts';
export { PROTOCOL_VERSION, SESSION_DEFAULTS, type SessionOptions } from './options.ts';
export { decodeRanges, encodeRanges, MAX_HAVE_RANGES } from './ranges.ts';
export type { ReconResult } from './recon.ts';
export {
  checkRepairParams,
  DEFAULT_REPAIR_OVERHEAD,
  DEFAULT_REPAIR_SYMBOL_SIZE,
  MAX_REPAIR_LENGTH,
  negotiatedRepair,
  RepairCodec,
  type RepairCodecId,
  type RepairLimits,
  type RepairParams,
  type RepairParamsOptions,
  repairParams,
} from './repair.ts';
export { type RepairAddResult, RepairDecoder, type RepairDecoderOptions } from './repair-decoder.ts';
export { RepairEncoder } from './repair-encoder.ts';
export {
  type ItemFailure,
  type LocalChunkLookup,
  PENALTY,
  type SessionState,
  type SessionStats,
  SyncSession,
} from './session.ts';
export { Swarm, type SwarmEvent, type SwarmOptions } from './swarm.ts';
