import {
  decodeFilterOf,
  digestWord,
  encodeFilterEnvelope,
  type FilterDecodeOptions,
  FilterKind,
  fmix64,
  HashId,
  type HashIdValue,
  hashKeyInto,
  hashName,
  isDigestKey,
  joinU64,
  type KeyHashName,
  type KeyHashOptions,
  keyHashConfig,
  mulHi32,
  readU32LE,
  readWordsLE,
  writeU32LE,
  writeWordsLE,
} from '@syncwire/bloom';
import { assertInteger, CodecError, describe, equals } from '@syncwire/bytes';
import { FUSE_MAX_KEYS, FUSE_MAX_SEGMENT_LENGTH, fuseShape } from './fuse-shape.ts';
import { mul64Hi } from './mul64-hi.ts';

/** Options of {@link BinaryFuseFilter.build}. */
export interface BinaryFuseOptions extends KeyHashOptions {
  /** 8 (default: ~9 bits/key, FPR 1/256) or 16 (~18 bits/key, FPR 1/65536). */
  fingerprintBits?: 8 | 16;
  /** Seeds tried before giving up (each failure is rare: < 1 % for large sets). Default 100. */
  maxAttempts?: number;
}

const H = new Uint32Array(2);
const NO_CELLS_8 = new Uint8Array(0);
const NO_CELLS_16 = new Uint16Array(0);

/**
 * A binary fuse filter (Graf & Lemire, "Binary Fuse Filters: Fast and Smaller Than Xor Filters", JEA 2022), 3-wise:
 * static, built once from a set of keys, then queried. 8-bit fingerprints take ~9.0 bits/key for a 0.39 % FPR,
 * 16-bit ~18 bits/key for 0.0015 %. Never a false negative for a key of the set it was built from.
 *
 * Positions (rfcs/0002-filters.md §Binary fuse): h = fmix64(H(key)); h0 = ⌊hi32(h) · segmentCount·L / 2^32⌋,
 * h1 = (h0 + L) XOR (bits 18..35 of h & (L−1)), h2 = (h0 + 2L) XOR (h & (L−1)); fingerprint = low bits of
 * lo32(h) XOR hi32(h); member iff fingerprint = T[h0] XOR T[h1] XOR T[h2].
 *
 * @example
 * ```ts
 * const te = new TextEncoder();
 * const f = BinaryFuseFilter.build([te.encode('a'), te.encode('b')]);
 * f.has(te.encode('a')); // true
 * ```
 */
export class BinaryFuseFilter {
  // Every field has an initialiser of the kind it will hold (ES2022 class fields otherwise start as undefined, and
  // the later Smi/double/typed-array store turns V8's field representation into "any value": then each load in has()
  // needs Smi/heap-number/map checks). The constructor overwrites them all.
  /** Fingerprint width, 8 or 16. */
  readonly fingerprintBits: 8 | 16 = 8;
  /** Cells per segment L. */
  readonly segmentLength: number = 0;
  /** Segments a key's first cell can fall in. */
  readonly segmentCount: number = 0;
  /** Distinct keys the filter was built from. */
  readonly keyCount: number = 0;
  readonly #t8: Uint8Array = NO_CELLS_8;
  readonly #t16: Uint16Array = NO_CELLS_16;
  // 1 for 16-bit fingerprints: a small-integer flag, cheaper to test in has() than a typed array's length.
  readonly #wide: number = 0;
  readonly #mask: number = 0;
  readonly #scl: number = 0;
  // segmentCount·L / 2^32: h0 = ⌊hi · scale⌋ is exact while segmentCount·L < 2^21 (the product stays below 2^53).
  readonly #scale: number = 0.5;
  readonly #hash: HashIdValue = HashId.digest;
  readonly #digest: boolean = false;
  // Shortest key has() reads as a digest: 16 in digest mode, else 2^31 − 1 (never), so one compare picks the path.
  readonly #digestMin: number = 0;
  readonly #seedLo: number = 0;
  readonly #seedHi: number = 0;
  // The seed words as int32, always small integers for V8 (a u32 ≥ 2^31 would be a heap number).
  readonly #seedLo32: number = 0;
  readonly #seedHi32: number = 0;

