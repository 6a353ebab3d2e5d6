import { sha256 } from '@noble/hashes/sha2.js';
import { assertBytes } from '@syncwire/bytes';
import { ByteWriter } from './byte-writer.ts';

/** Negentropy ids are 32 bytes. */
export const NEG_ID_BYTES = 32;
/** Fingerprints are the first 16 bytes of a SHA-256. */
export const FINGERPRINT_BYTES = 16;
/** Timestamp 2^64 − 1 is reserved for "infinity" and cannot be stored. */
export const MAX_TIMESTAMP = (1n << 64n) - 2n;

/** A range bound: timestamp (u64; 2^64 − 1 = infinity) and an id prefix of 0 … 32 bytes (missing bytes are 0). */
export interface Bound {
  timestamp: bigint;
  id: Uint8Array;
}

/**
 * Storage as the Negentropy protocol sees it: items sorted by (timestamp, id), range fingerprints, bound search.
 * {@link NegentropyStorageVector} is the in-memory one; a B-tree that caches fingerprint sums in its nodes can
 * implement the same four methods.
 */
export interface NegentropyStorage {
  /** Number of items. */
  readonly size: number;
  /** Timestamp of item `i`. */
  timestamp(i: number): bigint;
  /** Id of item `i` (a view). */
  id(i: number): Uint8Array;
  /** First index in `[begin, end)` whose item is ≥ `bound`, or `end`. */
  findLowerBound(begin: number, end: number, bound: Bound): number;
  /** Fingerprint of items `[begin, end)`: 16 bytes. */
  fingerprint(begin: number, end: number): Uint8Array;
}

function toU64(where: string, timestamp: unknown): bigint {
  if (typeof timestamp === 'number') {
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
      throw new RangeError(
        `${where}: timestamp expected a non-negative safe integer or bigint, got ${timestamp}`,
      );
    }
    return BigInt(timestamp);
  }
  if (typeof timestamp !== 'bigint')
    throw new TypeError(`${where}: timestamp expected a number or bigint, got ${typeof timestamp}`);
  if (timestamp < 0n || timestamp > MAX_TIMESTAMP) {
    throw new RangeError(
      `${where}: timestamp expected a u64 below 2^64 - 1 (reserved for infinity), got ${timestamp}`,
    );
  }
  return timestamp;
}

/**
 * Fingerprint of a multiset of ids from its sum: SHA-256(sum as 32 LE bytes ‖ varint(count))[0..16]
 * (negentropy-protocol-v1 §Fingerprint).
 */
export function fingerprintOfSum(sumWords: Uint32Array, offset: number, count: number): Uint8Array {
  const w = new ByteWriter(48);
  const sum = new Uint8Array(32);
  for (let k = 0; k < 8; k++) {
    const v = sumWords[offset + k]!;
    sum[4 * k] = v;
    sum[4 * k + 1] = v >>> 8;
    sum[4 * k + 2] = v >>> 16;
    sum[4 * k + 3] = v >>> 24;
  }
  w.bytes(sum);
  w.varint(count);
  return sha256(w.finish()).subarray(0, FINGERPRINT_BYTES);
}

/** Fingerprint of a list of 32-byte ids (the spec's definition, for tests and small sets). */
export function negentropyFingerprint(ids: readonly Uint8Array[]): Uint8Array {
  const acc = new Uint32Array(8);
  for (const id of ids) {
    assertBytes('negentropyFingerprint', 'id', id);
    if (id.length !== NEG_ID_BYTES)
      throw new RangeError(`negentropyFingerprint: id expected 32 bytes, got ${id.length}`);
    let carry = 0;
    for (let k = 0; k < 8; k++) {
      const p = 4 * k;
      const v = (id[p]! | (id[p + 1]! << 8) | (id[p + 2]! << 16) | (id[p + 3]! << 24)) >>> 0;
      const s = acc[k]! + v + carry;
      acc[k] = s >>> 0;
      carry = s > 0xffffffff ? 1 : 0;
    }
  }
  return fingerprintOfSum(acc, 0, ids.length);
}

/**
 * In-memory sorted storage: `insert` items, then `seal` sorts them, rejects duplicates and builds prefix sums
 * of the ids (mod 2^256) so every range fingerprint costs one 8-limb subtraction and one SHA-256, however large
 * the range — the role a B-tree's cached node sums play in the reference C++. Memory ≈ 72 bytes per item.
 */
