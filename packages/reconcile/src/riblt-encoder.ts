import { assertBytes, assertInteger } from '@syncwire/bytes';
import {
  type Cells,
  growCells,
  ID_BYTES,
  itemHash,
  newCells,
  readIdWords,
  toggleCell,
} from './riblt-cells.ts';
import { advanceMapping, startMapping } from './riblt-mapping.ts';
import type { CodedSymbolSource } from './riblt-source.ts';
import { encodeSymbols, MAX_SET_SIZE } from './riblt-wire.ts';
import { type SipKey, sipKey } from './siphash.ts';

/**
 * The unbounded RIBLT coded-symbol stream of a fixed set. Symbols are materialised in doubling windows: each
 * window is one pass over the items that advances every item's index walk past the window's end, so producing
 * m symbols costs O(N·log m + N) and no heap. Use a {@link RibltSketch} instead when the same set answers
 * repeatedly; use this for one-off sessions or past a sketch's capacity.
 */
export class RibltEncoder implements CodedSymbolSource {
  /** The item-hash key (a copy). */
  readonly key: Uint8Array;
  /** @internal */
  readonly sipKey: SipKey;
  /** A stream: no cap of its own (the wire limits and the requester's cap apply). */
  readonly maxSymbols = Number.POSITIVE_INFINITY;
  #n = 0;
  #words = new Uint32Array(8 * 64);
  #hashes = new Uint32Array(2 * 64);
  #states = new Uint32Array(3 * 64);
  #cells: Cells = newCells(0);
  #produced = 0;

  /** @param key 16-byte item-hash key. */
  constructor(key: Uint8Array) {
    this.sipKey = sipKey(key);
    this.key = key.slice();
  }

  /** Items added. */
  get size(): number {
    return this.#n;
  }

  /** Symbols materialised so far. */
  get produced(): number {
    return this.#produced;
  }

  /** Adds one 32-byte id. Throws Error once symbols have been produced (they would no longer match). */
  add(id: Uint8Array): void {
    assertBytes('RibltEncoder.add', 'id', id);
    if (id.length !== ID_BYTES)
      throw new RangeError(`RibltEncoder.add: id expected 32 bytes, got ${id.length}`);
    this.#push(id, 0);
  }

  /** Adds every id of a flat buffer of 32-byte ids. */
  addAll(ids: Uint8Array): void {
    assertBytes('RibltEncoder.addAll', 'ids', ids);
    if (ids.length % ID_BYTES !== 0) {
      throw new RangeError(`RibltEncoder.addAll: ids expected a multiple of 32 bytes, got ${ids.length}`);
    }
    this.#reserve(this.#n + ids.length / ID_BYTES);
    for (let p = 0; p < ids.length; p += ID_BYTES) this.#push(ids, p);
  }

  /** @internal */
  symbolCells(start: number, count: number): { cells: Cells; offset: number } {
    const end = start + count;
    if (end > this.#produced) this.#extend(Math.max(end, 2 * this.#produced, 64));
    return { cells: this.#cells, offset: start };
  }

  /** A SYMBOLS message carrying symbols `[start, start + count)`, materialising them if needed. */
  encodeBatch(start: number, count: number): Uint8Array {
    assertInteger('RibltEncoder.encodeBatch', 'start', start, 0, 2 ** 31);
    assertInteger('RibltEncoder.encodeBatch', 'count', count, 0, 2 ** 24);
    const { cells, offset } = this.symbolCells(start, count);
    return encodeSymbols(cells, offset, start, count, this.#n);
  }

  #reserve(n: number): void {
    if (n <= this.#hashes.length / 2) return;
    let cap = this.#hashes.length / 2;
    while (cap < n) cap *= 2;
    const w = new Uint32Array(8 * cap);
    w.set(this.#words);
    this.#words = w;
    const h = new Uint32Array(2 * cap);
    h.set(this.#hashes);
    this.#hashes = h;
    const s = new Uint32Array(3 * cap);
    s.set(this.#states);
    this.#states = s;
  }

  #push(ids: Uint8Array, p: number): void {
    if (this.#produced > 0)
      throw new Error('RibltEncoder.add: symbols were already produced; make a new encoder');
    if (this.#n >= MAX_SET_SIZE) throw new RangeError(`RibltEncoder: more than ${MAX_SET_SIZE} items`);
    this.#reserve(this.#n + 1);
    const x = this.#n++;
    readIdWords(ids, p, this.#words, 8 * x);
    itemHash(this.sipKey, ids, p, this.#hashes, 2 * x);
    startMapping(this.#states, 3 * x, this.#hashes[2 * x]!, this.#hashes[2 * x + 1]!);
  }

  #extend(end: number): void {
    const cells = growCells(this.#cells, end);
    const words = this.#words;
    const hashes = this.#hashes;
    const st = this.#states;
    for (let x = 0; x < this.#n; x++) {
      const o = 3 * x;
      if (st[o]! >= end) continue;
      const hLo = hashes[2 * x]!;
      const hHi = hashes[2 * x + 1]!;
      while (st[o]! < end) {
        toggleCell(cells, st[o]!, words, 8 * x, hLo, hHi, 1);
        advanceMapping(st, o);
      }
    }
    this.#cells = cells;
    this.#produced = end;
  }
}
