import { assertInteger, CodecError, describe } from '@syncwire/bytes';
import {
  decodeFilterOf,
  encodeFilterEnvelope,
  type FilterDecodeOptions,
  FilterKind,
  HashId,
  type HashIdValue,
  type KeyHashName,
} from './filter-header.ts';
import {
  digestWord,
  hashKeyInto,
  hashName,
  isDigestKey,
  type KeyHashOptions,
  keyHashConfig,
} from './key-hash.ts';
import { bloomSize } from './sizing.ts';
import { joinU64, readU32LE, writeU32LE } from './u64.ts';
import { popcount32, readWordsLE, writeWordsLE } from './words-le.ts';

/** Largest bit count of a {@link BloomFilter} (256 MiB of table): keeps every probe index below 2^32. */
export const BLOOM_MAX_BITS = 2 ** 31;
/** Largest number of hash functions k. */
export const BLOOM_MAX_HASHES = 32;

/** Explicit shape of a {@link BloomFilter}. */
export interface BloomFilterOptions extends KeyHashOptions {
  /** Number of bits m, in [1, 2^31]. */
  bits: number;
  /** Number of probes k, in [1, 32]. */
  hashes: number;
}

/** Sizing request for {@link BloomFilter.create}. */
export interface BloomSizingOptions extends KeyHashOptions {
  /** Items you expect to add (n ≥ 1). */
  expectedItems: number;
  /** Target false-positive rate in (0, 0.5]. */
  fpr: number;
}

const H = new Uint32Array(2);
// Up to 2^30 bits, probe arithmetic fits int32 (see add).
const SMALL_M = 2 ** 30;

/**
 * Mod of a non-negative integer g < 2^48 by m ≤ 2^31 through a precomputed reciprocal: the float quotient is off by
 * at most one, which the two comparisons correct, so the result is exactly g mod m (no fmod call).
 */
function mod48(g: number, m: number, inv: number): number {
  const r = g - Math.floor(g * inv) * m;
  return r < 0 ? r + m : r >= m ? r - m : r;
}

/**
 * A classic Bloom filter over byte-string keys: m bits, k probes at (h1 + i·h2) mod m (Kirsch–Mitzenmacher), with
 * h1 and h2 taken from the key's 64-bit hash (rfcs/0002-filters.md §Bloom). No false negatives, ever.
 *
 * @example
 * ```ts
 * const f = BloomFilter.create({ expectedItems: 1000, fpr: 0.01 });
 * f.add(new TextEncoder().encode('alice'));
 * f.has(new TextEncoder().encode('alice')); // true
 * ```
 */
export class BloomFilter {
  /** Number of bits m. */
  readonly bits: number;
  /** Number of probes k. */
  readonly hashes: number;
  readonly #words: Uint32Array;
  readonly #inv: number;
  readonly #hash: HashIdValue;
  readonly #digest: boolean;
  readonly #seedLo: number;
  readonly #seedHi: number;

