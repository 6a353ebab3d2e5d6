import { type ManifestHeader, type ManifestPage, manifestHeader, manifestPageCodec } from '@syncwire/blob';
import { CodecError, describe, isCodecError } from '@syncwire/bytes';
import { bytes, crc32c, crc32cCombine, fixedBytes, tlvSchema, u8, utf8 } from '@syncwire/tlv';
import { uvarint } from '@syncwire/varint';
import { decodeRanges, encodeRanges } from './ranges.ts';

/** Message type codes (the first uvarint of a frame payload). */
export const MessageType = {
  HELLO: 0x01,
  RECON: 0x02,
  HAVE: 0x03,
  WANT: 0x04,
  MANIFEST: 0x05,
  CHUNK: 0x06,
  REPAIR: 0x07,
  CREDIT: 0x08,
  CANCEL: 0x09,
  NO_DATA: 0x0a,
  ERROR: 0x0b,
  BYE: 0x0c,
  PING: 0x0d,
  PONG: 0x0e,
} as const;

/** Capability bits of HELLO; the session uses the AND of both sides'. */
export const Capability = {
  /** Scope reconciliation with RIBLT (RFC 0007). */
  RECON_RIBLT: 1,
  /** Scope reconciliation with Negentropy v1 (RFC 0007), also the fallback when RIBLT does not decode. */
  RECON_NEGENTROPY: 2,
  /** Chunks as Reed-Solomon symbols (REPAIR, codec 0). */
  REPAIR_RS: 4,
  /** Chunks as RaptorQ symbols (REPAIR, codec 1). */
  REPAIR_RAPTORQ: 8,
  /** HAVE announcements. */
  HAVE: 16,
} as const;

/** Every capability this implementation has. */
export const ALL_CAPABILITIES = 31;

/** Reconciliation algorithm of a RECON message; 0 means the responder declines (unknown scope, limits). */
export const ReconAlgo = { DECLINE: 0, RIBLT: 1, NEGENTROPY: 2 } as const;

/** What a WANT asks for. */
export const WantKind = { PAGE: 0, CHUNK: 1 } as const;

/** Why a responder sends NO_DATA. */
export const NoDataReason = { NOT_FOUND: 0, LIMIT: 1, REFUSED: 2 } as const;

/** HELLO: version range, limits, and whether the sender has already seen the receiver's HELLO. */
export interface HelloMessage {
  type: 'hello';
  versionMin: number;
  versionMax: number;
  /** Largest frame (encoded bytes) the sender accepts. */
  maxFrame: number;
  /** Requests the sender accepts in flight (its initial request credit to the peer). */
  maxInflight: number;
  /** Chunk bytes the sender accepts before it sends CREDIT (its initial byte credit to the peer). */
  initialCredit: number;
  /** True when the sender already holds the receiver's HELLO: such a HELLO is never answered. */
  ack: boolean;
  /** {@link Capability} bits the sender supports. */
  capabilities: number;
  /** The sender's peer id (1..64 bytes, stable across sessions; the driver decides what it means). */
  peerId: Uint8Array;
  /** 16 fresh random bytes per session: keys RIBLT item hashes so nobody can pick colliding ids ahead. */
  nonce: Uint8Array;
}

/** RECON: one step of reconciling a scope (a set of 32-byte ids both sides name by number). */
export interface ReconMessage {
  type: 'recon';
  scope: number;
  /** {@link ReconAlgo}. */
  algo: number;
  /** Step number chosen by the initiator; a reply carries the round it answers. */
  round: number;
  /** False from the initiator, true from the responder. */
  reply: boolean;
  /** The RIBLT or Negentropy message (RFC 0007). */
  payload: Uint8Array;
}

/** HAVE: what the sender holds of a blob, verified. */
export interface HaveMessage {
  type: 'have';
  blobId: Uint8Array;
  /** Every chunk (and the whole manifest). */
  all: boolean;
  /** Otherwise: sorted disjoint chunk ranges [start, end). */
  ranges: Array<[number, number]>;
}

/** REPAIR: one erasure-coded symbol of a chunk (instead of a CHUNK frame, on lossy links). */
export interface RepairMessage {
  type: 'repair';
  reqId: number;
  attempt: number;
  blobId: Uint8Array;
  index: number;
  /** 0 Reed-Solomon, 1 RaptorQ. */
  codec: number;
  symbolSize: number;
  /** Repair symbols on top of the source symbols. */
  repair: number;
  symbolId: number;
  symbol: Uint8Array;
}

