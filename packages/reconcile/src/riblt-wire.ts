import { assertBytes, assertInteger, CodecError, isCodecError } from '@syncwire/bytes';
import { uvarint } from '@syncwire/varint';
import { type Cells, ID_BYTES } from './riblt-cells.ts';

/** Largest set size a batch may declare: counts live in Int32 cells. */
export const MAX_SET_SIZE = 0x7fffffff;
/** Bytes per symbol besides its count varint: 32-byte id XOR + 8-byte hash XOR. */
export const FIXED_SYMBOL_BYTES = ID_BYTES + 8;

/** Message tags of the RIBLT exchange (RFC 0007 §Messages). */
export const RibltTag = {
  /** Requester → responder: send symbols `[start, start + count)`. */
  Want: 0x01,
  /** Responder → requester: a batch of coded symbols. */
  Symbols: 0x02,
  /** Requester → responder: decoded, stop sending. */
  Done: 0x03,
  /** Requester → responder: symbol cap reached, stop; the caller falls back (e.g. to Negentropy). */
  GiveUp: 0x04,
} as const;

/** Limits for decoding RIBLT messages. */
export interface RibltWireLimits {
  /** Largest message accepted, in bytes. Default 262144 (256 KiB). */
  maxFrameBytes?: number;
  /** Most symbols one batch may carry. Default 4096. */
  maxBatchSymbols?: number;
  /** Symbol indices at or above this are refused (the symbol cap). Default 1048576. */
  maxSymbols?: number;
}

/** Defaults of {@link RibltWireLimits}. */
export const DEFAULT_RIBLT_LIMITS: Required<RibltWireLimits> = {
  maxFrameBytes: 256 * 1024,
  maxBatchSymbols: 4096,
  maxSymbols: 1 << 20,
};

/**
 * A decoded batch of coded symbols `[start, start + count)` from a peer whose set has `setSize` items.
 * `ids` (32 bytes per symbol) and `hashes` (8 LE bytes per symbol) are zero-copy views into the message.
 */
export interface SymbolBatch {
  setSize: number;
  start: number;
  count: number;
  ids: Uint8Array;
  hashes: Uint8Array;
  counts: Int32Array;
}

/** A decoded RIBLT message. */
export type RibltMessage =
  | { type: 'want'; start: number; count: number }
  | ({ type: 'symbols' } & SymbolBatch)
  | { type: 'done' }
  | { type: 'give-up' };

/**
 * Expected count of coded symbol `i` for a set of `setSize` items: ⌊2·setSize/(i + 2)⌋ = ⌊setSize·ρ(i)⌋.
 * The wire carries only the deviation from it (zigzag varint), usually one byte instead of two or three.
 */
export function expectedCount(setSize: number, i: number): number {
  return Math.floor((2 * setSize) / (i + 2));
}

function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

function limitsOf(limits: RibltWireLimits | undefined): Required<RibltWireLimits> {
  const l = { ...DEFAULT_RIBLT_LIMITS, ...limits };
  assertInteger('riblt', 'maxFrameBytes', l.maxFrameBytes, 1, 2 ** 31);
  assertInteger('riblt', 'maxBatchSymbols', l.maxBatchSymbols, 1, 2 ** 24);
  assertInteger('riblt', 'maxSymbols', l.maxSymbols, 1, 2 ** 31);
  return l;
}

/**
 * Encodes cells `[from, from + count)` of `cells` as a SYMBOLS message whose first symbol has index `start`.
 * Exact-size allocation.
 */
export function encodeSymbols(
  cells: Cells,
  from: number,
  start: number,
  count: number,
  setSize: number,
): Uint8Array {
  assertInteger('riblt.encodeSymbols', 'setSize', setSize, 0, MAX_SET_SIZE);
  assertInteger('riblt.encodeSymbols', 'start', start, 0, Number.MAX_SAFE_INTEGER);
  assertInteger('riblt.encodeSymbols', 'count', count, 0, 2 ** 24);
  let size =
    1 + uvarint.encodingLength(setSize) + uvarint.encodingLength(start) + uvarint.encodingLength(count);
  size += count * FIXED_SYMBOL_BYTES;
  for (let k = 0; k < count; k++) {
    size += uvarint.encodingLength(zigzag(cells.counts[from + k]! - expectedCount(setSize, start + k)));
  }
  const out = new Uint8Array(size);
  out[0] = RibltTag.Symbols;
  let p = 1;
  p += uvarint.encodeInto(setSize, out, p);
  p += uvarint.encodeInto(start, out, p);
  p += uvarint.encodeInto(count, out, p);
  const ids = cells.ids;
  for (let k = 0; k < 8 * count; k++) {
    const w = ids[8 * from + k]!;
    out[p] = w;
    out[p + 1] = w >>> 8;
    out[p + 2] = w >>> 16;
    out[p + 3] = w >>> 24;
    p += 4;
  }
  const hashes = cells.hashes;
  for (let k = 0; k < 2 * count; k++) {
    const w = hashes[2 * from + k]!;
    out[p] = w;
    out[p + 1] = w >>> 8;
    out[p + 2] = w >>> 16;
    out[p + 3] = w >>> 24;
    p += 4;
  }
  for (let k = 0; k < count; k++) {
    p += uvarint.encodeInto(zigzag(cells.counts[from + k]! - expectedCount(setSize, start + k)), out, p);
  }
  return out;
}

