import { assertInteger, describe } from '@syncwire/bytes';
import type { Kernel, KernelName } from './kernel.ts';
import { simdKernel } from './kernel-simd.ts';
import { tableKernel } from './kernel-table.ts';
import { encodingMatrix, invert } from './matrix.ts';

/** Most shards a code can have: GF(2^8) has 256 distinct evaluation points. */
export const MAX_TOTAL_SHARDS = 256;

/** Options for {@link ReedSolomon}. */
export interface ReedSolomonOptions {
  /**
   * Which kernel runs the arithmetic. `auto` (default): WebAssembly SIMD where the runtime has it, else the
   * pure-TypeScript tables. `simd` throws where SIMD is unavailable; `table` forces the portable path. All give
   * identical bytes.
   */
  kernel?: 'auto' | KernelName;
  /**
   * Decoding matrices kept per erasure pattern (least recently used evicted). Default 64; 0 disables the cache.
   * Each entry is k² bytes.
   */
  maxCachedMatrices?: number;
}

/** A shard array for {@link ReedSolomon.reconstruct}: `null`/`undefined` marks a missing shard. */
export type MaybeShards = Array<Uint8Array | null | undefined>;

const encodingCache = new Map<number, Uint8Array>();

/** The (k + m) × k encoding matrix, shared between instances (≤ 32 codes kept). */
function sharedEncodingMatrix(k: number, m: number): Uint8Array {
  const key = k * 512 + m;
  let e = encodingCache.get(key);
  if (e === undefined) {
    e = encodingMatrix(k, m);
    if (encodingCache.size >= 32) encodingCache.delete(encodingCache.keys().next().value as number);
    encodingCache.set(key, e);
  }
  return e;
}

function pickKernel(choice: unknown): Kernel {
  if (choice === undefined || choice === 'auto') return simdKernel() ?? tableKernel;
  if (choice === 'table') return tableKernel;
  if (choice === 'simd') {
    const k = simdKernel();
    if (k === undefined)
      throw new Error('ReedSolomon: kernel "simd" requested but WebAssembly SIMD is unavailable');
    return k;
  }
  throw new TypeError(
    `ReedSolomon: options.kernel expected "auto", "simd" or "table", got ${describe(choice)}`,
  );
}

/**
 * A systematic Reed-Solomon erasure code with `dataShards` (k) data and `parityShards` (m) parity shards over
 * GF(2^8), poly 0x11D. Parity is byte-identical with klauspost/reedsolomon (default options), Backblaze
 * JavaReedSolomon and the Rust `reed-solomon-erasure` crate. Any k of the k + m shards rebuild the rest.
 *
 * Shards are equal-length `Uint8Array`s (any length, including 0). The code corrects *erasures* (shards known
 * to be missing), not corruption: pair each shard with a hash and drop the ones that fail before reconstructing.
 *
 * @example
 * ```ts
 * const rs = new ReedSolomon(4, 2);
 * const shards = [a, b, c, d, new Uint8Array(n), new Uint8Array(n)];
 * rs.encode(shards);              // fills shards[4] and shards[5]
 * shards[0] = null; shards[5] = null;
 * rs.reconstruct(shards);         // shards[0] and shards[5] are back
 * ```
 */
export class ReedSolomon {
  /** k: number of data shards. */
  readonly dataShards: number;
  /** m: number of parity shards. */
  readonly parityShards: number;
  /** k + m. */
  readonly totalShards: number;
  /** The kernel in use (`simd` or `table`). */
  readonly kernel: KernelName;
  readonly #matrix: Uint8Array;
  readonly #parity: Uint8Array;
  readonly #kernel: Kernel;
  readonly #maxCached: number;
  readonly #cache = new Map<string, Uint8Array>();