/** WANT: one manifest page (of 2^pageBits records) or one chunk of a blob. */
export interface WantMessage {
  type: 'want';
  reqId: number;
  blobId: Uint8Array;
  kind: 'page' | 'chunk';
  /** Page index or chunk index. */
  index: number;
  /** Page size exponent (pages only; 0 for chunks). */
  pageBits: number;
  /** Retransmission count: a responder answers each (reqId, attempt) at most once. */
  attempt: number;
  /** Chunks only: ask for erasure-coded REPAIR symbols of this codec (0 RS, 1 RaptorQ) instead of CHUNK. */
  repair?: number;
}

/** MANIFEST: the blob's header and one page with its range proof. */
export interface ManifestMessage {
  type: 'manifest';
  reqId: number;
  attempt: number;
  blobId: Uint8Array;
  header: ManifestHeader;
  page: ManifestPage;
}

/** CHUNK: the bytes of one chunk. */
export interface ChunkMessage {
  type: 'chunk';
  reqId: number;
  attempt: number;
  blobId: Uint8Array;
  index: number;
  data: Uint8Array;
}

/** CREDIT: absolute limits the sender grants (idempotent under duplication and reordering). */
export interface CreditMessage {
  type: 'credit';
  /** Total chunk bytes the peer may send over the session. */
  maxBytes: number;
  /** Highest request id the peer may use. */
  maxReqId: number;
}

/** CANCEL: the requester no longer wants `reqId`. */
export interface CancelMessage {
  type: 'cancel';
  reqId: number;
}

/** NO_DATA: the responder will not answer `reqId`. */
export interface NoDataMessage {
  type: 'no-data';
  reqId: number;
  attempt: number;
  reason: number;
}

/** ERROR: fatal; the session is over. */
export interface ErrorMessage {
  type: 'error';
  code: number;
  text: string;
}

/** BYE: no new requests from the sender; it finishes what is queued. */
export interface ByeMessage {
  type: 'bye';
  reason: number;
}

/** PING / PONG: keepalive and RTT probe. */
export interface PingMessage {
  type: 'ping' | 'pong';
  nonce: number;
}

/** Every session message. */
export type Message =
  | HelloMessage
  | ReconMessage
  | HaveMessage
  | WantMessage
  | ManifestMessage
  | ChunkMessage
  | RepairMessage
  | CreditMessage
  | CancelMessage
  | NoDataMessage
  | ErrorMessage
  | ByeMessage
  | PingMessage;

const id32 = fixedBytes(32);
const hello = tlvSchema({
  versionMin: { type: 0, codec: uvarint },
  versionMax: { type: 2, codec: uvarint },
  maxFrame: { type: 4, codec: uvarint },
  maxInflight: { type: 6, codec: uvarint },
  initialCredit: { type: 8, codec: uvarint },
  ack: { type: 10, codec: u8 },
  capabilities: { type: 12, codec: uvarint },
  peerId: { type: 14, codec: bytes },
  nonce: { type: 16, codec: fixedBytes(16) },
});
const recon = tlvSchema({
  scope: { type: 0, codec: uvarint },
  algo: { type: 2, codec: uvarint },
  round: { type: 4, codec: uvarint },
  reply: { type: 6, codec: u8 },
  payload: { type: 8, codec: bytes },
});
const have = tlvSchema({
  blobId: { type: 0, codec: fixedBytes(32) },
  all: { type: 2, codec: u8 },
  ranges: { type: 4, codec: bytes },
});
const repair = tlvSchema({
  reqId: { type: 0, codec: uvarint },
  attempt: { type: 2, codec: uvarint },
  blobId: { type: 4, codec: fixedBytes(32) },
  index: { type: 6, codec: uvarint },
  codec: { type: 8, codec: uvarint },
  symbolSize: { type: 10, codec: uvarint },
  repair: { type: 12, codec: uvarint },
  symbolId: { type: 14, codec: uvarint },
  symbol: { type: 16, codec: bytes },
});
const want = tlvSchema({
  reqId: { type: 0, codec: uvarint },
  blobId: { type: 2, codec: id32 },
  kind: { type: 4, codec: u8 },
  index: { type: 6, codec: uvarint },
  pageBits: { type: 8, codec: uvarint },
  attempt: { type: 10, codec: uvarint },
  // Odd: an optional extension a responder without REPAIR may ignore (it then answers with CHUNK).
  repair: { type: 11, codec: uvarint },
});
const page = manifestPageCodec({ maxPageBits: 16 });
const manifest = tlvSchema({
  reqId: { type: 0, codec: uvarint },
  attempt: { type: 2, codec: uvarint },
  blobId: { type: 4, codec: id32 },
  header: { type: 6, codec: manifestHeader },
  page: { type: 8, codec: page },
});
const chunk = tlvSchema({
  reqId: { type: 0, codec: uvarint },
  attempt: { type: 2, codec: uvarint },
  blobId: { type: 4, codec: id32 },
  index: { type: 6, codec: uvarint },
  data: { type: 8, codec: bytes },
});
/** CHUNK without its data record (type 8, the last): the fast path writes the data itself. */
const chunkHead = tlvSchema({
  reqId: { type: 0, codec: uvarint },
  attempt: { type: 2, codec: uvarint },
  blobId: { type: 4, codec: id32 },
  index: { type: 6, codec: uvarint },
});
const credit = tlvSchema({ maxBytes: { type: 0, codec: uvarint }, maxReqId: { type: 2, codec: uvarint } });
const cancel = tlvSchema({ reqId: { type: 0, codec: uvarint } });
const noData = tlvSchema({
  reqId: { type: 0, codec: uvarint },
  attempt: { type: 2, codec: uvarint },
  reason: { type: 4, codec: uvarint },
});
const error = tlvSchema({ code: { type: 0, codec: uvarint }, text: { type: 2, codec: utf8 } });
const bye = tlvSchema({ reason: { type: 0, codec: uvarint } });
const ping = tlvSchema({ nonce: { type: 0, codec: uvarint } });

