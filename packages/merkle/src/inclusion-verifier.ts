import { assertBytes, assertInteger } from '@syncwire/bytes';
import { inclusionShape } from './inclusion.ts';
import { assertSize, claimedSize, type MerkleOptions, ownTreeHasher } from './options.ts';
import { equalAt, flattenProof, type ProofInput } from './proof-input.ts';
import type { TreeHasher } from './tree-hasher.ts';

/** Options of {@link InclusionVerifier}. */
export interface InclusionVerifierOptions extends MerkleOptions {
  /** Most node hashes kept (each `hasher.outputLen` bytes). Default 262144 (8 MiB with SHA-256, allocated as it fills). */
  maxCachedNodes?: number;
}

/** Widest level indexed by a dense table (4 bytes per node of that level). */
const DENSE_MAX = 1 << 21;

/** Most levels a tree of up to 2^53 - 1 leaves has. */
const MAX_LEVELS = 54;

/**
 * Verifies many inclusion proofs against one trusted (root, treeSize) faster than calling
 * {@link verifyInclusion} for each, by remembering every node of every path it has verified. Each
 * remembered node is trusted (its path reached the trusted root), so a later proof's walk stops hashing
 * at the first node whose value is already known: past that point each proof hash is only compared with
 * the remembered sibling, never hashed. Verdicts are the same as `verifyInclusion`'s: a proof that
 * differs from the true one in any byte is rejected (at the first known node it disagrees with).
 *
 * Memory: `maxCachedNodes` hashes (once full it stops remembering and verifies like `verifyInclusion`),
 * plus an index of 4 bytes per node for each level that holds a remembered node and is at most 2^21
 * nodes wide (8 MiB in all for a 1 M-leaf tree; zero-filled lazily), and Maps for wider levels. Nodes are addressed as in the level view of the tree (level l, index i covers leaves
 * [i·2^l, min((i+1)·2^l, treeSize))).
 */
export class InclusionVerifier {
  /** Leaves in the trusted tree. */
  readonly treeSize: number;
  readonly #th: TreeHasher;
  readonly #root: Uint8Array;
  readonly #max: number;
  /**
   * Per level: node index → slot + 1 in #cache (0 = unknown). A dense Int32Array for levels of at most
   * DENSE_MAX nodes (one array read per lookup; measured ~3x cheaper than a Map on 1 M-leaf trees),
   * a Map for wider levels (trees of millions of leaves), each made on first use.
   */
  readonly #dense: (Int32Array | undefined)[] = [];
  readonly #sparse: (Map<number, number> | undefined)[] = [];
  /** Node count of each level. */
  readonly #widths: number[] = [];
  #cache: Uint8Array;
  #used = 0;
  /** Nodes computed on the current walk, per level, for remembering after success. */
  readonly #path: Uint8Array;
  readonly #acc: Uint8Array;

  /**
   * @throws TypeError/RangeError for a root that is not `hasher.outputLen` bytes, a bad size or option.
   */
  constructor(root: Uint8Array, treeSize: number, options?: InclusionVerifierOptions) {
    const where = 'InclusionVerifier';
    assertBytes(where, 'root', root);
    assertSize(where, 'treeSize', treeSize);
    this.#th = ownTreeHasher(where, options);
    const s = this.#th.size;
    if (root.length !== s) throw new RangeError(`${where}: root expected ${s} bytes, got ${root.length}`);
    const max = options?.maxCachedNodes ?? 262_144;
    assertInteger(where, 'options.maxCachedNodes', max, 0, 1 << 26);
    this.treeSize = treeSize;
    this.#root = root.slice();
    this.#max = max;
    for (let w = treeSize, l = 0; l < MAX_LEVELS; l++, w = Math.ceil(w / 2)) {
      this.#widths.push(w);
      this.#dense.push(undefined);
      this.#sparse.push(undefined);
    }
    // Grown on demand up to max, so a verifier used for a few proofs stays small.
    this.#cache = new Uint8Array(Math.min(max, 1024) * s);
    this.#path = new Uint8Array(MAX_LEVELS * s);
    this.#acc = new Uint8Array(s);
  }

  /** Node hashes remembered so far. */
  get cachedNodes(): number {
    return this.#used;
  }

