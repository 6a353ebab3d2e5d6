import {
  decodeFilterOf,
  digestWord,
  encodeFilterEnvelope,
  type FilterDecodeOptions,
  FilterKind,
  HashId,
  type HashIdValue,
  hashKeyInto,
  hashName,
  isDigestKey,
  joinU64,
  type KeyHashName,
  type KeyHashOptions,
  keyHashConfig,
  readU32LE,
  writeU32LE,
} from '@syncwire/bloom';
import { assertInteger, CodecError, describe } from '@syncwire/bytes';
import {
  CUCKOO_MAX_LOG2_BUCKETS,
  CUCKOO_SLOTS,
  cuckooFingerprintBits,
  cuckooLog2Buckets,
  type FingerprintBits,
} from './sizing.ts';
import { packedTableBytes, packTable, unpackTable } from './table-codec.ts';

/** Options of {@link CuckooFilter}. Give `capacity` (and optionally `fpr`), or an explicit `log2Buckets`. */
export interface CuckooFilterOptions extends KeyHashOptions {
  /** Items the filter must hold: buckets = next power of two ≥ capacity / (4 · 0.95). */
  capacity?: number;
  /** log2 of the bucket count, in [0, 28]; overrides `capacity`. */
  log2Buckets?: number;
  /** Target false-positive rate, default 0.01; picks the fingerprint width (see {@link cuckooFingerprintBits}). */
  fpr?: number;
  /** Fingerprint width 8, 12 or 16; overrides `fpr`. */
  fingerprintBits?: FingerprintBits;
  /** Evictions tried before the homeless fingerprint goes to the victim slot. Default 500. */
  maxKicks?: number;
}

const H = new Uint32Array(2);
// 32-bit multiplier (MurmurHash2's m) that spreads a fingerprint over the bucket-index bits; its high bits are used.
const ALT_MULTIPLIER = 0x5bd1e995;

/**
 * A cuckoo filter (Fan, Andersen, Kaminsky, Mitzenmacher, CoNEXT 2014): 2^L buckets of 4 fingerprints of 8, 12 or
 * 16 bits, partial-key cuckoo hashing (i2 = i1 XOR hash(fp)), and a victim slot. Supports delete.
 *
 * Never a false negative: when evictions run out, the homeless fingerprint is parked in the victim slot (still
 * found by `has`), and from then on `add` returns false for keys whose two buckets are full, until a delete makes
 * room. Nothing stored is ever dropped. Deleting a key that was never added may remove another key's fingerprint
 * (a false negative for that key): only delete what you added. A key added more than 8 times cannot be stored again.
 *
 * @example
 * ```ts
 * const f = new CuckooFilter({ capacity: 1000, fpr: 0.01 });
 * const k = new TextEncoder().encode('alice');
 * f.add(k); // true
 * f.has(k); // true
 * f.delete(k); // true
 * ```
 */
export class CuckooFilter {
  /** log2 of the bucket count L. */
  readonly log2Buckets: number;
  /** Fingerprint width f in bits. */
  readonly fingerprintBits: FingerprintBits;
  /** Evictions tried per insert. */
  readonly maxKicks: number;
  readonly #slots: Uint16Array;
  // The same memory as 32-bit words (two slots each) for the SWAR lookup in has().
  readonly #words: Uint32Array;
  readonly #mask: number;
  readonly #shift: number;
  // (2^f − 1) / 2^32: fp = ⌊hi32 · (2^f − 1) / 2^32⌋ + 1 is uniform on [1, 2^f − 1] and exact in a double (the
  // product is below 2^48); a `%` on a uint32 above 2^31 compiles to a slow float modulo in V8.
  readonly #fpScale: number;
  readonly #hash: HashIdValue;
  readonly #digest: boolean;
  readonly #seedLo: number;
  readonly #seedHi: number;
  // [victim fingerprint (0 = empty), victim bucket, xorshift state for eviction choices]. A typed array, not
  // fields: uint32 values in fields are boxed on every write.
  readonly #state = new Uint32Array([0, 0, 0x9e3779b9]);
  #count = 0;