  private constructor(
    f: 8 | 16,
    segmentLength: number,
    segmentCount: number,
    keyCount: number,
    hash: HashIdValue,
    seedLo: number,
    seedHi: number,
  ) {
    this.fingerprintBits = f;
    this.segmentLength = segmentLength;
    this.segmentCount = segmentCount;
    this.keyCount = keyCount;
    const arrayLength = (segmentCount + 2) * segmentLength;
    this.#t8 = new Uint8Array(f === 8 ? arrayLength : 0);
    this.#t16 = new Uint16Array(f === 16 ? arrayLength : 0);
    this.#wide = f === 16 ? 1 : 0;
    this.#mask = segmentLength - 1;
    this.#scl = segmentCount * segmentLength;
    this.#scale = this.#scl / 4294967296;
    this.#hash = hash;
    this.#digest = hash === HashId.digest;
    this.#digestMin = this.#digest ? 16 : 0x7fffffff;
    this.#seedLo = seedLo;
    this.#seedHi = seedHi;
    this.#seedLo32 = seedLo | 0;
    this.#seedHi32 = seedHi | 0;
  }

  /**
   * Builds a filter holding `keys` (duplicates are fine). Tries seeds `seed`, `seed + 1`, … until the peeling
   * succeeds; the seed that worked is the one stored (see {@link BinaryFuseFilter.seed}).
   *
   * @throws TypeError if keys is not an array of Uint8Array; RangeError for bad options, more than 2^30 keys, a digest
   * key under 16 bytes, or if `maxAttempts` seeds all fail (practically only with colliding digest keys).
   */
  static build(keys: readonly Uint8Array[], options: BinaryFuseOptions = {}): BinaryFuseFilter {
    const where = 'BinaryFuseFilter.build';
    if (!Array.isArray(keys)) throw new TypeError(`${where}: keys expected an array, got ${describe(keys)}`);
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${where}: options expected an object, got ${describe(options)}`);
    }
    const f = options.fingerprintBits ?? 8;
    if (f !== 8 && f !== 16)
      throw new RangeError(`${where}: options.fingerprintBits expected 8 or 16, got ${describe(f)}`);
    const maxAttempts = options.maxAttempts ?? 100;
    assertInteger(where, 'options.maxAttempts', maxAttempts, 1, 10_000);
    if (keys.length > FUSE_MAX_KEYS) throw new RangeError(`${where}: ${keys.length} keys exceeds 2^30`);
    const cfg = keyHashConfig(where, options);
    const digest = cfg.hash === HashId.digest;
    let list = keys;
    let deduped = false;
    let n = list.length;
    let shape = fuseShape(n);
    const hashes = new Uint32Array(2 * n);
    const sorted = new Uint32Array(2 * n);
    let seedLo = cfg.seedLo;
    let seedHi = cfg.seedHi;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      for (let i = 0; i < n; i++) {
        const key = list[i]!;
        if (digest && isDigestKey(key)) {
          H[0] = digestWord(key, 0, seedLo);
          H[1] = digestWord(key, 1, seedHi);
        } else hashKeyInto(where, key, digest, seedLo, seedHi, H);
        fmix64(H, 0);
        hashes[2 * i] = H[0]!;
        hashes[2 * i + 1] = H[1]!;
      }
      sortByHi(hashes, sorted, n, Math.min(16, Math.floor(Math.log2(shape.segmentCount))));
      const filter = new BinaryFuseFilter(
        f,
        shape.segmentLength,
        shape.segmentCount,
        n,
        cfg.hash,
        seedLo,
        seedHi,
      );
      if (filter.#populate(sorted, n)) return filter;
      if (!deduped) {
        // Equal keys hash alike under every seed and can never peel: drop them once, then retry.
        deduped = true;
        const unique = dedupe(list, hashes);
        if (unique.length !== n) {
          list = unique;
          n = unique.length;
          shape = fuseShape(n);
          attempt--;
          continue;
        }
      }
      // Next seed: seed + 1 over 64 bits.
      seedLo = (seedLo + 1) >>> 0;
      if (seedLo === 0) seedHi = (seedHi + 1) >>> 0;
    }
    throw new RangeError(`${where}: construction failed with ${maxAttempts} seeds (colliding digest keys?)`);
  }

  /** Peels the 3-hypergraph of `n` hashes and assigns fingerprints; false if it does not peel (retry). */
  #populate(hashes: Uint32Array, n: number): boolean {
    const len = this.#t8.length + this.#t16.length;
    const L = this.segmentLength;
    const mask = this.#mask;
    // Per cell: (number of keys << 2) | XOR of which-hash index (0, 1, 2) those keys use here, and the XOR of their
    // hashes: a cell with one key left names that key directly.
    const counts = new Uint8Array(len);
    // XOR of the hashes per cell, lo and hi side by side: one cache line per cell visit instead of two.
    const xs = new Uint32Array(2 * len);
    for (let i = 0; i < n; i++) {
      const lo = hashes[2 * i]!;
      const hi = hashes[2 * i + 1]!;
      const h0 = this.#h0(hi);
      const h1 = (h0 + L) ^ (((lo >>> 18) | (hi << 14)) & mask);
      const h2 = (h0 + 2 * L) ^ (lo & mask);
      // 63 keys in one cell would overflow the 6-bit count: treat as a failed attempt.
      if (counts[h0]! >= 252 || counts[h1]! >= 252 || counts[h2]! >= 252) return false;
      counts[h0] = counts[h0]! + 4;
      counts[h1] = (counts[h1]! + 4) ^ 1;
      counts[h2] = (counts[h2]! + 4) ^ 2;
      xs[2 * h0] = xs[2 * h0]! ^ lo;
      xs[2 * h0 + 1] = xs[2 * h0 + 1]! ^ hi;
      xs[2 * h1] = xs[2 * h1]! ^ lo;
      xs[2 * h1 + 1] = xs[2 * h1 + 1]! ^ hi;
      xs[2 * h2] = xs[2 * h2]! ^ lo;
      xs[2 * h2 + 1] = xs[2 * h2 + 1]! ^ hi;
    }
    const queue = new Uint32Array(len);
    let q = 0;
    for (let c = 0; c < len; c++) if (counts[c]! >> 2 === 1) queue[q++] = c;
    const order = new Uint32Array(2 * n);
    const which = new Uint8Array(n);
    let stack = 0;
    const pos = new Uint32Array(3);
    while (q > 0) {
      const c = queue[--q]!;
      if (counts[c]! >> 2 !== 1) continue;
      const lo = xs[2 * c]!;
      const hi = xs[2 * c + 1]!;
      const w = counts[c]! & 3;
      order[2 * stack] = lo;
      order[2 * stack + 1] = hi;
      which[stack++] = w;
      const h0 = this.#h0(hi);
      pos[0] = h0;
      pos[1] = (h0 + L) ^ (((lo >>> 18) | (hi << 14)) & mask);
      pos[2] = (h0 + 2 * L) ^ (lo & mask);
      for (let j = 0; j < 3; j++) {
        const o = pos[j]!;
        counts[o] = (counts[o]! - 4) ^ j;
        xs[2 * o] = xs[2 * o]! ^ lo;
        xs[2 * o + 1] = xs[2 * o + 1]! ^ hi;
        if (o !== c && counts[o]! >> 2 === 1) queue[q++] = o;
      }
    }
    if (stack !== n) return false;
    const t8 = this.#t8;
    const t16 = this.#t16;
    const wide = this.fingerprintBits === 16;
    // Reverse peeling order: each key's free cell is set last among its three, so its XOR comes out right.
    for (let s = stack - 1; s >= 0; s--) {
      const lo = order[2 * s]!;
      const hi = order[2 * s + 1]!;
      const h0 = this.#h0(hi);
      const h1 = (h0 + L) ^ (((lo >>> 18) | (hi << 14)) & mask);
      const h2 = (h0 + 2 * L) ^ (lo & mask);
      const fp = lo ^ hi;
      const w = which[s]!;
      const cell = w === 0 ? h0 : w === 1 ? h1 : h2;
      if (wide) t16[cell] = fp ^ t16[h0]! ^ t16[h1]! ^ t16[h2]! ^ t16[cell]!;
      else t8[cell] = fp ^ t8[h0]! ^ t8[h1]! ^ t8[h2]! ^ t8[cell]!;
    }
    return true;
  }

  #h0(hi: number): number {
    return this.#scl < 0x200000 ? (hi * this.#scale) >>> 0 : mulHi32(hi, this.#scl);
  }

  /** True if `key` may be in the set; false means certainly not. @throws TypeError/RangeError for a bad key. */
  has(key: Uint8Array): boolean {
    // Shaped for V8: `has`, `#lookup` and `mul64Hi` are each small enough (< 460 bytes of bytecode, ~620 together)
    // for TurboFan to inline all three into a caller's loop, where one flat method (814 bytes) cost a call per key;
    // the digest path reads the key once and goes straight to `#lookup`; every field it touches is a small integer,
    // a double or a typed array of one kind (see the field initialisers). The 16-bit lookup at 10^6 keys is bound
    // by three cache misses into a 2.25 MB table, so fewer instructions per key means more misses in flight.
    if (key instanceof Uint8Array && key.length >= this.#digestMin) {
      return this.#lookup(
        (key[0]! | (key[1]! << 8) | (key[2]! << 16) | (key[3]! << 24)) ^ this.#seedLo32,
        (key[4]! | (key[5]! << 8) | (key[6]! << 16) | (key[7]! << 24)) ^ this.#seedHi32,
      );
    }
    return this.#hasSlow(key);
  }

  /** The query on a key's 64-bit hash (lo, hi words): fmix64, the three cells, the fingerprint. */
  #lookup(lo: number, hi: number): boolean {
    // fmix64 (the same finaliser as build's) on locals. Two rounds of a loop rather than written out twice: the
    // unrolled form is ~120 bytes of bytecode more, enough to stop V8 inlining has() into a caller's loop.
    for (let r = 0; r < 2; r++) {
      lo ^= hi >>> 1;
      const c = r === 0 ? 0xed558ccd : 0x1a85ec53;
      hi = mul64Hi(lo, hi, c, r === 0 ? 0xff51afd7 : 0xc4ceb9fe);
      lo = Math.imul(lo, c);
    }
    lo ^= hi >>> 1;
    const L = this.segmentLength;
    const mask = this.#mask;
    const scl = this.#scl;
    // ⌊x⌋ as `x >>> 0` (x ≥ 0 and < 2^31): a plain truncation for V8, where Math.floor adds a round and an int check.
    const h0 = scl < 0x200000 ? ((hi >>> 0) * this.#scale) >>> 0 : mulHi32(hi, scl);
    const h1 = (h0 + L) ^ (((lo >>> 18) | (hi << 14)) & mask);
    const h2 = (h0 + 2 * L) ^ (lo & mask);
    const fp = lo ^ hi;
    if (this.#wide !== 0) {
      const t16 = this.#t16;
      return ((fp ^ t16[h0]! ^ t16[h1]! ^ t16[h2]!) & 0xffff) === 0;
    }
    const t = this.#t8;
    return ((fp ^ t[h0]! ^ t[h1]! ^ t[h2]!) & 0xff) === 0;
  }

  /** has() off its fast path: XXH64 keys, or a digest-mode key that is not a Uint8Array of ≥ 16 bytes (throws). */
  #hasSlow(key: Uint8Array): boolean {
    hashKeyInto('BinaryFuseFilter.has', key, this.#digest, this.#seedLo, this.#seedHi, H);
    return this.#lookup(H[0]!, H[1]!);
  }

  /** Key hashing mode. */
  get hash(): KeyHashName {
    return hashName(this.#hash);
  }

  /** The 64-bit seed construction settled on. */
  get seed(): bigint {
    return joinU64(this.#seedLo, this.#seedHi);
  }

  /** Table cells: (segmentCount + 2) · segmentLength. */
  get arrayLength(): number {
    return (this.segmentCount + 2) * this.segmentLength;
  }

  /** Table bits per key (header excluded). */
  get bitsPerKey(): number {
    return (this.arrayLength * this.fingerprintBits) / this.keyCount;
  }

  /** Expected false-positive rate, 2^−f. */
  get fpr(): number {
    return 2 ** -this.fingerprintBits;
  }

  /** Wire form (rfcs/0002-filters.md §Binary fuse): header, `segmentLength, segmentCount, keyCount` (u32 LE), cells. */
  toBytes(): Uint8Array {
    const params = new Uint8Array(12);
    writeU32LE(params, 0, this.segmentLength);
    writeU32LE(params, 4, this.segmentCount);
    writeU32LE(params, 8, this.keyCount);
    let table: Uint8Array;
    if (this.fingerprintBits === 8) table = this.#t8;
    else {
      table = new Uint8Array(this.#t16.byteLength);
      writeWordsLE(this.#t16, table, 0);
    }
    return encodeFilterEnvelope({
      kind: this.fingerprintBits === 8 ? FilterKind.binaryFuse8 : FilterKind.binaryFuse16,
      hash: this.#hash,
      seedLo: this.#seedLo,
      seedHi: this.#seedHi,
      params,
      table,
    });
  }

  /**
   * Reads {@link BinaryFuseFilter.toBytes} output: segment length a power of two in [4, 2^18], segment count ≥ 1,
   * table size equal to (segmentCount + 2)·segmentLength cells (checked with the limit before allocating),
   * keyCount ≤ cells.
   * @throws CodecError for malformed or oversized input; TypeError if `bytes` is not a Uint8Array.
   */
  static fromBytes(bytes: Uint8Array, options?: FilterDecodeOptions): BinaryFuseFilter {
    const where = 'BinaryFuseFilter.fromBytes';
    const env = decodeFilterOf(where, bytes, [FilterKind.binaryFuse8, FilterKind.binaryFuse16], options);
    const f = env.kind === FilterKind.binaryFuse8 ? 8 : 16;
    const segmentLength = readU32LE(env.params, 0);
    const segmentCount = readU32LE(env.params, 4);
    const keyCount = readU32LE(env.params, 8);
    if (
      segmentLength < 4 ||
      segmentLength > FUSE_MAX_SEGMENT_LENGTH ||
      (segmentLength & (segmentLength - 1)) !== 0
    ) {
      throw new CodecError(
        'out_of_range',
        `${where}: segment length ${segmentLength} not a power of two in [4, 2^18]`,
        20,
      );
    }
    if (segmentCount < 1) throw new CodecError('out_of_range', `${where}: segment count 0`, 24);
    const cells = (segmentCount + 2) * segmentLength;
    if (env.table.length !== (cells * f) / 8) {
      throw new CodecError(
        'invalid_value',
        `${where}: ${cells} cells need ${(cells * f) / 8} table bytes, got ${env.table.length}`,
        16,
      );
    }
    if (keyCount > cells)
      throw new CodecError('invalid_value', `${where}: ${keyCount} keys cannot fit ${cells} cells`, 28);
    const filter = new BinaryFuseFilter(
      f,
      segmentLength,
      segmentCount,
      keyCount,
      env.hash,
      env.seedLo,
      env.seedHi,
    );
    if (f === 8) filter.#t8.set(env.table);
    else readWordsLE(env.table, filter.#t16);
    return filter;
  }
}

/**
 * Counting sort of the (lo, hi) pairs in `src` by the top `bits` bits of hi into `dst`. h0 grows with hi, so keys
 * then meet the table roughly in address order, as in the reference implementation: the construction's random
 * accesses become three forward sweeps (measured ~1.5x faster at 10^6 keys).
 */
function sortByHi(src: Uint32Array, dst: Uint32Array, n: number, bits: number): void {
  if (bits <= 0) {
    dst.set(src.subarray(0, 2 * n));
    return;
  }
  const shift = 32 - bits;
  const starts = new Uint32Array((1 << bits) + 1);
  for (let i = 0; i < n; i++) starts[(src[2 * i + 1]! >>> shift) + 1]!++;
  for (let b = 1; b < starts.length; b++) starts[b]! += starts[b - 1]!;
  for (let i = 0; i < n; i++) {
    const hi = src[2 * i + 1]!;
    const j = starts[hi >>> shift]!++;
    dst[2 * j] = src[2 * i]!;
    dst[2 * j + 1] = hi;
  }
}

/** Keeps the first of each run of byte-equal keys (found via equal hashes). */
function dedupe(keys: readonly Uint8Array[], hashes: Uint32Array): Uint8Array[] {
  const idx = Array.from({ length: keys.length }, (_, i) => i);
  idx.sort((a, b) => hashes[2 * a + 1]! - hashes[2 * b + 1]! || hashes[2 * a]! - hashes[2 * b]! || a - b);
  const keep = new Uint8Array(keys.length).fill(1);
  for (let i = 1; i < idx.length; i++) {
    const a = idx[i - 1]!;
    const b = idx[i]!;
    if (
      hashes[2 * a] === hashes[2 * b] &&
      hashes[2 * a + 1] === hashes[2 * b + 1] &&
      equals(keys[a]!, keys[b]!)
    ) {
      keep[b] = 0;
      idx[i] = a; // compare later duplicates against the kept one
    }
  }
  return keys.filter((_, i) => keep[i] === 1);
}

/** One-shot: a binary fuse filter with 8-bit fingerprints (~9 bits/key, FPR ≈ 0.39 %). @throws as build. */
export function binaryFuse8(
  keys: readonly Uint8Array[],
  options: Omit<BinaryFuseOptions, 'fingerprintBits'> = {},
): BinaryFuseFilter {
  return BinaryFuseFilter.build(keys, { ...options, fingerprintBits: 8 });
}

/** One-shot: a binary fuse filter with 16-bit fingerprints (~18 bits/key, FPR ≈ 0.0015 %). @throws as build. */
export function binaryFuse16(
  keys: readonly Uint8Array[],
  options: Omit<BinaryFuseOptions, 'fingerprintBits'> = {},
): BinaryFuseFilter {
  return BinaryFuseFilter.build(keys, { ...options, fingerprintBits: 16 });
}