  /**
   * Same contract and verdicts as {@link verifyInclusion} with this verifier's root and size.
   * @throws TypeError for non-bytes / non-integers; RangeError for a negative or unsafe index.
   */
  verify(leafHash: Uint8Array, index: number, proof: ProofInput): boolean {
    const where = 'InclusionVerifier.verify';
    assertBytes(where, 'leafHash', leafHash);
    const exact = claimedSize(where, 'index', index);
    const th = this.#th;
    const s = th.size;
    const n = this.treeSize;
    if (!exact || index >= n || leafHash.length !== s) {
      if (!(proof instanceof Uint8Array)) flattenProof(where, proof, -1, s);
      return false;
    }
    const { inner, border } = inclusionShape(index, n);
    const flat = flattenProof(where, proof, inner + border, s);
    if (flat === null) return false;
    const acc = this.#acc;
    const path = this.#path;
    const cache = this.#cache;
    acc.set(leafHash);
    let idx = index;
    let width = n;
    let p = 0;
    let level = 0;
    for (; width > 1; level++) {
      const slot = this.#slot(level, idx);
      if (slot >= 0) {
        // A remembered node: everything above it is remembered too, so the rest of the proof must
        // equal the remembered siblings, byte for byte; no more hashing.
        if (!equalAt(acc, 0, cache, slot * s, s)) return false;
        const rest = this.#matchesAbove(flat, p, idx, width, level);
        if (rest !== undefined) {
          if (rest) this.#remember(index, flat, level);
          return rest;
        }
        // Unreachable while the all-or-nothing invariant holds; fall back to plain hashing.
      }
      path.set(acc, level * s);
      const odd = idx % 2 === 1;
      const sib = odd ? idx - 1 : idx + 1;
      if (sib < width) {
        if (odd) th.nodeInto(flat, p * s, acc, 0, acc, 0);
        else th.nodeInto(acc, 0, flat, p * s, acc, 0);
        p++;
      }
      idx = (idx - (odd ? 1 : 0)) / 2;
      width = Math.ceil(width / 2);
    }
    if (!equalAt(acc, 0, this.#root, 0, s)) return false;
    this.#remember(index, flat, level);
    return true;
  }

  /**
   * From remembered node (level, idx) up: true when each remaining proof hash equals the remembered
   * sibling, false at the first that differs, undefined if a sibling is unexpectedly not remembered.
   */
  #matchesAbove(flat: Uint8Array, p: number, idx: number, width: number, level: number): boolean | undefined {
    const s = this.#th.size;
    for (; width > 1; level++) {
      const odd = idx % 2 === 1;
      const sib = odd ? idx - 1 : idx + 1;
      if (sib < width) {
        const slot = this.#slot(level, sib);
        if (slot < 0) return undefined;
        if (!equalAt(flat, p * s, this.#cache, slot * s, s)) return false;
        p++;
      }
      idx = (idx - (odd ? 1 : 0)) / 2;
      width = Math.ceil(width / 2);
    }
    return true;
  }

  /**
   * Stores the nodes and siblings of a verified path below `levels` (above it they are already
   * remembered). All or nothing, so every remembered node has its sibling and all its ancestors'
   * siblings remembered too.
   */
  #remember(index: number, flat: Uint8Array, levels: number): void {
    const s = this.#th.size;
    if (this.#used + 2 * levels > this.#max) return;
    if ((this.#used + 2 * levels) * s > this.#cache.length) {
      const grown = new Uint8Array(
        Math.min(this.#max, Math.max(2 * (this.#cache.length / s), this.#used + 2 * levels)) * s,
      );
      grown.set(this.#cache.subarray(0, this.#used * s));
      this.#cache = grown;
    }
    let idx = index;
    let width = this.treeSize;
    let p = 0;
    for (let level = 0; level < levels; level++) {
      this.#put(level, idx, this.#path, level * s);
      const sib = idx % 2 === 1 ? idx - 1 : idx + 1;
      if (sib < width) this.#put(level, sib, flat, p++ * s);
      idx = Math.floor(idx / 2);
      width = Math.ceil(width / 2);
    }
  }

  /** Slot of remembered node (level, idx) in #cache, or -1. */
  #slot(level: number, idx: number): number {
    const dense = this.#dense[level];
    if (dense !== undefined) return dense[idx]! - 1;
    const sparse = this.#sparse[level];
    if (sparse === undefined) return -1;
    return (sparse.get(idx) ?? 0) - 1;
  }

  #put(level: number, idx: number, src: Uint8Array, at: number): void {
    if (this.#slot(level, idx) >= 0) return;
    const s = this.#th.size;
    const cache = this.#cache;
    const to = this.#used * s;
    for (let i = 0; i < s; i++) cache[to + i] = src[at + i]!;
    const width = this.#widths[level]!;
    if (width <= DENSE_MAX) {
      let dense = this.#dense[level];
      if (dense === undefined) {
        dense = new Int32Array(width);
        this.#dense[level] = dense;
      }
      dense[idx] = ++this.#used;
    } else {
      let sparse = this.#sparse[level];
      if (sparse === undefined) {
        sparse = new Map();
        this.#sparse[level] = sparse;
      }
      sparse.set(idx, ++this.#used);
    }
  }
}