/** Encodes a WANT message asking for symbols `[start, start + count)`. */
export function encodeWant(start: number, count: number): Uint8Array {
  assertInteger('riblt.encodeWant', 'start', start, 0, Number.MAX_SAFE_INTEGER);
  assertInteger('riblt.encodeWant', 'count', count, 0, Number.MAX_SAFE_INTEGER);
  const out = new Uint8Array(1 + uvarint.encodingLength(start) + uvarint.encodingLength(count));
  out[0] = RibltTag.Want;
  const p = 1 + uvarint.encodeInto(start, out, 1);
  uvarint.encodeInto(count, out, p);
  return out;
}

/** The one-byte DONE message. */
export function encodeDone(): Uint8Array {
  return Uint8Array.of(RibltTag.Done);
}

/** The one-byte GIVE_UP message. */
export function encodeGiveUp(): Uint8Array {
  return Uint8Array.of(RibltTag.GiveUp);
}

function readUvarint(bytes: Uint8Array, p: number, what: string): { value: number; end: number } {
  try {
    return uvarint.decode(bytes, p);
  } catch (e) {
    if (isCodecError(e)) throw new CodecError(e.code, `riblt: bad ${what} varint: ${e.message}`, p);
    throw e;
  }
}

/**
 * Decodes one whole RIBLT message. Every declared size is checked against `limits` and against the bytes
 * present before anything is allocated; leftovers throw `trailing_bytes`. Throws {@link CodecError} only.
 */
export function decodeRibltMessage(bytes: Uint8Array, limits?: RibltWireLimits): RibltMessage {
  assertBytes('riblt.decode', 'bytes', bytes);
  const l = limitsOf(limits);
  if (bytes.length > l.maxFrameBytes) {
    throw new CodecError(
      'limit_exceeded',
      `riblt: message of ${bytes.length} bytes over ${l.maxFrameBytes}`,
      0,
    );
  }
  if (bytes.length === 0) throw new CodecError('unexpected_eof', 'riblt: empty message', 0);
  const tag = bytes[0]!;
  let msg: RibltMessage;
  let end: number;
  if (tag === RibltTag.Want) {
    const s = readUvarint(bytes, 1, 'start');
    const c = readUvarint(bytes, s.end, 'count');
    msg = { type: 'want', start: s.value, count: c.value };
    end = c.end;
  } else if (tag === RibltTag.Symbols) {
    const n = readUvarint(bytes, 1, 'setSize');
    if (n.value > MAX_SET_SIZE)
      throw new CodecError('out_of_range', `riblt: setSize ${n.value} over ${MAX_SET_SIZE}`, 1);
    const s = readUvarint(bytes, n.end, 'start');
    const c = readUvarint(bytes, s.end, 'count');
    const count = c.value;
    if (count > l.maxBatchSymbols) {
      throw new CodecError(
        'limit_exceeded',
        `riblt: batch of ${count} symbols over ${l.maxBatchSymbols}`,
        s.end,
      );
    }
    if (s.value + count > l.maxSymbols) {
      throw new CodecError(
        'limit_exceeded',
        `riblt: symbols up to ${s.value + count} over the cap ${l.maxSymbols}`,
        n.end,
      );
    }
    // Each symbol takes at least FIXED_SYMBOL_BYTES + 1 bytes: check before allocating the counts.
    if (count * (FIXED_SYMBOL_BYTES + 1) > bytes.length - c.end) {
      throw new CodecError(
        'unexpected_eof',
        `riblt: ${count} symbols need more than ${bytes.length - c.end} bytes`,
        c.end,
      );
    }
    let p = c.end;
    const ids = bytes.subarray(p, p + count * ID_BYTES);
    p += count * ID_BYTES;
    const hashes = bytes.subarray(p, p + count * 8);
    p += count * 8;
    const counts = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      const z = readUvarint(bytes, p, 'count deviation');
      const v = expectedCount(n.value, s.value + k) + unzigzag(z.value);
      if (v < 0 || v > MAX_SET_SIZE)
        throw new CodecError('out_of_range', `riblt: symbol count ${v} out of range`, p);
      counts[k] = v;
      p = z.end;
    }
    msg = { type: 'symbols', setSize: n.value, start: s.value, count, ids, hashes, counts };
    end = p;
  } else if (tag === RibltTag.Done) {
    msg = { type: 'done' };
    end = 1;
  } else if (tag === RibltTag.GiveUp) {
    msg = { type: 'give-up' };
    end = 1;
  } else {
    throw new CodecError('invalid_tag', `riblt: unknown message tag 0x${tag.toString(16)}`, 0);
  }
  if (end !== bytes.length) {
    throw new CodecError('trailing_bytes', `riblt: ${bytes.length - end} bytes after the message`, end);
  }
  return msg;
}
