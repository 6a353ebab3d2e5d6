import { type Hasher, sha256Hasher } from './hasher.ts';

/** RFC 9162 §2.1.1 domain-separation prefixes. */
export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;

/**
 * Adds the RFC 9162 prefixes in front of the hasher's input without allocating: it owns a scratch
 * buffer laid out as `prefix || payload` and hands the hasher a cached view of it. One per tree, proof
 * or verifier object, never shared, so no call can clobber another's scratch.
 */
export class TreeHasher {
  readonly hasher: Hasher;
  /** Digest size in bytes. */
  readonly size: number;
  /** `0x01 || left || right`, placed 3 bytes into its buffer so that `left` and `right` are word-aligned. */
  readonly #node: Uint8Array;
  /** `left || right` of `#node` as 32-bit words, when the hash size is a multiple of 4. */
  readonly #nodeW: Uint32Array | undefined;
  #leaf: Uint8Array;
  #leafView: Uint8Array;
  /** `0x00 || leaf` with the leaf word-aligned (3 bytes into its buffer), for {@link TreeHasher.leafWordsInto}. */
  #leafA!: Uint8Array;
  #leafAW!: Uint32Array;
  #leafAView: Uint8Array;

  constructor(hasher: Hasher) {
    this.hasher = hasher;
    this.size = hasher.outputLen;
    const buf = new ArrayBuffer(4 + 2 * this.size);
    this.#node = new Uint8Array(buf, 3, 1 + 2 * this.size);
    this.#node[0] = NODE_PREFIX;
    this.#nodeW = this.size % 4 === 0 ? new Uint32Array(buf, 4, this.size >>> 1) : undefined;
    this.#leaf = new Uint8Array(1 + 64);
    this.#leafView = this.#leaf;
    this.#leafAView = this.#growAligned(64);
  }

  /** Makes the aligned leaf scratch hold at least `words` words; returns its full view. */
  #growAligned(words: number): Uint8Array {
    const buf = new ArrayBuffer(4 + 4 * words);
    this.#leafA = new Uint8Array(buf, 3, 1 + 4 * words);
    this.#leafA[0] = LEAF_PREFIX;
    this.#leafAW = new Uint32Array(buf, 4, words);
    return this.#leafA;
  }

  /**
   * `out[off..] = HASH(0x00 || leaf)` where the leaf is `words` 32-bit words of `src` from word
   * `from`: chunked roots call this for every whole chunk when the data and chunk size allow, since
   * copying a word at a time took a few % off a 1 M-leaf root compared with a byte loop.
   */
  leafWordsInto(src: Uint32Array, from: number, words: number, out: Uint8Array, off: number): void {
    if (this.#leafAW.length < words) this.#growAligned(Math.max(words, 2 * this.#leafAW.length));
    const w = this.#leafAW;
    for (let i = 0; i < words; i++) w[i] = src[from + i]!;
    const len = 1 + 4 * words;
    const a = this.#leafA;
    if (this.#leafAView.buffer !== a.buffer || this.#leafAView.length !== len)
      this.#leafAView = a.subarray(0, len);
    this.hasher.hashInto(this.#leafAView, out, off);
  }

  /** `out[off..] = HASH(0x00 || data)`. */
  leafInto(data: Uint8Array, out: Uint8Array, off: number): void {
    const len = data.length + 1;
    if (this.#leaf.length < len) this.#leaf = new Uint8Array(Math.max(len, 2 * this.#leaf.length));
    const buf = this.#leaf;
    buf[0] = LEAF_PREFIX;
    buf.set(data, 1);
    // Cache the view by length: fixed-size leaves (the common case) then allocate nothing.
    if (this.#leafView.buffer !== buf.buffer || this.#leafView.length !== len)
      this.#leafView = buf.subarray(0, len);
    this.hasher.hashInto(this.#leafView, out, off);
  }

  /**
   * `out[off..] = HASH(0x00 || src[from .. to))` without a view of the leaf: chunked roots call this
   * once per leaf, and a per-leaf subarray was measurable garbage-collector work at a million leaves.
   */
  leafRangeInto(src: Uint8Array, from: number, to: number, out: Uint8Array, off: number): void {
    const len = to - from + 1;
    if (this.#leaf.length < len) this.#leaf = new Uint8Array(Math.max(len, 2 * this.#leaf.length));
    const buf = this.#leaf;
    buf[0] = LEAF_PREFIX;
    if (len <= 65) for (let i = 1; i < len; i++) buf[i] = src[from + i - 1]!;
    else buf.set(src.subarray(from, to), 1);
    if (this.#leafView.buffer !== buf.buffer || this.#leafView.length !== len)
      this.#leafView = buf.subarray(0, len);
    this.hasher.hashInto(this.#leafView, out, off);
  }

  /** `out[off..] = HASH(0x01 || src[at .. at + 2·size))`: left and right children stored side by side. */
  pairInto(src: Uint8Array, at: number, out: Uint8Array, off: number): void {
    const node = this.#node;
    const n = 2 * this.size;
    // A byte loop beats `set(subarray(...))` here: it allocates no view object.
    for (let i = 0; i < n; i++) node[i + 1] = src[at + i]!;
    this.hasher.hashInto(node, out, off);
  }

  /** `out[off..] = HASH(0x01 || left[lAt..] || right[rAt..])`. */
  nodeInto(
    left: Uint8Array,
    lAt: number,
    right: Uint8Array,
    rAt: number,
    out: Uint8Array,
    off: number,
  ): void {
    const node = this.#node;
    const s = this.size;
    for (let i = 0; i < s; i++) node[i + 1] = left[lAt + i]!;
    for (let i = 0; i < s; i++) node[i + 1 + s] = right[rAt + i]!;
    this.hasher.hashInto(node, out, off);
  }

  /** True when {@link TreeHasher.nodeWordsInto} may be used (the hash size is a multiple of 4). */
  get wordAligned(): boolean {
    return this.#nodeW !== undefined;
  }

  /**
   * {@link TreeHasher.nodeInto} for callers holding 32-bit word views of the children (`lAt`, `rAt` in
   * words), which copies a word at a time. Only when {@link TreeHasher.wordAligned}.
   */
  nodeWordsInto(
    left: Uint32Array,
    lAt: number,
    right: Uint32Array,
    rAt: number,
    out: Uint8Array,
    off: number,
  ): void {
    const node = this.#nodeW!;
    const w = this.size >>> 2;
    for (let i = 0; i < w; i++) node[i] = left[lAt + i]!;
    for (let i = 0; i < w; i++) node[i + w] = right[rAt + i]!;
    this.hasher.hashInto(this.#node, out, off);
  }

  /** `out[off..] = HASH()`: the root of the empty tree. */
  emptyInto(out: Uint8Array, off: number): void {
    this.hasher.hashInto(this.#node.subarray(0, 0), out, off);
  }
}

const shared = new WeakMap<Hasher, TreeHasher>();

/** A TreeHasher for one-shot functions, cached per hasher (calls never nest, so one scratch suffices). */
export function treeHasherFor(hasher: Hasher | undefined): TreeHasher {
  const h = hasher ?? sha256Hasher;
  let t = shared.get(h);
  if (t === undefined) {
    t = new TreeHasher(h);
    shared.set(h, t);
  }
  return t;
}