  /**
   * An empty filter of an explicit shape.
   * @throws TypeError/RangeError for bits outside [1, 2^31], hashes outside [1, 32], a bad hash name or seed.
   */
  constructor(options: BloomFilterOptions) {
    const where = 'BloomFilter';
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${where}: options expected an object, got ${describe(options)}`);
    }
    assertInteger(where, 'options.bits', options.bits, 1, BLOOM_MAX_BITS);
    assertInteger(where, 'options.hashes', options.hashes, 1, BLOOM_MAX_HASHES);
    const cfg = keyHashConfig(where, options);
    this.bits = options.bits;
    this.hashes = options.hashes;
    this.#words = new Uint32Array(Math.ceil(options.bits / 32));
    this.#inv = 1 / options.bits;
    this.#hash = cfg.hash;
    this.#digest = cfg.hash === HashId.digest;
    this.#seedLo = cfg.seedLo;
    this.#seedHi = cfg.seedHi;
  }

  /**
   * An empty filter sized for `expectedItems` at `fpr`: m = ⌈−n·ln p / (ln 2)²⌉, k = round((m/n)·ln 2).
   * @throws RangeError if the sizing is out of range (see {@link bloomSize}).
   */
  static create(options: BloomSizingOptions): BloomFilter {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`BloomFilter.create: options expected an object, got ${describe(options)}`);
    }
    const { bits, hashes } = bloomSize(options.expectedItems, options.fpr);
    const out: BloomFilterOptions = { bits, hashes };
    if (options.hash !== undefined) out.hash = options.hash;
    if (options.seed !== undefined) out.seed = options.seed;
    return new BloomFilter(out);
  }

  /** Key hashing mode. */
  get hash(): KeyHashName {
    return hashName(this.#hash);
  }

  /** The 64-bit seed. */
  get seed(): bigint {
    return joinU64(this.#seedLo, this.#seedHi);
  }

  /**
   * Adds `key`.
   * @throws TypeError if `key` is not a Uint8Array; RangeError for a digest key shorter than 16 bytes.
   */
  add(key: Uint8Array): void {
    let lo: number;
    let hi: number;
    if (this.#digest && isDigestKey(key)) {
      lo = digestWord(key, 0, this.#seedLo);
      hi = digestWord(key, 1, this.#seedHi);
    } else {
      hashKeyInto('BloomFilter.add', key, this.#digest, this.#seedLo, this.#seedHi, H);
      lo = H[0]!;
      hi = H[1]!;
    }
    const m = this.bits;
    const inv = this.#inv;
    const w = this.#words;
    // h1 from the top 48 bits of the hash, h2 from the bottom 32 + the top 16: every probe index is below m.
    let x = mod48(hi * 65536 + (lo >>> 16), m, inv);
    const step = mod48(lo * 65536 + (hi >>> 16), m, inv);
    if (m <= SMALL_M) {
      // Branch-free wrap: x + step − m < 2^31 stays an int32, and its sign says whether to add m back. The
      // `if (x >= m)` form mispredicts about half the time (step is random) and measured ~25 % slower.
      for (let i = this.hashes; i > 0; i--) {
        w[x >>> 5]! |= 1 << (x & 31);
        x = x + step - m;
        x += (x >> 31) & m;
      }
      return;
    }
    for (let i = this.hashes; i > 0; i--) {
      w[x >>> 5]! |= 1 << (x & 31);
      x += step;
      if (x >= m) x -= m;
    }
  }

  /**
   * True if `key` may have been added; false means it certainly was not.
   * @throws TypeError/RangeError as {@link BloomFilter.add}.
   */
  has(key: Uint8Array): boolean {
    let lo: number;
    let hi: number;
    if (this.#digest && isDigestKey(key)) {
      lo = digestWord(key, 0, this.#seedLo);
      hi = digestWord(key, 1, this.#seedHi);
    } else {
      hashKeyInto('BloomFilter.has', key, this.#digest, this.#seedLo, this.#seedHi, H);
      lo = H[0]!;
      hi = H[1]!;
    }
    const m = this.bits;
    const inv = this.#inv;
    const w = this.#words;
    let x = mod48(hi * 65536 + (lo >>> 16), m, inv);
    const step = mod48(lo * 65536 + (hi >>> 16), m, inv);
    if (m <= SMALL_M) {
      for (let i = this.hashes; i > 0; i--) {
        if ((w[x >>> 5]! & (1 << (x & 31))) === 0) return false;
        x = x + step - m;
        x += (x >> 31) & m;
      }
      return true;
    }
    for (let i = this.hashes; i > 0; i--) {
      if ((w[x >>> 5]! & (1 << (x & 31))) === 0) return false;
      x += step;
      if (x >= m) x -= m;
    }
    return true;
  }

  /** Adds every key of `keys`; returns this. @throws as {@link BloomFilter.add}. */
  addAll(keys: Iterable<Uint8Array>): this {
    for (const k of keys) this.add(k);
    return this;
  }

  /** Number of bits set. */
  setBits(): number {
    const w = this.#words;
    let n = 0;
    for (let i = 0; i < w.length; i++) n += popcount32(w[i]!);
    return n;
  }

  /** Estimated number of distinct keys added, −(m/k)·ln(1 − X/m) for X set bits (Swamidass & Baldi). */
  estimateCount(): number {
    const x = this.setBits();
    if (x === this.bits) return Number.POSITIVE_INFINITY;
    return (-this.bits / this.hashes) * Math.log1p(-x / this.bits);
  }

  /** False-positive rate of the filter as it is now: (X/m)^k. */
  estimateFpr(): number {
    return (this.setBits() / this.bits) ** this.hashes;
  }

  /**
   * A new filter holding the keys of both (bitwise OR). Its FPR is what a filter built from the union would have.
   * @throws RangeError unless `other` has the same bits, hashes, hash mode and seed.
   */
  union(other: BloomFilter): BloomFilter {
    return this.#combine('union', other, (a, b) => a | b);
  }

  /**
   * A new filter answering true for every key in both (bitwise AND). It may answer true more often than a filter
   * built from the intersection (bits set by keys in only one side can combine), never less.
   * @throws RangeError unless `other` has the same shape.
   */
  intersection(other: BloomFilter): BloomFilter {
    return this.#combine('intersection', other, (a, b) => a & b);
  }

  #combine(op: string, other: BloomFilter, f: (a: number, b: number) => number): BloomFilter {
    if (!(other instanceof BloomFilter)) {
      throw new TypeError(`BloomFilter.${op}: other expected a BloomFilter, got ${describe(other)}`);
    }
    if (!this.sameShape(other))
      throw new RangeError(`BloomFilter.${op}: filters differ in bits, hashes, hash or seed`);
    const out = this.#empty();
    const a = this.#words;
    const b = other.#words;
    const o = out.#words;
    for (let i = 0; i < a.length; i++) o[i] = f(a[i]!, b[i]!);
    return out;
  }

  /** True if `other` has the same bits, hashes, hash mode and seed (so union/intersection apply). */
  sameShape(other: BloomFilter): boolean {
    return (
      this.bits === other.bits &&
      this.hashes === other.hashes &&
      this.#hash === other.#hash &&
      this.#seedLo === other.#seedLo &&
      this.#seedHi === other.#seedHi
    );
  }

  #empty(): BloomFilter {
    return new BloomFilter({ bits: this.bits, hashes: this.hashes, hash: this.hash, seed: this.seed });
  }

  /** A deep copy. */
  clone(): BloomFilter {
    const out = this.#empty();
    out.#words.set(this.#words);
    return out;
  }

  /** Wire form (rfcs/0002-filters.md): the shared header, params `bits u32, hashes u8, 0 0 0`, then the words. */
  toBytes(): Uint8Array {
    const params = new Uint8Array(8);
    writeU32LE(params, 0, this.bits);
    params[4] = this.hashes;
    const table = new Uint8Array(this.#words.byteLength);
    writeWordsLE(this.#words, table, 0);
    return encodeFilterEnvelope({
      kind: FilterKind.bloom,
      hash: this.#hash,
      seedLo: this.#seedLo,
      seedHi: this.#seedHi,
      params,
      table,
    });
  }

  /**
   * Reads {@link BloomFilter.toBytes} output. Every field is checked against its range, the table length against
   * `bits` and the limit before allocating, and bits past m must be zero (one encoding per filter).
   * @throws CodecError for malformed or oversized input; TypeError if `bytes` is not a Uint8Array.
   */
  static fromBytes(bytes: Uint8Array, options?: FilterDecodeOptions): BloomFilter {
    const env = decodeFilterOf('BloomFilter.fromBytes', bytes, [FilterKind.bloom], options);
    const p = env.params;
    const bits = readU32LE(p, 0);
    const hashes = p[4]!;
    if (bits < 1 || bits > BLOOM_MAX_BITS) {
      throw new CodecError('out_of_range', `BloomFilter.fromBytes: bits ${bits} outside [1, 2^31]`, 20);
    }
    if (hashes < 1 || hashes > BLOOM_MAX_HASHES) {
      throw new CodecError('out_of_range', `BloomFilter.fromBytes: hashes ${hashes} outside [1, 32]`, 24);
    }
    if (p[5] !== 0 || p[6] !== 0 || p[7] !== 0) {
      throw new CodecError(
        'invalid_value',
        'BloomFilter.fromBytes: reserved parameter bytes must be zero',
        25,
      );
    }
    const words = Math.ceil(bits / 32);
    if (env.table.length !== words * 4) {
      throw new CodecError(
        'invalid_value',
        `BloomFilter.fromBytes: ${bits} bits need ${words * 4} table bytes, got ${env.table.length}`,
        16,
      );
    }
    const f = new BloomFilter({
      bits,
      hashes,
      hash: hashName(env.hash),
      seed: joinU64(env.seedLo, env.seedHi),
    });
    readWordsLE(env.table, f.#words);
    const tail = bits % 32;
    if (tail !== 0 && f.#words[words - 1]! >>> tail !== 0) {
      throw new CodecError('invalid_value', 'BloomFilter.fromBytes: bits past m are set', 28 + words * 4 - 4);
    }
    return f;
  }
}

/**
 * One-shot: a {@link BloomFilter} sized for `keys.length` items at `fpr` (default 1 %) holding all of `keys`.
 * @throws as {@link BloomFilter.create} and {@link BloomFilter.add}.
 */
export function bloomFilter(
  keys: readonly Uint8Array[],
  options: Omit<BloomSizingOptions, 'expectedItems' | 'fpr'> & { fpr?: number } = {},
): BloomFilter {
  if (!Array.isArray(keys)) throw new TypeError(`bloomFilter: keys expected an array, got ${describe(keys)}`);
  return BloomFilter.create({
    ...options,
    expectedItems: Math.max(1, keys.length),
    fpr: options.fpr ?? 0.01,
  }).addAll(keys);
}
