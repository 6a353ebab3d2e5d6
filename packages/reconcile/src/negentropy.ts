import { assertBytes, assertInteger, CodecError } from '@syncwire/bytes';
import { ByteWriter } from './byte-writer.ts';
import {
  type Bound,
  FINGERPRINT_BYTES,
  MAX_TIMESTAMP,
  NEG_ID_BYTES,
  type NegentropyStorage,
} from './negentropy-storage.ts';
import { readSmallVarint, readVarint } from './negentropy-varint.ts';

/** Protocol version byte of Negentropy v1. */
export const NEGENTROPY_V1 = 0x61;
/** Smallest frame size limit the reference accepts (and so do we). */
export const MIN_FRAME_SIZE_LIMIT = 4096;

const INFINITY = (1n << 64n) - 1n;
const MODE_SKIP = 0;
const MODE_FINGERPRINT = 1;
const MODE_IDLIST = 2;
// Reference splitting policy (byte-compat with hoytech/negentropy): 16 buckets, IdList below 32 items.
const BUCKETS = 16;
// Reference frame-limit margin: stop adding ranges 200 bytes before the limit.
const FRAME_MARGIN = 200;

/** Options of {@link Negentropy}. */
export interface NegentropyOptions {
  /** Largest message this side produces; 0 = unlimited (default), else ≥ 4096. */
  frameSizeLimit?: number;
  /** Largest message accepted. Default `frameSizeLimit` when set, else 16 MiB. */
  maxMessageBytes?: number;
  /** Most `reconcile` calls before giving up with `limit_exceeded`. Default 256. */
  maxRounds?: number;
}

/** What one `reconcile` call produced: the reply (or `null` when the initiator is done) and new have/need ids. */
export interface NegentropyStep {
  /** Message to send, or `null` (initiator only) when reconciliation is complete. */
  output: Uint8Array | null;
  /** Ids we have and the peer lacks (initiator only; views). May repeat across rounds under a frame limit. */
  have: Uint8Array[];
  /** Ids the peer has and we lack (initiator only; views into the message). May repeat likewise. */
  need: Uint8Array[];
}

const INF_BOUND: Bound = { timestamp: INFINITY, id: new Uint8Array(0) };
const ZERO_BOUND: Bound = { timestamp: 0n, id: new Uint8Array(0) };

function idKey(id: Uint8Array): string {
  return String.fromCharCode.apply(null, id as unknown as number[]);
}

/**
 * Negentropy v1 (hoytech/negentropy, range-based set reconciliation), sans-IO: `initiate()` / `reconcile(bytes)`
 * return bytes to send. Byte-for-byte with the reference implementations (same bucket split, IdList threshold
 * and frame-limit folding), and with exact 64-bit timestamps. One instance per side per reconciliation.
 *
 * @example
 * ```ts
 * const client = new Negentropy(clientStorage, { frameSizeLimit: 60_000 });
 * const server = new Negentropy(serverStorage, { frameSizeLimit: 60_000 });
 * let msg: Uint8Array | null = client.initiate();
 * while (msg) msg = client.reconcile(server.reconcile(msg).output!).output; // collect have/need on the way
 * ```
 */
export class Negentropy {
  readonly #storage: NegentropyStorage;
  readonly #frameSizeLimit: number;
  readonly #maxMessageBytes: number;
  readonly #maxRounds: number;
  #isInitiator = false;
  #rounds = 0;
  #lastTimestampIn = 0n;
  #lastTimestampOut = 0n;

  /** @throws RangeError for a frame limit below 4096 or bad limits. */
  constructor(storage: NegentropyStorage, options: NegentropyOptions = {}) {
    const frameSizeLimit = options.frameSizeLimit ?? 0;
    assertInteger('Negentropy', 'frameSizeLimit', frameSizeLimit, 0, 2 ** 31);
    if (frameSizeLimit !== 0 && frameSizeLimit < MIN_FRAME_SIZE_LIMIT) {
      throw new RangeError(`Negentropy: frameSizeLimit expected 0 or at least 4096, got ${frameSizeLimit}`);
    }
    const maxMessageBytes = options.maxMessageBytes ?? (frameSizeLimit || 16 * 1024 * 1024);
    assertInteger('Negentropy', 'maxMessageBytes', maxMessageBytes, 1, 2 ** 31);
    const maxRounds = options.maxRounds ?? 256;
    assertInteger('Negentropy', 'maxRounds', maxRounds, 1, 2 ** 31);
    this.#storage = storage;
    this.#frameSizeLimit = frameSizeLimit;
    this.#maxMessageBytes = maxMessageBytes;
    this.#maxRounds = maxRounds;
  }

  /** Rounds (reconcile calls) so far. */
  get rounds(): number {
    return this.#rounds;
  }