export class NegentropyStorageVector implements NegentropyStorage {
  #sealed = false;
  #size = 0;
  // Before seal: insertion order; after: sorted by (timestamp, id).
  #tsHi = new Uint32Array(64);
  #tsLo = new Uint32Array(64);
  #ids = new Uint8Array(64 * NEG_ID_BYTES);
  #prefix = new Uint32Array(8);

  /** Adds one item. Throws TypeError/RangeError for a bad timestamp or id, Error after {@link seal}. */
  insert(timestamp: bigint | number, id: Uint8Array): void {
    if (this.#sealed) throw new Error('NegentropyStorageVector.insert: already sealed');
    const ts = toU64('NegentropyStorageVector.insert', timestamp);
    assertBytes('NegentropyStorageVector.insert', 'id', id);
    if (id.length !== NEG_ID_BYTES) {
      throw new RangeError(`NegentropyStorageVector.insert: id expected 32 bytes, got ${id.length}`);
    }
    this.#reserve(this.#size + 1);
    const i = this.#size++;
    this.#tsHi[i] = Number(ts >> 32n);
    this.#tsLo[i] = Number(ts & 0xffffffffn);
    this.#ids.set(id, i * NEG_ID_BYTES);
  }

  /**
   * Bulk insert: `timestamps[i]` (safe integers or bigints) with the 32-byte id at `ids[32 i]`. Much faster
   * than {@link insert} for big sets when timestamps are numbers.
   */
  insertMany(timestamps: ArrayLike<number | bigint>, ids: Uint8Array): void {
    if (this.#sealed) throw new Error('NegentropyStorageVector.insertMany: already sealed');
    assertBytes('NegentropyStorageVector.insertMany', 'ids', ids);
    const n = timestamps.length;
    if (ids.length !== n * NEG_ID_BYTES) {
      throw new RangeError(
        `NegentropyStorageVector.insertMany: ids expected ${n * 32} bytes, got ${ids.length}`,
      );
    }
    this.#reserve(this.#size + n);
    const base = this.#size;
    for (let k = 0; k < n; k++) {
      const t = timestamps[k]!;
      if (typeof t === 'number' && Number.isSafeInteger(t) && t >= 0) {
        this.#tsHi[base + k] = Math.floor(t / 0x100000000);
        this.#tsLo[base + k] = t >>> 0;
      } else {
        const ts = toU64('NegentropyStorageVector.insertMany', t);
        this.#tsHi[base + k] = Number(ts >> 32n);
        this.#tsLo[base + k] = Number(ts & 0xffffffffn);
      }
    }
    this.#ids.set(ids, base * NEG_ID_BYTES);
    this.#size = base + n;
  }

  #reserve(n: number): void {
    if (n <= this.#tsHi.length) return;
    let cap = this.#tsHi.length;
    while (cap < n) cap *= 2;
    const hi = new Uint32Array(cap);
    hi.set(this.#tsHi);
    this.#tsHi = hi;
    const lo = new Uint32Array(cap);
    lo.set(this.#tsLo);
    this.#tsLo = lo;
    const ids = new Uint8Array(cap * NEG_ID_BYTES);
    ids.set(this.#ids);
    this.#ids = ids;
  }

  /** Sorts by (timestamp, id) and freezes the set. Throws Error on a duplicate item or a second seal. */
  seal(): void {
    if (this.#sealed) throw new Error('NegentropyStorageVector.seal: already sealed');
    const n = this.#size;
    const hi = this.#tsHi;
    const lo = this.#tsLo;
    const ids = this.#ids;
    const cmp = (a: number, b: number): number => {
      if (hi[a] !== hi[b]) return hi[a]! - hi[b]!;
      if (lo[a] !== lo[b]) return lo[a]! - lo[b]!;
      const pa = a * NEG_ID_BYTES;
      const pb = b * NEG_ID_BYTES;
      for (let k = 0; k < NEG_ID_BYTES; k++)
        if (ids[pa + k] !== ids[pb + k]) return ids[pa + k]! - ids[pb + k]!;
      return 0;
    };
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) if (cmp(i - 1, i) > 0) sorted = false;
    if (!sorted) order.sort(cmp);
    const sHi = new Uint32Array(n);
    const sLo = new Uint32Array(n);
    const sIds = new Uint8Array(n * NEG_ID_BYTES);
    const prefix = new Uint32Array((n + 1) * 8);
    for (let i = 0; i < n; i++) {
      const j = order[i]!;
      if (i > 0 && cmp(order[i - 1]!, j) === 0)
        throw new Error('NegentropyStorageVector.seal: duplicate item');
      sHi[i] = hi[j]!;
      sLo[i] = lo[j]!;
      const p = j * NEG_ID_BYTES;
      sIds.set(ids.subarray(p, p + NEG_ID_BYTES), i * NEG_ID_BYTES);
      let carry = 0;
      for (let k = 0; k < 8; k++) {
        const q = p + 4 * k;
        const v = (ids[q]! | (ids[q + 1]! << 8) | (ids[q + 2]! << 16) | (ids[q + 3]! << 24)) >>> 0;
        const s = prefix[8 * i + k]! + v + carry;
        prefix[8 * (i + 1) + k] = s >>> 0;
        carry = s > 0xffffffff ? 1 : 0;
      }
    }
    this.#tsHi = sHi;
    this.#tsLo = sLo;
    this.#ids = sIds;
    this.#prefix = prefix;
    this.#sealed = true;
  }

  /** True after {@link seal}. */
  get sealed(): boolean {
    return this.#sealed;
  }

  /** Number of items (after {@link seal}; Error before). */
  get size(): number {
    this.#check();
    return this.#size;
  }

  /** Timestamp of item `i` in sorted order. */
  timestamp(i: number): bigint {
    this.#check();
    return (BigInt(this.#tsHi[i]!) << 32n) | BigInt(this.#tsLo[i]!);
  }

  /** Id of item `i` in sorted order: a 32-byte view into the storage (do not modify). */
  id(i: number): Uint8Array {
    this.#check();
    return this.#ids.subarray(i * NEG_ID_BYTES, (i + 1) * NEG_ID_BYTES);
  }

  /** First index in `[begin, end)` whose item is ≥ `bound` (binary search), or `end`. */
  findLowerBound(begin: number, end: number, bound: Bound): number {
    this.#check();
    const inf = bound.timestamp > MAX_TIMESTAMP;
    const bHi = inf ? 0xffffffff : Number(bound.timestamp >> 32n);
    const bLo = inf ? 0xffffffff : Number(bound.timestamp & 0xffffffffn);
    const prefix = bound.id;
    let first = begin;
    let count = end - begin;
    while (count > 0) {
      const step = count >>> 1;
      const it = first + step;
      if (this.#lessThan(it, bHi, bLo, prefix)) {
        first = it + 1;
        count -= step + 1;
      } else count = step;
    }
    return first;
  }

  /** Item `i` < bound? An id equal to the bound's prefix counts as ≥ (missing bound bytes are zero). */
  #lessThan(i: number, bHi: number, bLo: number, prefix: Uint8Array): boolean {
    const hi = this.#tsHi[i]!;
    if (hi !== bHi) return hi < bHi;
    const lo = this.#tsLo[i]!;
    if (lo !== bLo) return lo < bLo;
    const ids = this.#ids;
    const p = i * NEG_ID_BYTES;
    for (let k = 0; k < prefix.length; k++) {
      const a = ids[p + k]!;
      const b = prefix[k]!;
      if (a !== b) return a < b;
    }
    return false;
  }

  /** Fingerprint of items `[begin, end)` from the prefix sums: O(1) plus one SHA-256. RangeError on a bad range. */
  fingerprint(begin: number, end: number): Uint8Array {
    this.#check();
    if (begin < 0 || begin > end || end > this.#size)
      throw new RangeError(`fingerprint: bad range [${begin}, ${end})`);
    const pre = this.#prefix;
    const diff = new Uint32Array(8);
    let borrow = 0;
    for (let k = 0; k < 8; k++) {
      const d = pre[8 * end + k]! - pre[8 * begin + k]! - borrow;
      diff[k] = d >>> 0;
      borrow = d < 0 ? 1 : 0;
    }
    return fingerprintOfSum(diff, 0, end - begin);
  }

  #check(): void {
    if (!this.#sealed) throw new Error('NegentropyStorageVector: not sealed');
  }
}

/** Lexicographic byte comparison. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
