import { assertBytes, assertInteger, CodecError, describe } from '@syncwire/bytes';
import { uvarint } from '@syncwire/varint';
import { Frontier } from './appender.ts';
import { ceilLog2, splitPoint } from './bits.ts';
import { type MerkleOptions, ownTreeHasher, sharedTreeHasher } from './options.ts';
import { proveConsistency, proveInclusion, proveRange, proveStream } from './prove.ts';
import type { TreeHasher } from './tree-hasher.ts';

/** Byte offset and node count of each level of a tree of `size` leaves, and the total bytes. */
function levelLayout(size: number, hashSize: number): { offsets: number[]; sizes: number[]; bytes: number } {
  const offsets: number[] = [];
  const sizes: number[] = [];
  let total = 0;
  for (let n = size; ; n = Math.ceil(n / 2)) {
    offsets.push(total * hashSize);
    sizes.push(n);
    total += n;
    if (n <= 1) break;
  }
  return { offsets, sizes, bytes: total * hashSize };
}

/** Most leaves a {@link MerkleTree} holds in memory (2^31 - 1: its levels use 32-bit indices). */
export const MAX_TREE_LEAVES = 0x7fffffff;

function checkLeaves(where: string, leaves: unknown): asserts leaves is readonly Uint8Array[] {
  if (!Array.isArray(leaves))
    throw new TypeError(`${where}: leaves expected an array of Uint8Array, got ${describe(leaves)}`);
  for (let i = 0; i < leaves.length; i++) assertBytes(where, `leaves[${i}]`, leaves[i]);
}

/**
 * `data` as 32-bit words when every chunk starts on a 4-byte boundary and holds whole words (then the
 * leaves are copied a word at a time), else undefined. Words are only copied, never interpreted.
 */
function chunkWords(data: Uint8Array, chunkSize: number): Uint32Array | undefined {
  if (chunkSize % 4 !== 0 || data.byteOffset % 4 !== 0) return undefined;
  return new Uint32Array(data.buffer, data.byteOffset, data.length >>> 2);
}

/** Hashes leaf `i` of `data` cut into `chunkSize`-byte leaves (the last may be shorter) into `out[off..]`. */
function chunkLeafInto(
  th: TreeHasher,
  data: Uint8Array,
  words: Uint32Array | undefined,
  chunkSize: number,
  at: number,
  out: Uint8Array,
  off: number,
): void {
  if (words !== undefined && at + chunkSize <= data.length)
    th.leafWordsInto(words, at >>> 2, chunkSize >>> 2, out, off);
  else th.leafRangeInto(data, at, Math.min(at + chunkSize, data.length), out, off);
}

/** Root of `data` cut into `chunkSize`-byte leaves; the last leaf may be shorter, empty data has no leaves. */
function frontierOfChunks(f: Frontier, data: Uint8Array, chunkSize: number): void {
  const th = f.th;
  const words = chunkWords(data, chunkSize);
  for (let at = 0; at < data.length; at += chunkSize) {
    chunkLeafInto(th, data, words, chunkSize, at, f.stack, f.slot());
    f.merge();
  }
}

/**
 * RFC 9162 Merkle Tree Hash of `leaves` (each hashed as `HASH(0x00 || leaf)`), in O(log n) memory.
 * @throws TypeError unless `leaves` is an array of Uint8Array.
 */
export function merkleRoot(leaves: readonly Uint8Array[], options?: MerkleOptions): Uint8Array {
  checkLeaves('merkleRoot', leaves);
  const f = new Frontier(sharedTreeHasher('merkleRoot', options));
  for (const leaf of leaves) {
    f.th.leafInto(leaf, f.stack, f.slot());
    f.merge();
  }
  const out = new Uint8Array(f.th.size);
  f.rootInto(out, 0);
  return out;
}

/**
 * RFC 9162 Merkle Tree Hash of `data` cut into leaves of `chunkSize` bytes (the last may be shorter;
 * empty data is the empty tree), without copying the data or building levels: O(log n) memory.
 * @throws TypeError/RangeError for non-bytes data or a chunk size that is not a positive integer.
 */
export function merkleRootOfChunks(data: Uint8Array, chunkSize: number, options?: MerkleOptions): Uint8Array {
  assertBytes('merkleRootOfChunks', 'data', data);
  assertInteger('merkleRootOfChunks', 'chunkSize', chunkSize, 1, 0xffffffff);
  const f = new Frontier(sharedTreeHasher('merkleRootOfChunks', options));
  frontierOfChunks(f, data, chunkSize);
  const out = new Uint8Array(f.th.size);
  f.rootInto(out, 0);
  return out;
}