  /** @throws TypeError/RangeError for bad options (see {@link CuckooFilterOptions}). */
  constructor(options: CuckooFilterOptions) {
    const where = 'CuckooFilter';
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${where}: options expected an object, got ${describe(options)}`);
    }
    let log2: number;
    if (options.log2Buckets !== undefined) {
      assertInteger(where, 'options.log2Buckets', options.log2Buckets, 0, CUCKOO_MAX_LOG2_BUCKETS);
      log2 = options.log2Buckets;
    } else if (options.capacity !== undefined) {
      log2 = cuckooLog2Buckets(options.capacity);
    } else {
      throw new TypeError(`${where}: options need capacity or log2Buckets`);
    }
    let f: FingerprintBits;
    if (options.fingerprintBits !== undefined) {
      if (options.fingerprintBits !== 8 && options.fingerprintBits !== 12 && options.fingerprintBits !== 16) {
        throw new RangeError(
          `${where}: options.fingerprintBits expected 8, 12 or 16, got ${describe(options.fingerprintBits)}`,
        );
      }
      f = options.fingerprintBits;
    } else f = cuckooFingerprintBits(options.fpr ?? 0.01);
    const maxKicks = options.maxKicks ?? 500;
    assertInteger(where, 'options.maxKicks', maxKicks, 0, 1_000_000);
    const cfg = keyHashConfig(where, options);
    this.log2Buckets = log2;
    this.fingerprintBits = f;
    this.maxKicks = maxKicks;
    this.#slots = new Uint16Array(CUCKOO_SLOTS * 2 ** log2);
    this.#words = new Uint32Array(this.#slots.buffer);
    this.#mask = 2 ** log2 - 1;
    this.#shift = 32 - log2;
    this.#fpScale = (2 ** f - 1) / 4294967296;
    this.#hash = cfg.hash;
    this.#digest = cfg.hash === HashId.digest;
    this.#seedLo = cfg.seedLo;
    this.#seedHi = cfg.seedHi;
  }

  /** Number of buckets, 2^L. */
  get buckets(): number {
    return this.#mask + 1;
  }

  /** Items stored (duplicates count; the victim counts). */
  get count(): number {
    return this.#count;
  }

  /** Fraction of the 4·2^L slots in use (the victim counts). */
  get load(): number {
    return this.#count / this.#slots.length;
  }

  /**
   * True once an insert ran out of evictions and parked a fingerprint in the victim slot: the table is effectively
   * full, and `add` fails for keys whose buckets are full until a delete frees a slot.
   */
  get hasVictim(): boolean {
    return this.#state[0] !== 0;
  }

  /** Key hashing mode. */
  get hash(): KeyHashName {
    return hashName(this.#hash);
  }

  /** The 64-bit seed. */
  get seed(): bigint {
    return joinU64(this.#seedLo, this.#seedHi);
  }

  /** Table bits per stored item (packed wire size, header excluded); Infinity when empty. */
  get bitsPerItem(): number {
    return (this.#slots.length * this.fingerprintBits) / this.#count;
  }

  /** The upper bound 2b/2^f on the false-positive rate at full load (≈ load × that in practice). */
  get fprBound(): number {
    return (2 * CUCKOO_SLOTS) / 2 ** this.fingerprintBits;
  }

  #alt(i: number, fp: number): number {
    return (i ^ (Math.imul(fp, ALT_MULTIPLIER) >>> this.#shift)) & this.#mask;
  }

  #put(i: number, fp: number): boolean {
    const t = this.#slots;
    const b = i << 2;
    if (t[b] === 0) t[b] = fp;
    else if (t[b + 1] === 0) t[b + 1] = fp;
    else if (t[b + 2] === 0) t[b + 2] = fp;
    else if (t[b + 3] === 0) t[b + 3] = fp;
    else return false;
    return true;
  }

  #remove(i: number, fp: number): boolean {
    const t = this.#slots;
    const b = i << 2;
    if (t[b] === fp) t[b] = 0;
    else if (t[b + 1] === fp) t[b + 1] = 0;
    else if (t[b + 2] === fp) t[b + 2] = 0;
    else if (t[b + 3] === fp) t[b + 3] = 0;
    else return false;
    return true;
  }

  /**
   * Adds `key`. Returns false only when the table is full (both buckets full and the victim slot taken); nothing
   * stored is lost either way.
   * @throws TypeError if `key` is not a Uint8Array; RangeError for a digest key under 16 bytes.
   */
  add(key: Uint8Array): boolean {
    let lo: number;
    let hi: number;
    if (this.#digest && isDigestKey(key)) {
      lo = digestWord(key, 0, this.#seedLo);
      hi = digestWord(key, 1, this.#seedHi);
    } else {
      hashKeyInto('CuckooFilter.add', key, this.#digest, this.#seedLo, this.#seedHi, H);
      lo = H[0]!;
      hi = H[1]!;
    }
    const fp = Math.floor(hi * this.#fpScale) + 1;
    const i1 = lo & this.#mask;
    if (this.#put(i1, fp)) {
      this.#count++;
      return true;
    }
    const i2 = this.#alt(i1, fp);
    if (this.#put(i2, fp)) {
      this.#count++;
      return true;
    }
    const st = this.#state;
    if (st[0] !== 0) return false;
    this.#count++;
    this.#kick(fp, st[2]! & 1 ? i2 : i1);
    return true;
  }

  /**
   * Places fingerprint `fp` belonging to bucket `i` by evicting random residents along a cuckoo path; if
   * `maxKicks` evictions do not free a slot, the fingerprint in hand (perhaps another key's) is parked in the
   * victim slot, where `has` still sees it.
   */
  #kick(fp: number, i: number): void {
    const st = this.#state;
    if (this.#put(i, fp) || this.#put(this.#alt(i, fp), fp)) {
      st[0] = 0;
      st[1] = 0;
      return;
    }
    const t = this.#slots;
    let x = st[2]!;
    let f = fp;
    for (let n = 0; n < this.maxKicks; n++) {
      // xorshift32 picks which of the 4 slots to evict
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const s = (i << 2) + ((x >>> 7) & 3);
      const evicted = t[s]!;
      t[s] = f;
      f = evicted;
      i = this.#alt(i, f);
      if (this.#put(i, f)) {
        st[2] = x;
        st[0] = 0;
        st[1] = 0;
        return;
      }
    }
    st[2] = x;
    st[0] = f;
    st[1] = i;
  }

  /** True if `key` may be in the filter; false means certainly not. @throws as {@link CuckooFilter.add}. */
  has(key: Uint8Array): boolean {
    let lo: number;
    let hi: number;
    if (this.#digest && isDigestKey(key)) {
      lo = digestWord(key, 0, this.#seedLo);
      hi = digestWord(key, 1, this.#seedHi);
    } else {
      hashKeyInto('CuckooFilter.has', key, this.#digest, this.#seedLo, this.#seedHi, H);
      lo = H[0]!;
      hi = H[1]!;
    }
    const fp = Math.floor(hi * this.#fpScale) + 1;
    const i1 = lo & this.#mask;
    const i2 = (i1 ^ (Math.imul(fp, ALT_MULTIPLIER) >>> this.#shift)) & this.#mask;
    // SWAR: a bucket is two 32-bit words of two 16-bit slots; XOR with fp in both halves zeroes a matching slot,
    // and (v − 0x00010001) & ~v & 0x80008000 is non-zero iff some half is zero. One branch instead of eight
    // unpredictable compares. Slot order within a word does not matter, so this is endian-independent.
    const w = this.#words;
    const pat = fp | (fp << 16);
    const a = w[2 * i1]! ^ pat;
    const b = w[2 * i1 + 1]! ^ pat;
    const c = w[2 * i2]! ^ pat;
    const d = w[2 * i2 + 1]! ^ pat;
    if (
      (((a - 0x10001) & ~a) | ((b - 0x10001) & ~b) | ((c - 0x10001) & ~c) | ((d - 0x10001) & ~d)) &
      0x80008000
    ) {
      return true;
    }
    const st = this.#state;
    return st[0] === fp && (st[1] === i1 || st[1] === i2);
  }

  /**
   * Removes one copy of `key`'s fingerprint; true if one was found. Only delete keys you added (see class docs).
   * @throws as {@link CuckooFilter.add}.
   */
  delete(key: Uint8Array): boolean {
    let lo: number;
    let hi: number;
    if (this.#digest && isDigestKey(key)) {
      lo = digestWord(key, 0, this.#seedLo);
      hi = digestWord(key, 1, this.#seedHi);
    } else {
      hashKeyInto('CuckooFilter.delete', key, this.#digest, this.#seedLo, this.#seedHi, H);
      lo = H[0]!;
      hi = H[1]!;
    }
    const fp = Math.floor(hi * this.#fpScale) + 1;
    const i1 = lo & this.#mask;
    const i2 = this.#alt(i1, fp);
    const st = this.#state;
    if (this.#remove(i1, fp) || this.#remove(i2, fp)) {
      this.#count--;
      // A slot is free again: try to bring the victim home (with evictions) so adds can resume.
      if (st[0] !== 0) this.#kick(st[0]!, st[1]!);
      return true;
    }
    if (st[0] === fp && (st[1] === i1 || st[1] === i2)) {
      st[0] = 0;
      st[1] = 0;
      this.#count--;
      return true;
    }
    return false;
  }

  /** Adds each key; returns how many were stored (the rest hit a full table). @throws as {@link CuckooFilter.add}. */
  addAll(keys: Iterable<Uint8Array>): number {
    let n = 0;
    for (const k of keys) if (this.add(k)) n++;
    return n;
  }

  /** Wire form (rfcs/0002-filters.md §Cuckoo): header, 16 parameter bytes, fingerprints packed at f bits. */
  toBytes(): Uint8Array {
    const st = this.#state;
    const params = new Uint8Array(16);
    params[0] = this.log2Buckets;
    params[1] = this.fingerprintBits;
    params[2] = CUCKOO_SLOTS;
    params[3] = st[0] !== 0 ? 1 : 0;
    params[4] = st[0]!;
    params[5] = st[0]! >>> 8;
    writeU32LE(params, 8, st[1]!);
    writeU32LE(params, 12, this.#count);
    const table = new Uint8Array(packedTableBytes(this.#slots.length, this.fingerprintBits));
    packTable(this.#slots, this.fingerprintBits, table);
    return encodeFilterEnvelope({
      kind: FilterKind.cuckoo,
      hash: this.#hash,
      seedLo: this.#seedLo,
      seedHi: this.#seedHi,
      params,
      table,
    });
  }

  /**
   * Reads {@link CuckooFilter.toBytes} output. Checks every parameter, the table size against them (and the
   * limit) before allocating, the victim's fields, and that `count` equals the occupied slots.
   * @throws CodecError for malformed or oversized input; TypeError if `bytes` is not a Uint8Array.
   */
  static fromBytes(bytes: Uint8Array, options?: FilterDecodeOptions & { maxKicks?: number }): CuckooFilter {
    const where = 'CuckooFilter.fromBytes';
    const env = decodeFilterOf(where, bytes, [FilterKind.cuckoo], options);
    const p = env.params;
    const log2 = p[0]!;
    const f = p[1]!;
    if (log2 > CUCKOO_MAX_LOG2_BUCKETS) {
      throw new CodecError(
        'out_of_range',
        `${where}: log2 buckets ${log2} above ${CUCKOO_MAX_LOG2_BUCKETS}`,
        20,
      );
    }
    if (f !== 8 && f !== 12 && f !== 16) {
      throw new CodecError('out_of_range', `${where}: fingerprint bits ${f} not 8, 12 or 16`, 21);
    }
    if (p[2] !== CUCKOO_SLOTS)
      throw new CodecError('out_of_range', `${where}: ${p[2]} slots per bucket, only 4 supported`, 22);
    const flags = p[3]!;
    if (flags > 1) throw new CodecError('invalid_value', `${where}: unknown flag bits ${flags}`, 23);
    if (p[6] !== 0 || p[7] !== 0)
      throw new CodecError('invalid_value', `${where}: reserved bytes must be zero`, 26);
    const victimFp = p[4]! | (p[5]! << 8);
    const victimBucket = readU32LE(p, 8);
    const count = readU32LE(p, 12);
    const slots = CUCKOO_SLOTS * 2 ** log2;
    if (env.table.length !== packedTableBytes(slots, f)) {
      throw new CodecError(
        'invalid_value',
        `${where}: 2^${log2} buckets of ${f}-bit fingerprints need ${packedTableBytes(slots, f)} table bytes, got ${env.table.length}`,
        16,
      );
    }
    if (
      flags === 0
        ? victimFp !== 0 || victimBucket !== 0
        : victimFp === 0 || victimFp >= 2 ** f || victimBucket >= 2 ** log2
    ) {
      throw new CodecError('invalid_value', `${where}: inconsistent victim slot`, 24);
    }
    const out: CuckooFilterOptions = {
      log2Buckets: log2,
      fingerprintBits: f,
      hash: hashName(env.hash),
      seed: joinU64(env.seedLo, env.seedHi),
    };
    if (options?.maxKicks !== undefined) out.maxKicks = options.maxKicks;
    const filter = new CuckooFilter(out);
    const used = unpackTable(env.table, f, filter.#slots);
    if (count !== used + flags) {
      throw new CodecError(
        'invalid_value',
        `${where}: count ${count} but ${used + flags} fingerprints present`,
        32,
      );
    }
    filter.#count = count;
    filter.#state[0] = victimFp;
    filter.#state[1] = victimBucket;
    return filter;
  }
}

/**
 * One-shot: a {@link CuckooFilter} sized for `keys.length` at `fpr` (default 1 %) holding all of `keys`.
 * @throws RangeError if some key could not be stored (more than 8 copies of one key); as {@link CuckooFilter.add}.
 */
export function cuckooFilter(
  keys: readonly Uint8Array[],
  options: Omit<CuckooFilterOptions, 'capacity'> = {},
): CuckooFilter {
  if (!Array.isArray(keys))
    throw new TypeError(`cuckooFilter: keys expected an array, got ${describe(keys)}`);
  const f = new CuckooFilter({ ...options, capacity: Math.max(1, keys.length) });
  const stored = f.addAll(keys);
  if (stored !== keys.length) throw new RangeError(`cuckooFilter: only ${stored} of ${keys.length} keys fit`);
  return f;
}
