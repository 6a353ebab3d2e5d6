import { assertBytes } from '@syncwire/bytes';
import { Frontier } from './appender.ts';
import { splitPoint } from './bits.ts';
import { assertSize, claimedSize, type MerkleOptions, sharedTreeHasher } from './options.ts';
import { equalAt, flattenProof, type ProofInput } from './proof-input.ts';
import type { TreeHasher } from './tree-hasher.ts';

/**
 * Number of hashes in the range proof for leaves [start, end) of a tree of `treeSize` leaves: one per
 * maximal subtree outside the range, at most two per level (left and right edges), so O(log n).
 * @throws RangeError unless 0 ≤ start < end ≤ treeSize ≤ 2^53 - 1.
 */
export function rangeProofLength(start: number, end: number, treeSize: number): number {
  const where = 'rangeProofLength';
  assertSize(where, 'start', start);
  assertSize(where, 'end', end);
  assertSize(where, 'treeSize', treeSize);
  if (!(start < end && end <= treeSize)) {
    throw new RangeError(
      `${where}: expected 0 <= start < end <= treeSize, got ${start}, ${end}, ${treeSize}`,
    );
  }
  return countOutside(0, treeSize, start, end);
}

function countOutside(lo: number, hi: number, start: number, end: number): number {
  if (hi <= start || lo >= end) return 1;
  if (start <= lo && hi <= end) return 0;
  const mid = lo + splitPoint(hi - lo);
  return countOutside(lo, mid, start, end) + countOutside(mid, hi, start, end);
}

/** Walks the tree once, taking outside hashes from the proof and folding inside leaves. */
class RangeFolder {
  readonly th: TreeHasher;
  readonly s: number;
  readonly leaves: Uint8Array;
  readonly start: number;
  readonly end: number;
  readonly proof: Uint8Array;
  next = 0;
  /** Result slots: a call at slot k uses k + 1 and k + 2 for its children (depth ≤ 2·53 + 1). */
  readonly slots: Uint8Array;
  readonly frontier: Frontier;

  constructor(th: TreeHasher, leaves: Uint8Array, start: number, end: number, proof: Uint8Array) {
    this.th = th;
    this.s = th.size;
    this.leaves = leaves;
    this.start = start;
    this.end = end;
    this.proof = proof;
    this.slots = new Uint8Array(2 * 56 * th.size);
    this.frontier = new Frontier(th);
  }

  fold(lo: number, hi: number, slot: number): void {
    const { s, slots } = this;
    if (hi <= this.start || lo >= this.end) {
      slots.set(this.proof.subarray(this.next * s, (this.next + 1) * s), slot * s);
      this.next++;
      return;
    }
    if (this.start <= lo && hi <= this.end) {
      // A subtree wholly inside the range: a left-full tree over consecutive leaf hashes.
      const f = this.frontier;
      f.reset();
      for (let i = lo - this.start; i < hi - this.start; i++) {
        f.stack.set(this.leaves.subarray(i * s, (i + 1) * s), f.slot());
        f.merge();
      }
      f.rootInto(slots, slot * s);
      return;
    }
    const mid = lo + splitPoint(hi - lo);
    this.fold(lo, mid, slot + 1);
    this.fold(mid, hi, slot + 2);
    this.th.nodeInto(slots, (slot + 1) * s, slots, (slot + 2) * s, slots, slot * s);
  }
}

/**
 * Verifies that `leafHashes` (given back to back, or as an array) are the leaves [start, start + count)
 * of the tree with `root` and `treeSize` leaves, using a proof from `MerkleTree.rangeProof`. Returns
 * `false` for every invalid input: an empty or out-of-bounds range, a hash of the wrong size, or a
 * proof with the wrong number of hashes (checked before hashing).
 * @throws TypeError when an argument is not bytes / not an integer; RangeError for a negative or unsafe
 *   start or size. Bad proof bytes never throw.
 */
export function verifyRange(
  leafHashes: ProofInput,
  start: number,
  treeSize: number,
  proof: ProofInput,
  root: Uint8Array,
  options?: MerkleOptions,
): boolean {
  const where = 'verifyRange';
  const exactStart = claimedSize(where, 'start', start);
  const exactSize = claimedSize(where, 'treeSize', treeSize);
  assertBytes(where, 'root', root);
  const th = sharedTreeHasher(where, options);
  const s = th.size;
  const count = leafHashes instanceof Uint8Array ? Math.floor(leafHashes.length / s) : leafHashes.length;
  const leaves = flattenProof(where, leafHashes, count, s);
  const end = start + count;
  if (!exactStart || !exactSize || leaves === null || count === 0 || end > treeSize || root.length !== s) {
    if (!(proof instanceof Uint8Array)) flattenProof(where, proof, -1, s);
    return false;
  }
  const flat = flattenProof(where, proof, countOutside(0, treeSize, start, end), s);
  if (flat === null) return false;
  const folder = new RangeFolder(th, leaves, start, end, flat);
  folder.fold(0, treeSize, 0);
  return equalAt(folder.slots, 0, root, 0, s);
}