/**
 * A whole RFC 9162 tree kept in memory as one flat byte array: level 0 holds the leaf hashes, level
 * l + 1 the parents of level l, where an odd last node is promoted unchanged (which gives exactly the
 * left-full shape of RFC 9162 §2.1.1). About 2n hashes in total, no per-node objects.
 *
 * It answers the root, leaf hashes and proofs of the whole tree or of any earlier size
 * (inclusion, consistency, range and stream proofs are in the proof modules that take a tree).
 */
export class MerkleTree {
  /** Leaves in the tree. */
  readonly size: number;
  /** @internal */
  readonly th: TreeHasher;
  /** @internal All levels back to back, leaf level first. */
  readonly nodes: Uint8Array;
  /** @internal Byte offset of each level in `nodes`. */
  readonly levelOffset: number[];
  /** @internal Node count of each level. */
  readonly levelSize: number[];
  /** @internal `nodes` as 32-bit words when the hash size is a multiple of 4 (for copying proofs). */
  readonly words: Uint32Array | undefined;

  /** `nodes` must be sized by {@link levelLayout} for `size` leaves, leaf level filled. */
  private constructor(th: TreeHasher, nodes: Uint8Array, size: number) {
    this.th = th;
    this.size = size;
    const { offsets, sizes } = levelLayout(size, th.size);
    this.levelOffset = offsets;
    this.levelSize = sizes;
    this.nodes = nodes;
    this.words =
      th.size % 4 === 0 && nodes.byteOffset % 4 === 0
        ? new Uint32Array(nodes.buffer, nodes.byteOffset, nodes.length >>> 2)
        : undefined;
  }

