import { assertBytes, CodecError } from '@syncwire/bytes';
import { uvarint } from '@syncwire/varint';
import { popcount } from './bits.ts';
import { type MerkleOptions, ownTreeHasher } from './options.ts';
import { NODE_PREFIX, type TreeHasher } from './tree-hasher.ts';

/** Most leaves any tree here can hold: 2^53 - 1, so at most 53 frontier entries. */
const MAX_FRONTIER = 53;

/**
 * The frontier (compact range [0, n)) of a growing tree: one hash per set bit of n, the roots of the
 * complete subtrees that tile [0, n) from left to right, largest first, stored back to back so that the
 * last two are the children of the next merge. Shared by {@link MerkleAppender}, `merkleRoot` and
 * the range verifier.
 */
export class Frontier {
  readonly th: TreeHasher;
  /** Entries back to back; a view of `#buf` that starts one byte in. */
  readonly stack: Uint8Array;
  /**
   * `0x01 || entry d-1 || entry d` for each d ≥ 1, as views of `#buf` made once: a merge writes the
   * node prefix into the byte just before entry d-1 (the last byte of entry d-2, saved and restored)
   * and hashes in place, copying nothing (the copy measured ~7% of a root build).
   */
  readonly #pairs: Uint8Array[] = [];
  readonly #buf: Uint8Array;
  /** Entries in use. */
  depth = 0;
  /** Leaves appended. */
  count = 0;

  constructor(th: TreeHasher) {
    this.th = th;
    const s = th.size;
    this.#buf = new Uint8Array(1 + (MAX_FRONTIER + 1) * s);
    this.stack = this.#buf.subarray(1);
    this.#pairs.push(this.#buf.subarray(0, 0));
    for (let d = 1; d <= MAX_FRONTIER; d++)
      this.#pairs.push(this.#buf.subarray((d - 1) * s, (d + 1) * s + 1));
  }

  reset(): void {
    this.depth = 0;
    this.count = 0;
  }

  /** Makes room for one leaf hash and returns the byte offset where it must be written; call `merge()` next. */
  slot(): number {
    return this.depth * this.th.size;
  }

  /** Takes the leaf hash written at `slot()` and merges complete subtrees, like a binary counter's carries. */
  merge(): void {
    const s = this.th.size;
    const buf = this.#buf;
    const hasher = this.th.hasher;
    let d = this.depth + 1;
    // Each trailing 1 bit of the old count is a complete subtree of the new leaf's size to its left.
    for (let c = this.count; c % 2 === 1; c = (c - 1) / 2) {
      d--;
      const at = (d - 1) * s;
      const saved = buf[at]!;
      buf[at] = NODE_PREFIX;
      hasher.hashInto(this.#pairs[d]!, this.stack, at);
      buf[at] = saved;
    }
    this.depth = d;
    this.count++;
  }

  /** Writes the root of the leaves so far: the frontier folded right to left (RFC 9162 left-full shape). */
  rootInto(out: Uint8Array, off: number): void {
    const s = this.th.size;
    if (this.depth === 0) {
      this.th.emptyInto(out, off);
      return;
    }
    const acc = new Uint8Array(s);
    acc.set(this.stack.subarray((this.depth - 1) * s, this.depth * s));
    for (let d = this.depth - 2; d >= 0; d--) this.th.nodeInto(this.stack, d * s, acc, 0, acc, 0);
    out.set(acc, off);
  }
}

/**
 * Builds a tree root leaf by leaf in O(log n) memory: it keeps only the frontier (one hash per set
 * bit of the leaf count) and can give the root of the prefix appended so far at any time.
 *
 * @example
 * ```ts
 * const a = new MerkleAppender();
 * a.append(new Uint8Array([1]));
 * a.append(new Uint8Array([2]));
 * a.root(); // same bytes as merkleRoot([Uint8Array.of(1), Uint8Array.of(2)])
 * ```
 */
export class MerkleAppender {
  readonly #f: Frontier;

  constructor(options?: MerkleOptions) {
    this.#f = new Frontier(ownTreeHasher('MerkleAppender', options));
  }

  /** Leaves appended so far. */
  get size(): number {
    return this.#f.count;
  }

  /** Hashes in the frontier (the number of set bits of `size`): the whole state besides `size`. */
  get frontierLength(): number {
    return this.#f.depth;
  }

  /** Appends one leaf (its RFC 9162 leaf hash `HASH(0x00 || leaf)` is computed here). */
  append(leaf: Uint8Array): void {
    assertBytes('MerkleAppender.append', 'leaf', leaf);
    this.#checkRoom('append');
    const f = this.#f;
    f.th.leafInto(leaf, f.stack, f.slot());
    f.merge();
  }

  /** Appends one leaf given by its leaf hash (exactly `hasher.outputLen` bytes). */
  appendHash(leafHash: Uint8Array): void {
    const where = 'MerkleAppender.appendHash';
    assertBytes(where, 'leafHash', leafHash);
    const f = this.#f;
    if (leafHash.length !== f.th.size) {
      throw new RangeError(`${where}: leafHash expected ${f.th.size} bytes, got ${leafHash.length}`);
    }
    this.#checkRoom('appendHash');
    f.stack.set(leafHash, f.slot());
    f.merge();
  }

  /** Root of all leaves appended so far (`HASH()` while empty). */
  root(): Uint8Array {
    const out = new Uint8Array(this.#f.th.size);
    this.#f.rootInto(out, 0);
    return out;
  }

  /** A copy of the frontier hashes, largest subtree first, back to back. */
  frontier(): Uint8Array {
    return this.#f.stack.slice(0, this.#f.depth * this.#f.th.size);
  }

  /** Wire form of the whole state: `uvarint(size) || frontier hashes` (popcount(size) of them). */
  toBytes(): Uint8Array {
    const f = this.#f;
    const head = uvarint.encodingLength(f.count);
    const out = new Uint8Array(head + f.depth * f.th.size);
    uvarint.encodeInto(f.count, out, 0);
    out.set(f.stack.subarray(0, f.depth * f.th.size), head);
    return out;
  }

  /**
   * Resumes an appender from {@link MerkleAppender.toBytes} output.
   * @throws CodecError `unexpected_eof`/`trailing_bytes` unless the bytes hold exactly popcount(size)
   *   hashes after the size, and the uvarint errors.
   */
  static fromBytes(bytes: Uint8Array, options?: MerkleOptions): MerkleAppender {
    const where = 'MerkleAppender.fromBytes';
    assertBytes(where, 'bytes', bytes);
    const a = new MerkleAppender(options);
    const f = a.#f;
    const { value: size, end } = uvarint.decode(bytes, 0);
    const depth = popcount(size);
    const want = depth * f.th.size;
    if (bytes.length - end < want) {
      throw new CodecError('unexpected_eof', `${where}: ${depth} frontier hashes need ${want} bytes`, end);
    }
    if (bytes.length - end > want) {
      throw new CodecError(
        'trailing_bytes',
        `${where}: ${bytes.length - end - want} bytes after the frontier`,
        end + want,
      );
    }
    f.stack.set(bytes.subarray(end), 0);
    f.depth = depth;
    f.count = size;
    return a;
  }

  #checkRoom(op: string): void {
    if (this.#f.count >= Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`MerkleAppender.${op}: the tree already holds 2^53 - 1 leaves`);
    }
  }
}