  /** The client's first message: version byte and the whole range split into fingerprints (or an IdList). */
  initiate(): Uint8Array {
    if (this.#isInitiator) throw new Error('Negentropy.initiate: already initiated');
    this.#isInitiator = true;
    this.#lastTimestampOut = 0n;
    const out = new ByteWriter();
    out.byte(NEGENTROPY_V1);
    this.#splitRange(0, this.#storage.size, INF_BOUND, out);
    return out.finish();
  }

  /**
   * Processes one peer message and returns the reply. Throws {@link CodecError} for malformed messages,
   * an unsupported version (initiator), or too many rounds (`limit_exceeded`).
   */
  reconcile(query: Uint8Array): NegentropyStep {
    assertBytes('Negentropy.reconcile', 'query', query);
    if (query.length > this.#maxMessageBytes) {
      throw new CodecError(
        'limit_exceeded',
        `negentropy: message of ${query.length} bytes over ${this.#maxMessageBytes}`,
        0,
      );
    }
    if (++this.#rounds > this.#maxRounds) {
      throw new CodecError('limit_exceeded', `negentropy: more than ${this.#maxRounds} rounds`);
    }
    const storage = this.#storage;
    const have: Uint8Array[] = [];
    const need: Uint8Array[] = [];
    this.#lastTimestampIn = 0n;
    this.#lastTimestampOut = 0n;
    const full = new ByteWriter();
    full.byte(NEGENTROPY_V1);
    if (query.length === 0) throw new CodecError('unexpected_eof', 'negentropy: empty message', 0);
    const version = query[0]!;
    if (version < 0x60 || version > 0x6f) {
      throw new CodecError(
        'invalid_tag',
        `negentropy: invalid protocol version byte 0x${version.toString(16)}`,
        0,
      );
    }
    if (version !== NEGENTROPY_V1) {
      if (this.#isInitiator) {
        throw new CodecError(
          'invalid_tag',
          `negentropy: peer wants unsupported version ${version - 0x60}`,
          0,
        );
      }
      // A responder answers an unknown version with its own highest version only (spec §Versioning).
      return { output: full.finish(), have, need };
    }
    const size = storage.size;
    const limit = this.#frameSizeLimit;
    let p = 1;
    let prevBound = ZERO_BOUND;
    let prevIndex = 0;
    let skip = false;
    while (p < query.length) {
      let o = new ByteWriter(64);
      const start = p;
      const b = this.#decodeBound(query, p);
      const currBound = b.bound;
      if (compareBound(currBound, prevBound) < 0) {
        throw new CodecError('out_of_order', 'negentropy: range bounds go backwards', start);
      }
      const m = readSmallVarint(query, b.end);
      p = m.end;
      const lower = prevIndex;
      let upper = storage.findLowerBound(prevIndex, size, currBound);
      if (m.value === MODE_SKIP) {
        skip = true;
      } else if (m.value === MODE_FINGERPRINT) {
        if (query.length - p < FINGERPRINT_BYTES)
          throw new CodecError('unexpected_eof', 'negentropy: fingerprint cut off', p);
        const theirs = query.subarray(p, p + FINGERPRINT_BYTES);
        p += FINGERPRINT_BYTES;
        const ours = storage.fingerprint(lower, upper);
        if (!sameBytes(theirs, ours)) {
          if (skip) {
            skip = false;
            this.#encodeBound(prevBound, o);
            o.varint(MODE_SKIP);
          }
          this.#splitRange(lower, upper, currBound, o);
        } else skip = true;
      } else if (m.value === MODE_IDLIST) {
        const n = readSmallVarint(query, p);
        p = n.end;
        // Check the declared count against the bytes present before building anything for it.
        if (n.value > (query.length - p) / NEG_ID_BYTES) {
          throw new CodecError('unexpected_eof', `negentropy: IdList of ${n.value} ids cut off`, p);
        }
        const idsStart = p;
        p += n.value * NEG_ID_BYTES;
        if (this.#isInitiator) {
          const theirs = new Map<string, Uint8Array>();
          for (let k = 0; k < n.value; k++) {
            const id = query.subarray(idsStart + k * NEG_ID_BYTES, idsStart + (k + 1) * NEG_ID_BYTES);
            theirs.set(idKey(id), id);
          }
          for (let i = lower; i < upper; i++) {
            const id = storage.id(i);
            const key = idKey(id);
            if (theirs.has(key)) theirs.delete(key);
            else have.push(id);
          }
          for (const id of theirs.values()) need.push(id);
          skip = true;
        } else {
          if (skip) {
            skip = false;
            this.#encodeBound(prevBound, o);
            o.varint(MODE_SKIP);
          }
          const ids = new ByteWriter(Math.max(64, (upper - lower) * NEG_ID_BYTES));
          let count = 0;
          let endBound = currBound;
          for (let i = lower; i < upper; i++) {
            if (limit && full.length + ids.length > limit - FRAME_MARGIN) {
              endBound = { timestamp: storage.timestamp(i), id: storage.id(i) };
              upper = i; // the rest of the range is covered by the trailing fingerprint
              break;
            }
            ids.bytes(storage.id(i));
            count++;
          }
          this.#encodeBound(endBound, o);
          o.varint(MODE_IDLIST);
          o.varint(count);
          o.bytes(ids.finish());
          full.bytes(o.finish());
          o = new ByteWriter(16);
        }
      } else {
        throw new CodecError('invalid_tag', `negentropy: unknown mode ${m.value}`, b.end);
      }
      if (limit && full.length + o.length > limit - FRAME_MARGIN) {
        // Frame full: fold everything from here on into one fingerprint for the next round.
        const rest = storage.fingerprint(upper, size);
        this.#encodeBound(INF_BOUND, full);
        full.varint(MODE_FINGERPRINT);
        full.bytes(rest);
        break;
      }
      full.bytes(o.finish());
      prevIndex = upper;
      prevBound = currBound;
    }
    const output = full.finish();
    return { output: this.#isInitiator && output.length === 1 ? null : output, have, need };
  }

  #splitRange(lower: number, upper: number, upperBound: Bound, o: ByteWriter): void {
    const storage = this.#storage;
    const n = upper - lower;
    if (n < 2 * BUCKETS) {
      this.#encodeBound(upperBound, o);
      o.varint(MODE_IDLIST);
      o.varint(n);
      for (let i = lower; i < upper; i++) o.bytes(storage.id(i));
      return;
    }
    const per = Math.floor(n / BUCKETS);
    const extra = n % BUCKETS;
    let curr = lower;
    for (let i = 0; i < BUCKETS; i++) {
      const size = per + (i < extra ? 1 : 0);
      const fp = storage.fingerprint(curr, curr + size);
      curr += size;
      const next = curr === upper ? upperBound : this.#minimalBound(curr - 1, curr);
      this.#encodeBound(next, o);
      o.varint(MODE_FINGERPRINT);
      o.bytes(fp);
    }
  }

  /** Shortest bound separating item `prev` from item `curr` (spec §Bound). */
  #minimalBound(prev: number, curr: number): Bound {
    const storage = this.#storage;
    const ts = storage.timestamp(curr);
    if (ts !== storage.timestamp(prev)) return { timestamp: ts, id: new Uint8Array(0) };
    const a = storage.id(prev);
    const b = storage.id(curr);
    let shared = 0;
    while (shared < NEG_ID_BYTES && a[shared] === b[shared]) shared++;
    return { timestamp: ts, id: b.subarray(0, shared + 1) };
  }