  /** @internal Builds a tree after `fill` writes the leaf hashes at the start of `nodes`. */
  static #build(th: TreeHasher, size: number, fill: (nodes: Uint8Array) => void): MerkleTree {
    if (size > MAX_TREE_LEAVES)
      throw new RangeError(`MerkleTree: at most ${MAX_TREE_LEAVES} leaves, got ${size}`);
    const nodes = new Uint8Array(levelLayout(size, th.size).bytes);
    fill(nodes);
    const tree = new MerkleTree(th, nodes, size);
    tree.#hashLevels();
    return tree;
  }

  /**
   * Wire form: `uvarint(size) || leaf hashes` (the levels are rebuilt by {@link MerkleTree.fromBytes}).
   */
  toBytes(): Uint8Array {
    const hashes = this.leafHashes();
    const head = uvarint.encodingLength(this.size);
    const out = new Uint8Array(head + hashes.length);
    uvarint.encodeInto(this.size, out, 0);
    out.set(hashes, head);
    return out;
  }

  /**
   * Rebuilds a tree from {@link MerkleTree.toBytes} output (rehashing every level: O(n) hashes).
   * @throws CodecError `unexpected_eof`/`trailing_bytes` when the bytes do not hold exactly the declared
   *   leaf hashes (checked before allocating), `limit_exceeded` above `maxLeaves` (default
   *   {@link MAX_TREE_LEAVES}), uvarint errors.
   */
  static fromBytes(bytes: Uint8Array, options?: MerkleOptions & { maxLeaves?: number }): MerkleTree {
    const where = 'MerkleTree.fromBytes';
    assertBytes(where, 'bytes', bytes);
    const th = ownTreeHasher(where, options);
    const max = options?.maxLeaves ?? MAX_TREE_LEAVES;
    assertInteger(where, 'options.maxLeaves', max, 0, MAX_TREE_LEAVES);
    const { value: size, end } = uvarint.decode(bytes, 0);
    if (size > max) throw new CodecError('limit_exceeded', `${where}: ${size} leaves, limit ${max}`, 0);
    const want = size * th.size;
    if (bytes.length - end < want) {
      throw new CodecError(
        'unexpected_eof',
        `${where}: ${size} leaf hashes need ${want} bytes, have ${bytes.length - end}`,
        end,
      );
    }
    if (bytes.length - end > want) {
      throw new CodecError(
        'trailing_bytes',
        `${where}: ${bytes.length - end - want} bytes after the leaf hashes`,
        end + want,
      );
    }
    return MerkleTree.#build(th, size, (nodes) => nodes.set(bytes.subarray(end)));
  }

  /**
   * Builds the tree of `leaves` (each hashed as `HASH(0x00 || leaf)`).
   * @throws TypeError unless `leaves` is an array of Uint8Array; RangeError above {@link MAX_TREE_LEAVES}.
   */
  static fromLeaves(leaves: readonly Uint8Array[], options?: MerkleOptions): MerkleTree {
    checkLeaves('MerkleTree.fromLeaves', leaves);
    const th = ownTreeHasher('MerkleTree.fromLeaves', options);
    return MerkleTree.#build(th, leaves.length, (nodes) => {
      for (let i = 0; i < leaves.length; i++) th.leafInto(leaves[i]!, nodes, i * th.size);
    });
  }

  /**
   * Builds the tree of `data` cut into `chunkSize`-byte leaves (the last may be shorter).
   * @throws TypeError/RangeError for non-bytes data or a chunk size that is not a positive integer.
   */
  static fromChunks(data: Uint8Array, chunkSize: number, options?: MerkleOptions): MerkleTree {
    assertBytes('MerkleTree.fromChunks', 'data', data);
    assertInteger('MerkleTree.fromChunks', 'chunkSize', chunkSize, 1, 0xffffffff);
    const th = ownTreeHasher('MerkleTree.fromChunks', options);
    const n = Math.ceil(data.length / chunkSize);
    return MerkleTree.#build(th, n, (nodes) => {
      const words = chunkWords(data, chunkSize);
      for (let i = 0, at = 0; i < n; i++, at += chunkSize)
        chunkLeafInto(th, data, words, chunkSize, at, nodes, i * th.size);
    });
  }

  /**
   * Builds the tree over leaf hashes given back to back (`n · hasher.outputLen` bytes), e.g. hashes
   * computed elsewhere with {@link hashLeaf}.
   * @throws RangeError when the length is not a multiple of the hash size.
   */
  static fromLeafHashes(leafHashes: Uint8Array, options?: MerkleOptions): MerkleTree {
    assertBytes('MerkleTree.fromLeafHashes', 'leafHashes', leafHashes);
    const th = ownTreeHasher('MerkleTree.fromLeafHashes', options);
    if (leafHashes.length % th.size !== 0) {
      throw new RangeError(
        `MerkleTree.fromLeafHashes: leafHashes expected a multiple of ${th.size} bytes, got ${leafHashes.length}`,
      );
    }
    return MerkleTree.#build(th, leafHashes.length / th.size, (nodes) => nodes.set(leafHashes));
  }

  #hashLevels(): void {
    const { th, nodes, levelOffset, levelSize } = this;
    const s = th.size;
    for (let l = 0; l + 1 < levelSize.length; l++) {
      const from = levelOffset[l]!;
      const to = levelOffset[l + 1]!;
      const n = levelSize[l]!;
      const pairs = n >>> 1;
      for (let i = 0; i < pairs; i++) th.pairInto(nodes, from + 2 * i * s, nodes, to + i * s);
      // RFC 9162's left-full shape: a lone last node moves up unchanged (no duplication).
      if (n & 1) nodes.copyWithin(to + pairs * s, from + (n - 1) * s, from + n * s);
    }
  }

  /** Height of the tree (number of levels above the leaves). */
  get height(): number {
    return this.levelSize.length - 1;
  }

  /** Root of the whole tree (`HASH()` for the empty tree): a fresh copy. */
  root(): Uint8Array {
    return this.rootAt(this.size);
  }

  /**
   * Root of the first `treeSize` leaves: an earlier state of this tree.
   * @throws RangeError unless 0 ≤ treeSize ≤ size.
   */
  rootAt(treeSize: number): Uint8Array {
    assertInteger('MerkleTree.rootAt', 'treeSize', treeSize, 0, this.size);
    const out = new Uint8Array(this.th.size);
    if (treeSize === 0) this.th.emptyInto(out, 0);
    else this.subtreeInto(0, treeSize, out, 0);
    return out;
  }

  /**
   * Leaf hash of leaf `index` (a view into the tree: zero-copy, do not modify).
   * @throws RangeError unless 0 ≤ index < size.
   */
  leafHash(index: number): Uint8Array {
    assertInteger('MerkleTree.leafHash', 'index', index, 0, this.size - 1);
    const s = this.th.size;
    return this.nodes.subarray(index * s, (index + 1) * s);
  }

  /** All leaf hashes back to back (a view: zero-copy, do not modify). */
  leafHashes(): Uint8Array {
    return this.nodes.subarray(0, this.size * this.th.size);
  }

  /**
   * Inclusion proof of leaf `index` in the tree's first `treeSize` leaves (default: all), RFC 9162
   * §2.1.3.1, leaf-to-root, hashes back to back. Check it with {@link verifyInclusion}.
   * @throws RangeError unless 0 ≤ index < treeSize ≤ size.
   */
  inclusionProof(index: number, treeSize: number = this.size): Uint8Array {
    assertInteger('MerkleTree.inclusionProof', 'treeSize', treeSize, 1, Math.max(1, this.size));
    assertInteger('MerkleTree.inclusionProof', 'index', index, 0, treeSize - 1);
    if (treeSize > this.size) throw new RangeError(`MerkleTree.inclusionProof: the tree is empty`);
    return proveInclusion(this, index, treeSize);
  }

  /**
   * Consistency proof from the tree's first `size1` leaves to its first `size2` (default: all),
   * RFC 9162 §2.1.4.1, hashes back to back (empty when the sizes are equal). Check it with
   * {@link verifyConsistency}.
   * @throws RangeError unless 0 < size1 ≤ size2 ≤ size.
   */
  consistencyProof(size1: number, size2: number = this.size): Uint8Array {
    assertInteger('MerkleTree.consistencyProof', 'size2', size2, 1, Math.max(1, this.size));
    assertInteger('MerkleTree.consistencyProof', 'size1', size1, 1, size2);
    if (size2 > this.size) throw new RangeError(`MerkleTree.consistencyProof: the tree is empty`);
    return proveConsistency(this, size1, size2);
  }

  /**
   * Range proof for leaves [start, end) of the tree's first `treeSize` leaves (default: all): the
   * hashes of the maximal subtrees outside the range, left to right (at most two per level). Check it
   * with {@link verifyRange}.
   * @throws RangeError unless 0 ≤ start < end ≤ treeSize ≤ size.
   */
  rangeProof(start: number, end: number, treeSize: number = this.size): Uint8Array {
    assertInteger('MerkleTree.rangeProof', 'treeSize', treeSize, 1, Math.max(1, this.size));
    assertInteger('MerkleTree.rangeProof', 'end', end, 1, treeSize);
    assertInteger('MerkleTree.rangeProof', 'start', start, 0, end - 1);
    if (treeSize > this.size) throw new RangeError(`MerkleTree.rangeProof: the tree is empty`);
    return proveRange(this, start, end, treeSize);
  }

  /**
   * What a {@link StreamVerifier} needs with leaf `index` when the leaves are sent in order: the right
   * siblings between the leaf and the highest node starting at it (n - 1 hashes over all leaves).
   * @throws RangeError unless 0 ≤ index < treeSize ≤ size.
   */
  streamProof(index: number, treeSize: number = this.size): Uint8Array {
    assertInteger('MerkleTree.streamProof', 'treeSize', treeSize, 1, Math.max(1, this.size));
    assertInteger('MerkleTree.streamProof', 'index', index, 0, treeSize - 1);
    if (treeSize > this.size) throw new RangeError(`MerkleTree.streamProof: the tree is empty`);
    return proveStream(this, index, treeSize);
  }

  /**
   * @internal Writes MTH(D[lo:hi]) where [lo, hi) is a node of a left-full tree of some size ≤ `size`
   * (lo aligned to 2^ceil(log2(hi - lo))). Complete subtrees, and the right edge of the whole tree, are
   * stored; the right edge of an earlier size is rebuilt from stored complete subtrees.
   */
  subtreeInto(lo: number, hi: number, out: Uint8Array, off: number): void {
    const s = this.th.size;
    const width = hi - lo;
    const level = ceilLog2(width);
    if (width === 2 ** level || hi === this.size) {
      const at = this.levelOffset[level]! + (lo / 2 ** level) * s;
      out.set(this.nodes.subarray(at, at + s), off);
      return;
    }
    const k = splitPoint(width);
    const right = new Uint8Array(s);
    this.subtreeInto(lo + k, hi, right, 0);
    const leftAt = this.levelOffset[level - 1]! + (lo / k) * s;
    this.th.nodeInto(this.nodes, leftAt, right, 0, out, off);
  }
}