  /**
   * @throws TypeError if an argument is not an integer or an option has the wrong type.
   * @throws RangeError unless 1 ≤ k, 1 ≤ m and k + m ≤ 256.
   */
  constructor(dataShards: number, parityShards: number, options: ReedSolomonOptions = {}) {
    assertInteger('ReedSolomon', 'dataShards', dataShards, 1, MAX_TOTAL_SHARDS - 1);
    assertInteger('ReedSolomon', 'parityShards', parityShards, 1, MAX_TOTAL_SHARDS - 1);
    if (dataShards + parityShards > MAX_TOTAL_SHARDS) {
      throw new RangeError(
        `ReedSolomon: dataShards + parityShards expected at most ${MAX_TOTAL_SHARDS}, got ${dataShards + parityShards}`,
      );
    }
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`ReedSolomon: options expected an object, got ${describe(options)}`);
    }
    const maxCached = options.maxCachedMatrices ?? 64;
    assertInteger('ReedSolomon', 'options.maxCachedMatrices', maxCached, 0, Number.MAX_SAFE_INTEGER);
    this.dataShards = dataShards;
    this.parityShards = parityShards;
    this.totalShards = dataShards + parityShards;
    this.#kernel = pickKernel(options.kernel);
    this.kernel = this.#kernel.name;
    this.#maxCached = maxCached;
    this.#matrix = sharedEncodingMatrix(dataShards, parityShards);
    this.#parity = this.#matrix.subarray(dataShards * dataShards);
  }

  /**
   * A copy of the (k + m) × k encoding matrix, row-major: the top k rows are the identity, row k + p holds the
   * coefficients of parity shard p.
   */
  encodingMatrix(): Uint8Array {
    return this.#matrix.slice();
  }

  /**
   * k + m zeroed shards of `shardLength` bytes placed where the kernel works on them in place: with the SIMD
   * kernel, slots of a dedicated WebAssembly memory, so {@link ReedSolomon.encode} and the reconstructions skip
   * copying shards in and out of WASM memory (measurably faster for large shards; see the README). Fill the
   * data shards directly (e.g. read into them). They are ordinary `Uint8Array`s usable anywhere; with the table
   * kernel they are plain allocations. Views that are not whole slots (subarrays) still work, via copying.
   *
   * @throws TypeError / RangeError unless `shardLength` is an integer in [0, 2^30].
   */
  allocateShards(shardLength: number): Uint8Array[] {
    assertInteger('ReedSolomon.allocateShards', 'shardLength', shardLength, 0, 2 ** 30);
    const n = this.totalShards;
    if (this.#kernel.allocate !== undefined) {
      return this.#kernel.allocate(n, shardLength, this.dataShards, this.parityShards);
    }
    return Array.from({ length: n }, () => new Uint8Array(shardLength));
  }

  /**
   * Computes the parity shards from the data shards. `shards` has k + m entries; the first k are the data,
   * the last m are overwritten in place where they are `Uint8Array`s of the right length and allocated where
   * they are `null`/`undefined`. Returns `shards`, now all present.
   *
   * @throws TypeError if `shards` is not an array or a data shard is not a `Uint8Array`.
   * @throws RangeError if `shards.length !== k + m`, or the shards differ in length.
   */
  encode(shards: MaybeShards): Uint8Array[] {
    const where = 'ReedSolomon.encode';
    const k = this.dataShards;
    const len = this.#checkShards(where, shards, this.totalShards, k);
    const parity: Uint8Array[] = [];
    for (let i = k; i < this.totalShards; i++) {
      let p = shards[i];
      if (p === null || p === undefined) {
        p = new Uint8Array(len);
        shards[i] = p;
      } else {
        checkShard(where, i, p, len);
      }
      parity.push(p);
    }
    this.#kernel.mul(this.#parity, shards.slice(0, k) as Uint8Array[], parity, len);
    return shards as Uint8Array[];
  }

  /**
   * The m parity shards of k data shards, freshly allocated.
   *
   * @throws TypeError / RangeError as {@link ReedSolomon.encode}, with `data.length !== k`.
   */
  encodeParity(data: readonly Uint8Array[]): Uint8Array[] {
    const where = 'ReedSolomon.encodeParity';
    const k = this.dataShards;
    const len = this.#checkShards(where, data, k, k);
    const parity = Array.from({ length: this.parityShards }, () => new Uint8Array(len));
    this.#kernel.mul(this.#parity, data, parity, len);
    return parity;
  }

  /**
   * True when the m parity shards are exactly those the k data shards give. A false answer says *some* shard
   * is wrong, not which one.
   *
   * @throws TypeError / RangeError unless `shards` is k + m present shards of one length.
   */
  verify(shards: readonly Uint8Array[]): boolean {
    const where = 'ReedSolomon.verify';
    const len = this.#checkShards(where, shards, this.totalShards, this.totalShards);
    const k = this.dataShards;
    // Recompute in slices so memory stays bounded however long the shards are.
    const slice = Math.min(len, 64 * 1024);
    const scratch = Array.from({ length: this.parityShards }, () => new Uint8Array(slice));
    for (let off = 0; off < len; off += slice) {
      const n = Math.min(slice, len - off);
      const inputs = shards.slice(0, k).map((s) => s.subarray(off, off + n));
      this.#kernel.mul(this.#parity, inputs, scratch, n);
      for (let p = 0; p < this.parityShards; p++) {
        const want = scratch[p] as Uint8Array;
        const got = shards[k + p] as Uint8Array;
        for (let j = 0; j < n; j++) if (want[j] !== got[off + j]) return false;
      }
    }
    return true;
  }

  /**
   * Rebuilds every missing shard (data and parity) from any k present ones. Missing entries are `null` or
   * `undefined`, or — when `present` is given — any entry whose `present[i]` is false (a `Uint8Array` of the
   * right length there is reused as the output buffer, so steady-state reconstruction allocates nothing).
   * Returns `shards`, now complete. Present shards are trusted: RS cannot tell a corrupted shard from a good one.
   *
   * @throws TypeError if `shards` is not an array or an entry is neither a `Uint8Array` nor missing.
   * @throws RangeError if `shards.length !== k + m`, fewer than k shards are present, or lengths differ.
   */
  reconstruct(shards: MaybeShards, present?: readonly boolean[]): Uint8Array[] {
    this.#reconstruct('ReedSolomon.reconstruct', shards, present, true);
    return shards as Uint8Array[];
  }

  /**
   * Like {@link ReedSolomon.reconstruct} but rebuilds only the missing *data* shards (cheaper when parity is
   * not needed); missing parity entries are left as they are. Returns the k data shards.
   *
   * @throws as {@link ReedSolomon.reconstruct}.
   */
  reconstructData(shards: MaybeShards, present?: readonly boolean[]): Uint8Array[] {
    this.#reconstruct('ReedSolomon.reconstructData', shards, present, false);
    return shards.slice(0, this.dataShards) as Uint8Array[];
  }

  #reconstruct(
    where: string,
    shards: MaybeShards,
    present: readonly boolean[] | undefined,
    parity: boolean,
  ): void {
    const k = this.dataShards;
    const n = this.totalShards;
    if (!Array.isArray(shards))
      throw new TypeError(`${where}: shards expected an array, got ${describe(shards)}`);
    if (shards.length !== n)
      throw new RangeError(`${where}: shards expected ${n} entries, got ${shards.length}`);
    if (present !== undefined) {
      if (!Array.isArray(present)) {
        throw new TypeError(`${where}: present expected an array of booleans, got ${describe(present)}`);
      }
      if (present.length !== n)
        throw new RangeError(`${where}: present expected ${n} entries, got ${present.length}`);
    }
    let len = -1;
    const have: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = shards[i];
      const isPresent = present === undefined ? s !== null && s !== undefined : present[i] === true;
      if (s !== null && s !== undefined && !(s instanceof Uint8Array)) {
        throw new TypeError(
          `${where}: shards[${i}] expected a Uint8Array, null or undefined, got ${describe(s)}`,
        );
      }
      if (!isPresent) continue;
      if (s === null || s === undefined) {
        throw new TypeError(`${where}: shards[${i}] is marked present but is ${describe(s)}`);
      }
      if (len === -1) len = s.length;
      else if (s.length !== len) {
        throw new RangeError(
          `${where}: shards[${i}] has length ${s.length}, expected ${len} like the others`,
        );
      }
      have.push(i);
    }
    if (have.length < k) {
      throw new RangeError(`${where}: need at least ${k} present shards to reconstruct, got ${have.length}`);
    }
    const isMissing = (i: number) => (present === undefined ? shards[i] == null : present[i] !== true);
    const outputFor = (i: number): Uint8Array => {
      const s = shards[i];
      if (s instanceof Uint8Array && s.length === len) return s;
      const fresh = new Uint8Array(len);
      shards[i] = fresh;
      return fresh;
    };

    const missingData: number[] = [];
    for (let i = 0; i < k; i++) if (isMissing(i)) missingData.push(i);
    if (missingData.length > 0) {
      // Decode from the first k present shards, as the reference libraries do; any k would give the same bytes.
      const use = have.slice(0, k);
      const inv = this.#decodeMatrix(use);
      const rows = new Uint8Array(missingData.length * k);
      missingData.forEach((d, r) => {
        rows.set(inv.subarray(d * k, d * k + k), r * k);
      });
      this.#kernel.mul(
        rows,
        use.map((i) => shards[i] as Uint8Array),
        missingData.map(outputFor),
        len,
      );
    }
    if (!parity) return;
    const missingParity: number[] = [];
    for (let i = k; i < n; i++) if (isMissing(i)) missingParity.push(i);
    if (missingParity.length === 0) return;
    const rows = new Uint8Array(missingParity.length * k);
    missingParity.forEach((p, r) => {
      rows.set(this.#parity.subarray((p - k) * k, (p - k) * k + k), r * k);
    });
    this.#kernel.mul(rows, shards.slice(0, k) as Uint8Array[], missingParity.map(outputFor), len);
  }

  /** inverse(rows `use` of the encoding matrix), cached per pattern. */
  #decodeMatrix(use: readonly number[]): Uint8Array {
    const key = String.fromCharCode(...use);
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      // Re-insert to mark as most recently used.
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return cached;
    }
    const k = this.dataShards;
    const sub = new Uint8Array(k * k);
    use.forEach((row, r) => {
      sub.set(this.#matrix.subarray(row * k, row * k + k), r * k);
    });
    const inv = invert(sub, k);
    // Any k rows of E are independent (E is V times an invertible matrix, V's rows distinct points).
    if (inv === undefined) throw new Error('ReedSolomon: internal error, singular decode matrix');
    if (this.#maxCached > 0) {
      if (this.#cache.size >= this.#maxCached) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(key, inv);
    }
    return inv;
  }

  /** Number of decode matrices currently cached. */
  get cachedMatrices(): number {
    return this.#cache.size;
  }

  /** Checks that `shards` has `want` entries, the first `count` Uint8Arrays of one length; returns that length. */
  #checkShards(where: string, shards: readonly unknown[], want: number, count: number): number {
    if (!Array.isArray(shards))
      throw new TypeError(`${where}: shards expected an array, got ${describe(shards)}`);
    if (shards.length !== want)
      throw new RangeError(`${where}: shards expected ${want} entries, got ${shards.length}`);
    const first = shards[0];
    if (!(first instanceof Uint8Array)) {
      throw new TypeError(`${where}: shards[0] expected a Uint8Array, got ${describe(first)}`);
    }
    for (let i = 1; i < count; i++) checkShard(where, i, shards[i], first.length);
    return first.length;
  }
}

function checkShard(where: string, i: number, s: unknown, len: number): void {
  if (!(s instanceof Uint8Array))
    throw new TypeError(`${where}: shards[${i}] expected a Uint8Array, got ${describe(s)}`);
  if (s.length !== len) {
    throw new RangeError(`${where}: shards[${i}] has length ${s.length}, expected ${len} like shards[0]`);
  }
}