function withType(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(uvarint.encodingLength(type) + body.length);
  const n = uvarint.encodeInto(type, out, 0);
  out.set(body, n);
  return out;
}

/**
 * Encodes a message as a frame payload: `uvarint type ‖ TLV stream` (RFC 0008 §Session).
 * @throws TypeError/RangeError for a malformed message object.
 */
export function encodeMessage(m: Message): Uint8Array {
  if (typeof m !== 'object' || m === null) {
    throw new TypeError(`encodeMessage: message expected an object, got ${describe(m)}`);
  }
  switch (m.type) {
    case 'hello':
      return withType(MessageType.HELLO, hello.encode({ ...m, ack: m.ack ? 1 : 0 }));
    case 'recon':
      return withType(MessageType.RECON, recon.encode({ ...m, reply: m.reply ? 1 : 0 }));
    case 'have':
      return withType(
        MessageType.HAVE,
        have.encode({ blobId: m.blobId, all: m.all ? 1 : 0, ranges: encodeRanges(m.ranges) }),
      );
    case 'repair':
      return withType(MessageType.REPAIR, repair.encode(m));
    case 'want':
      return withType(
        MessageType.WANT,
        want.encode({ ...m, kind: m.kind === 'page' ? WantKind.PAGE : WantKind.CHUNK }),
      );
    case 'manifest':
      return withType(MessageType.MANIFEST, manifest.encode(m));
    case 'chunk':
      return withType(MessageType.CHUNK, chunk.encode(m));
    case 'credit':
      return withType(MessageType.CREDIT, credit.encode(m));
    case 'cancel':
      return withType(MessageType.CANCEL, cancel.encode(m));
    case 'no-data':
      return withType(MessageType.NO_DATA, noData.encode(m));
    case 'error':
      return withType(MessageType.ERROR, error.encode(m));
    case 'bye':
      return withType(MessageType.BYE, bye.encode(m));
    case 'ping':
      return withType(MessageType.PING, ping.encode(m));
    case 'pong':
      return withType(MessageType.PONG, ping.encode(m));
    default:
      throw new TypeError(`encodeMessage: unknown message type ${describe((m as { type: unknown }).type)}`);
  }
}

function need<T>(name: string, field: string, v: T | undefined): T {
  if (v === undefined) throw new CodecError('invalid_value', `${name}: missing field ${field}`);
  return v;
}

function req<T extends object>(name: string, obj: T, fields: (keyof T & string)[]): Required<T> {
  for (const f of fields) need(name, f, obj[f]);
  return obj as Required<T>;
}

/**
 * Decodes a frame payload into a message. Every field is required; unknown odd TLV types are skipped
 * (extensions), unknown even ones and unknown message types are errors. Byte fields are zero-copy views.
 * @throws CodecError for any malformed payload (`invalid_tag` for an unknown message type, `invalid_value`
 *   for a missing field or an out-of-range flag, and the TLV / uvarint / blob codec errors).
 */
