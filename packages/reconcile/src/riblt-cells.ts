import { type SipKey, sipHash24Into } from './siphash.ts';

/** Bytes in a content id: RIBLT items are fixed-size 32-byte ids. */
export const ID_BYTES = 32;

/**
 * Column storage for coded symbols: `ids` holds 8 little-endian u32 words per symbol (the XOR of the ids),
 * `hashes` 2 words per symbol (`[lo, hi]`, the XOR of the keyed item hashes), `counts` the signed item count.
 */
export interface Cells {
  ids: Uint32Array;
  hashes: Uint32Array;
  counts: Int32Array;
}

/** New zeroed cells for `n` symbols. */
export function newCells(n: number): Cells {
  return { ids: new Uint32Array(n * 8), hashes: new Uint32Array(n * 2), counts: new Int32Array(n) };
}

/** Copy of `cells` grown to `n` symbols (the first ones kept). */
export function growCells(cells: Cells, n: number): Cells {
  const out = newCells(n);
  out.ids.set(cells.ids.subarray(0, Math.min(cells.ids.length, n * 8)));
  out.hashes.set(cells.hashes.subarray(0, Math.min(cells.hashes.length, n * 2)));
  out.counts.set(cells.counts.subarray(0, Math.min(cells.counts.length, n)));
  return out;
}

/** Reads a 32-byte id at `offset` into 8 LE words at `words[wo]`. */
export function readIdWords(id: Uint8Array, offset: number, words: Uint32Array, wo: number): void {
  for (let k = 0; k < 8; k++) {
    const p = offset + 4 * k;
    words[wo + k] = (id[p]! | (id[p + 1]! << 8) | (id[p + 2]! << 16) | (id[p + 3]! << 24)) >>> 0;
  }
}

/** Writes 8 LE words as a 32-byte id at `out[offset]`. */
export function writeIdWords(words: Uint32Array, wo: number, out: Uint8Array, offset: number): void {
  for (let k = 0; k < 8; k++) {
    const w = words[wo + k]!;
    const p = offset + 4 * k;
    out[p] = w;
    out[p + 1] = w >>> 8;
    out[p + 2] = w >>> 16;
    out[p + 3] = w >>> 24;
  }
}

/** Keyed 64-bit item hash (SipHash-2-4 of the 32 id bytes) into `out[o]`, `out[o+1]` as `[lo, hi]`. */
export function itemHash(key: SipKey, id: Uint8Array, offset: number, out: Uint32Array, o: number): void {
  sipHash24Into(key, id, offset, ID_BYTES, out, o);
}

const scratchId = new Uint8Array(ID_BYTES);
const scratchHash = new Uint32Array(2);

/**
 * True when cell `c` holds exactly one item (count ±1 and the hash of its id XOR equals its hash XOR).
 * A random cell passes with probability 2^-64 under a key the sender cannot choose ids against.
 */
export function isPure(key: SipKey, cells: Cells, c: number): boolean {
  const n = cells.counts[c]!;
  if (n !== 1 && n !== -1) return false;
  writeIdWords(cells.ids, c * 8, scratchId, 0);
  sipHash24Into(key, scratchId, 0, ID_BYTES, scratchHash, 0);
  return scratchHash[0] === cells.hashes[2 * c] && scratchHash[1] === cells.hashes[2 * c + 1];
}

/** True when cell `c` is all zero (no item, or items that cancelled). */
export function isEmpty(cells: Cells, c: number): boolean {
  if (cells.counts[c] !== 0 || cells.hashes[2 * c] !== 0 || cells.hashes[2 * c + 1] !== 0) return false;
  const ids = cells.ids;
  const p = c * 8;
  return (
    (ids[p]! |
      ids[p + 1]! |
      ids[p + 2]! |
      ids[p + 3]! |
      ids[p + 4]! |
      ids[p + 5]! |
      ids[p + 6]! |
      ids[p + 7]!) ===
    0
  );
}

/** XORs an item (words at `words[wo]`, hash `hLo`/`hHi`) into cell `c` and adds `delta` to its count. */
export function toggleCell(
  cells: Cells,
  c: number,
  words: Uint32Array,
  wo: number,
  hLo: number,
  hHi: number,
  delta: number,
): void {
  const ids = cells.ids;
  const p = c * 8;
  ids[p] = ids[p]! ^ words[wo]!;
  ids[p + 1] = ids[p + 1]! ^ words[wo + 1]!;
  ids[p + 2] = ids[p + 2]! ^ words[wo + 2]!;
  ids[p + 3] = ids[p + 3]! ^ words[wo + 3]!;
  ids[p + 4] = ids[p + 4]! ^ words[wo + 4]!;
  ids[p + 5] = ids[p + 5]! ^ words[wo + 5]!;
  ids[p + 6] = ids[p + 6]! ^ words[wo + 6]!;
  ids[p + 7] = ids[p + 7]! ^ words[wo + 7]!;
  cells.hashes[2 * c] = cells.hashes[2 * c]! ^ hLo;
  cells.hashes[2 * c + 1] = cells.hashes[2 * c + 1]! ^ hHi;
  cells.counts[c] = cells.counts[c]! + delta;
}
