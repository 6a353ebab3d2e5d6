import { ceilLog2, splitPoint } from './bits.ts';
import type { MerkleTree } from './tree.ts';

// Proof producers. Each walks the RFC 9162 recursion over node ranges [lo, hi) of the tree of
// `treeSize` leaves, collecting the ranges whose hashes the verifier needs, then copies those hashes
// (stored, or rebuilt from stored complete subtrees for an earlier size) into one flat buffer.

const SLAB_SIZE = 64 * 1024;
let slab = new Uint8Array(0);
let slabUsed = 0;

/**
 * A fresh buffer for a proof. Small proofs are carved from a shared 64 KiB slab: each gets its own
 * bytes, but not its own ArrayBuffer, whose allocation measured more than the rest of producing an
 * inclusion proof. (A proof kept alive keeps its slab alive: at most 64 KiB.)
 */
function allocProof(bytes: number): Uint8Array {
  if (bytes > 4096) return new Uint8Array(bytes);
  if (slabUsed + bytes > slab.length) {
    slab = new Uint8Array(SLAB_SIZE);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + bytes);
  slabUsed += bytes;
  return out;
}

function emit(tree: MerkleTree, los: number[], his: number[], reverse: boolean): Uint8Array {
  const s = tree.th.size;
  const n = los.length;
  const out = allocProof(n * s);
  for (let i = 0; i < n; i++) {
    const j = reverse ? n - 1 - i : i;
    tree.subtreeInto(los[j]!, his[j]!, out, i * s);
  }
  return out;
}

/** RFC 9162 §2.1.3.1 PATH(index, D[treeSize]), leaf to root, hashes back to back. */
export function proveInclusion(tree: MerkleTree, index: number, treeSize: number): Uint8Array {
  if (treeSize === tree.size) return inclusionFromLevels(tree, index);
  const los: number[] = [];
  const his: number[] = [];
  let lo = 0;
  let hi = treeSize;
  while (hi - lo > 1) {
    const mid = lo + splitPoint(hi - lo);
    if (index < mid) {
      los.push(mid);
      his.push(hi);
      hi = mid;
    } else {
      los.push(lo);
      his.push(mid);
      lo = mid;
    }
  }
  return emit(tree, los, his, true);
}

/** RFC 9162 §2.1.4.1 PROOF(size1, D[size2]) = SUBPROOF(size1, D[size2], true), hashes back to back. */
export function proveConsistency(tree: MerkleTree, size1: number, size2: number): Uint8Array {
  const los: number[] = [];
  const his: number[] = [];
  let lo = 0;
  let hi = size2;
  let m = size1;
  let known = true;
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      los.push(lo + k);
      his.push(hi);
      hi = lo + k;
    } else {
      los.push(lo);
      his.push(lo + k);
      lo += k;
      m -= k;
      known = false;
    }
  }
  // SUBPROOF(m, D_m, false) = {MTH(D_m)}: the deepest item, so it comes first.
  if (!known) {
    los.push(lo);
    his.push(hi);
  }
  return emit(tree, los, his, true);
}

/**
 * Range proof for leaves [start, end) of the tree of `treeSize` leaves: the hashes of the maximal
 * subtrees that lie wholly outside the range, in left-to-right order (see {@link rangeProofLength}).
 */
export function proveRange(tree: MerkleTree, start: number, end: number, treeSize: number): Uint8Array {
  const los: number[] = [];
  const his: number[] = [];
  const walk = (lo: number, hi: number): void => {
    if (hi <= start || lo >= end) {
      los.push(lo);
      his.push(hi);
      return;
    }
    if (start <= lo && hi <= end) return;
    const mid = lo + splitPoint(hi - lo);
    walk(lo, mid);
    walk(mid, hi);
  };
  walk(0, treeSize);
  return emit(tree, los, his, false);
}

/**
 * The first node a streaming receiver still trusts when leaf `index` arrives (all earlier leaves
 * received): the highest node of the tree whose range starts at `index`. Returns its end.
 */
export function streamSubtreeEnd(index: number, treeSize: number): number {
  let lo = 0;
  let hi = treeSize;
  while (lo !== index) {
    const mid = lo + splitPoint(hi - lo);
    if (index < mid) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Hashes a streaming receiver needs with leaf `index`: the right siblings between that node and the leaf. */
export function streamProofLength(index: number, treeSize: number): number {
  return ceilLog2(streamSubtreeEnd(index, treeSize) - index);
}

/** Stream proof for leaf `index`: right siblings from the leaf's own sibling up, back to back. */
export function proveStream(tree: MerkleTree, index: number, treeSize: number): Uint8Array {
  const los: number[] = [];
  const his: number[] = [];
  let hi = streamSubtreeEnd(index, treeSize);
  while (hi - index > 1) {
    const mid = index + splitPoint(hi - index);
    los.push(mid);
    his.push(hi);
    hi = mid;
  }
  return emit(tree, los, his, true);
}

/** Inclusion proof in the whole tree, straight from the level arrays: every sibling is stored. */
function inclusionFromLevels(tree: MerkleTree, index: number): Uint8Array {
  const s = tree.th.size;
  const { nodes, levelOffset, levelSize } = tree;
  let len = 0;
  for (let l = 0, idx = index; l + 1 < levelSize.length; l++, idx >>>= 1)
    if ((idx ^ 1) < levelSize[l]!) len++;
  const out = allocProof(len * s);
  const words = tree.words;
  if (words !== undefined && out.byteOffset % 4 === 0) {
    // Four bytes per load: the tree's levels are far bigger than the CPU caches, so each sibling is
    // a cache miss, and word loads made producing a 1 M-leaf inclusion proof ~3x faster than a byte loop.
    const w = s >>> 2;
    const dst = new Uint32Array(out.buffer, out.byteOffset, len * w);
    let o = 0;
    for (let l = 0, idx = index; l + 1 < levelSize.length; l++, idx >>>= 1) {
      const sib = idx ^ 1;
      if (sib >= levelSize[l]!) continue;
      const at = (levelOffset[l]! >>> 2) + sib * w;
      for (let i = 0; i < w; i++) dst[o + i] = words[at + i]!;
      o += w;
    }
    return out;
  }
  let o = 0;
  for (let l = 0, idx = index; l + 1 < levelSize.length; l++, idx >>>= 1) {
    const sib = idx ^ 1;
    // A missing sibling is a promoted node: RFC 9162 PATH skips it.
    if (sib >= levelSize[l]!) continue;
    const at = levelOffset[l]! + sib * s;
    for (let i = 0; i < s; i++) out[o + i] = nodes[at + i]!;
    o += s;
  }
  return out;
}