export function decodeMessage(payload: Uint8Array): Message {
  const { value: type, end } = uvarint.decode(payload, 0);
  const body = payload.subarray(end);
  try {
    switch (type) {
      case MessageType.HELLO: {
        const h = req('HELLO', hello.decode(body), [
          'versionMin',
          'versionMax',
          'maxFrame',
          'maxInflight',
          'initialCredit',
          'ack',
          'capabilities',
          'peerId',
          'nonce',
        ]);
        if (h.ack > 1) throw new CodecError('invalid_value', 'HELLO: ack must be 0 or 1');
        if (h.peerId.length < 1 || h.peerId.length > 64) {
          throw new CodecError('invalid_value', `HELLO: peerId of ${h.peerId.length} bytes (1..64)`);
        }
        return { type: 'hello', ...h, ack: h.ack === 1 };
      }
      case MessageType.RECON: {
        const r = req('RECON', recon.decode(body), ['scope', 'algo', 'round', 'reply', 'payload']);
        if (r.reply > 1) throw new CodecError('invalid_value', 'RECON: reply must be 0 or 1');
        return { type: 'recon', ...r, reply: r.reply === 1 };
      }
      case MessageType.HAVE: {
        const h = req('HAVE', have.decode(body), ['blobId', 'all', 'ranges']);
        if (h.all > 1) throw new CodecError('invalid_value', 'HAVE: all must be 0 or 1');
        return { type: 'have', blobId: h.blobId, all: h.all === 1, ranges: decodeRanges(h.ranges) };
      }
      case MessageType.REPAIR:
        return {
          type: 'repair',
          ...req('REPAIR', repair.decode(body), [
            'reqId',
            'attempt',
            'blobId',
            'index',
            'codec',
            'symbolSize',
            'repair',
            'symbolId',
            'symbol',
          ]),
        };
      case MessageType.WANT: {
        const w = req('WANT', want.decode(body), ['reqId', 'blobId', 'kind', 'index', 'pageBits', 'attempt']);
        if (w.kind > 1) throw new CodecError('invalid_value', `WANT: unknown kind ${w.kind}`);
        const { repair: coded, ...rest } = w;
        const out: WantMessage = { type: 'want', ...rest, kind: w.kind === WantKind.PAGE ? 'page' : 'chunk' };
        if (coded !== undefined) out.repair = coded;
        return out;
      }
      case MessageType.MANIFEST:
        return {
          type: 'manifest',
          ...req('MANIFEST', manifest.decode(body), ['reqId', 'attempt', 'blobId', 'header', 'page']),
        };
      case MessageType.CHUNK:
        return {
          type: 'chunk',
          ...req('CHUNK', chunk.decode(body), ['reqId', 'attempt', 'blobId', 'index', 'data']),
        };
      case MessageType.CREDIT:
        return { type: 'credit', ...req('CREDIT', credit.decode(body), ['maxBytes', 'maxReqId']) };
      case MessageType.CANCEL:
        return { type: 'cancel', ...req('CANCEL', cancel.decode(body), ['reqId']) };
      case MessageType.NO_DATA:
        return { type: 'no-data', ...req('NO_DATA', noData.decode(body), ['reqId', 'attempt', 'reason']) };
      case MessageType.ERROR:
        return { type: 'error', ...req('ERROR', error.decode(body), ['code', 'text']) };
      case MessageType.BYE:
        return { type: 'bye', ...req('BYE', bye.decode(body), ['reason']) };
      case MessageType.PING:
      case MessageType.PONG:
        return {
          type: type === MessageType.PING ? 'ping' : 'pong',
          ...req('PING', ping.decode(body), ['nonce']),
        };
      default:
        throw new CodecError('invalid_tag', `decodeMessage: unknown message type ${type}`, 0);
    }
  } catch (e) {
    if (isCodecError(e) && e.offset >= 0) throw new CodecError(e.code, e.message, e.offset + end);
    throw e;
  }
}

/**
 * The frame of a CHUNK message written with one copy of the data: byte-identical to
 * `wrapFrame(encodeMessage(m))`, without the intermediate buffers (the hot path of a serving peer). Pass
 * `dataCrc` = `crc32c(m.data)` when it is stored with the chunk: the data is then not read a second time (a
 * wrong value only makes the frame look corrupted).
 */
export function encodeChunkFrame(m: ChunkMessage, dataCrc?: number): Uint8Array {
  const head = chunkHead.encode(m);
  const n = m.data.length;
  const payloadLength = 1 + head.length + 1 + uvarint.encodingLength(n) + n;
  const out = new Uint8Array(uvarint.encodingLength(payloadLength) + payloadLength + 4);
  let o = uvarint.encodeInto(payloadLength, out, 0);
  const start = o;
  out[o++] = MessageType.CHUNK;
  out.set(head, o);
  o += head.length;
  out[o++] = 8; // TLV type of `data`
  o += uvarint.encodeInto(n, out, o);
  out.set(m.data, o);
  // With the data's CRC known (stored with the chunk), only the few header bytes are read again.
  const c =
    dataCrc === undefined
      ? crc32c(out.subarray(start, o + n))
      : crc32cCombine(crc32c(out.subarray(start, o)), dataCrc, n);
  o += n;
  out[o] = c;
  out[o + 1] = c >>> 8;
  out[o + 2] = c >>> 16;
  out[o + 3] = c >>> 24;
  return out;
}
