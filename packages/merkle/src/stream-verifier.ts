import { assertBytes, CodecError } from '@syncwire/bytes';
import { ceilLog2, splitPoint } from './bits.ts';
import { assertSize, type MerkleOptions, ownTreeHasher } from './options.ts';
import { equalAt, flattenProof, type ProofInput } from './proof-input.ts';
import { streamProofLength as shapeLength } from './prove.ts';
import type { TreeHasher } from './tree-hasher.ts';

/** Deepest pending stack: one entry per level of a tree of up to 2^53 - 1 leaves, plus the root. */
const MAX_PENDING = 55;

/**
 * Verifies the leaves of a tree, in order, as they arrive from an untrusted peer, knowing only the
 * trusted root and leaf count. Each leaf comes with its *stream proof* (`MerkleTree.streamProof`):
 * the right-hand sibling hashes between the leaf and the highest node that starts at it, which the
 * receiver has not seen yet. That is n - 1 hashes over the whole tree, the least that lets every
 * leaf be checked the moment it arrives.
 *
 * State is a stack of trusted hashes of the subtrees still to come (at most one per level: O(log n)).
 * A leaf is accepted only if it and its proof fold to the trusted hash on top of the stack; then the
 * proof's hashes become trusted. A tampered leaf or proof is rejected with a `CodecError`
 * (`checksum_mismatch`) before anything after it is accepted, and leaves the state unchanged, so the
 * same leaf can be asked for again (e.g. from another peer).
 *
 * @example
 * ```ts
 * const tree = MerkleTree.fromLeaves(leaves);
 * const v = new StreamVerifier(tree.root(), tree.size);
 * for (let i = 0; i < tree.size; i++) v.push(leaves[i], tree.streamProof(i));
 * v.finish();
 * ```
 */
export class StreamVerifier {
  /** Leaves in the tree being received. */
  readonly treeSize: number;
  readonly #th: TreeHasher;
  /** Trusted hashes of pending subtrees, back to back; top = next subtree to receive. */
  readonly #hashes: Uint8Array;
  /** End (exclusive leaf index) of each pending subtree; each starts where the one above it ends. */
  readonly #ends: Float64Array;
  #depth = 0;
  #received = 0;
  readonly #acc: Uint8Array;