  #encodeBound(bound: Bound, o: ByteWriter): void {
    if (bound.timestamp === INFINITY) {
      this.#lastTimestampOut = INFINITY;
      o.varint(0);
    } else {
      const delta = bound.timestamp - this.#lastTimestampOut + 1n;
      this.#lastTimestampOut = bound.timestamp;
      o.varint64(Number(delta >> 32n), Number(delta & 0xffffffffn));
    }
    o.varint(bound.id.length);
    o.bytes(bound.id);
  }

  #decodeBound(q: Uint8Array, p: number): { bound: Bound; end: number } {
    const t = readVarint(q, p);
    let timestamp: bigint;
    if (t.hi === 0 && t.lo === 0) {
      timestamp = INFINITY;
      this.#lastTimestampIn = INFINITY;
    } else if (this.#lastTimestampIn === INFINITY) {
      timestamp = INFINITY;
    } else {
      timestamp = ((BigInt(t.hi) << 32n) | BigInt(t.lo)) - 1n + this.#lastTimestampIn;
      if (timestamp > MAX_TIMESTAMP)
        throw new CodecError('out_of_range', 'negentropy: bound timestamp past 2^64 - 2', p);
      this.#lastTimestampIn = timestamp;
    }
    const len = readSmallVarint(q, t.end);
    if (len.value > NEG_ID_BYTES)
      throw new CodecError('out_of_range', `negentropy: bound id prefix of ${len.value} bytes`, t.end);
    if (q.length - len.end < len.value)
      throw new CodecError('unexpected_eof', 'negentropy: bound id prefix cut off', len.end);
    return { bound: { timestamp, id: q.subarray(len.end, len.end + len.value) }, end: len.end + len.value };
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Orders bounds: timestamp, then the id prefix with missing bytes read as zero. */
function compareBound(a: Bound, b: Bound): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  const n = Math.max(a.id.length, b.id.length);
  for (let i = 0; i < n; i++) {
    const x = a.id[i] ?? 0;
    const y = b.id[i] ?? 0;
    if (x !== y) return x - y;
  }
  return 0;
}