  /**
   * @param root - trusted root of the tree (exactly `hasher.outputLen` bytes).
   * @param treeSize - trusted number of leaves.
   * @throws TypeError/RangeError for a root of the wrong type or size, or a bad tree size.
   */
  constructor(root: Uint8Array, treeSize: number, options?: MerkleOptions) {
    const where = 'StreamVerifier';
    assertBytes(where, 'root', root);
    assertSize(where, 'treeSize', treeSize);
    this.#th = ownTreeHasher(where, options);
    const s = this.#th.size;
    if (root.length !== s) throw new RangeError(`${where}: root expected ${s} bytes, got ${root.length}`);
    this.treeSize = treeSize;
    this.#hashes = new Uint8Array(MAX_PENDING * s);
    this.#ends = new Float64Array(MAX_PENDING);
    this.#acc = new Uint8Array(s);
    if (treeSize === 0) {
      // The empty tree has no leaf to check its root against: check it now.
      this.#th.emptyInto(this.#acc, 0);
      if (!equalAt(this.#acc, 0, root, 0, s)) {
        throw new CodecError('checksum_mismatch', `${where}: root is not the empty tree's root`);
      }
      return;
    }
    this.#hashes.set(root, 0);
    this.#ends[0] = treeSize;
    this.#depth = 1;
  }

  /** Leaves accepted so far (the index of the next leaf). */
  get received(): number {
    return this.#received;
  }

  /** True once every leaf has been accepted. */
  get done(): boolean {
    return this.#received === this.treeSize;
  }

  /** Hashes of the whole stack of pending trusted subtrees (O(log n)): for memory accounting. */
  get pendingLength(): number {
    return this.#depth;
  }

  /** Number of proof hashes the next leaf must come with (0 once done). */
  nextProofLength(): number {
    if (this.#depth === 0) return 0;
    return ceilLog2(this.#ends[this.#depth - 1]! - this.#received);
  }

  /**
   * Checks and accepts the next leaf (hashed here as `HASH(0x00 || leaf)`).
   * @throws CodecError `checksum_mismatch` when the leaf or proof does not match the trusted hashes,
   *   `invalid_value` when the proof has the wrong number of hashes or a hash of the wrong size,
   *   `out_of_range` when every leaf was already received; TypeError for non-bytes.
   */
  push(leaf: Uint8Array, proof: ProofInput = EMPTY): void {
    assertBytes('StreamVerifier.push', 'leaf', leaf);
    this.#th.leafInto(leaf, this.#acc, 0);
    this.#accept('StreamVerifier.push', proof);
  }

  /** Like {@link push} for a leaf given by its leaf hash. */
  pushLeafHash(leafHash: Uint8Array, proof: ProofInput = EMPTY): void {
    const where = 'StreamVerifier.pushLeafHash';
    assertBytes(where, 'leafHash', leafHash);
    if (leafHash.length !== this.#th.size) {
      throw new CodecError(
        'invalid_value',
        `${where}: leaf hash must be ${this.#th.size} bytes, got ${leafHash.length}`,
      );
    }
    this.#acc.set(leafHash);
    this.#accept(where, proof);
  }

  /**
   * Confirms that the whole tree was received.
   * @throws CodecError `unexpected_eof` when leaves are missing.
   */
  finish(): void {
    if (!this.done) {
      throw new CodecError(
        'unexpected_eof',
        `StreamVerifier.finish: received ${this.#received} of ${this.treeSize} leaves`,
      );
    }
  }

  #accept(where: string, proof: ProofInput): void {
    if (this.#depth === 0) {
      throw new CodecError('out_of_range', `${where}: all ${this.treeSize} leaves were already received`);
    }
    const th = this.#th;
    const s = th.size;
    const top = this.#depth - 1;
    const lo = this.#received;
    const hi = this.#ends[top]!;
    const need = ceilLog2(hi - lo);
    const flat = flattenProof(where, proof, need, s);
    if (flat === null) {
      throw new CodecError(
        'invalid_value',
        `${where}: leaf ${lo} needs a proof of exactly ${need} hashes of ${s} bytes`,
      );
    }
    const acc = this.#acc;
    for (let j = 0; j < need; j++) th.nodeInto(acc, 0, flat, j * s, acc, 0);
    if (!equalAt(acc, 0, this.#hashes, top * s, s)) {
      throw new CodecError(
        'checksum_mismatch',
        `${where}: leaf ${lo} or its proof does not match the trusted root`,
      );
    }
    // Accepted: the proof's right siblings are now trusted. Push the largest (ends at hi) first so the
    // leaf's own sibling ends up on top.
    let d = top;
    let end = hi;
    for (let j = need - 1; j >= 0; j--) {
      this.#hashes.set(flat.subarray(j * s, (j + 1) * s), d * s);
      this.#ends[d] = end;
      d++;
      // Proof hash j - 1 is the right child of [lo, mid): it ends where this one starts.
      end = lo + splitPoint(end - lo);
    }
    this.#depth = d;
    this.#received = lo + 1;
  }
}

const EMPTY = new Uint8Array(0);

/**
 * Number of hashes the stream proof of leaf `index` holds in a tree of `treeSize` leaves (see
 * {@link StreamVerifier}); they add up to treeSize - 1 over all leaves.
 * @throws RangeError unless 0 ≤ index < treeSize ≤ 2^53 - 1.
 */
export function streamProofLength(index: number, treeSize: number): number {
  assertSize('streamProofLength', 'treeSize', treeSize);
  assertSize('streamProofLength', 'index', index);
  if (index >= treeSize) {
    throw new RangeError(
      `streamProofLength: index expected an integer below treeSize ${treeSize}, got ${index}`,
    );
  }
  return shapeLength(index, treeSize);
}
