import { assertBytes, assertInteger } from '@syncwire/bytes';
import { type Cells, ID_BYTES, itemHash, newCells, readIdWords, toggleCell } from './riblt-cells.ts';
import { advanceMapping, startMapping } from './riblt-mapping.ts';
import type { CodedSymbolSource } from './riblt-source.ts';
import { encodeSymbols, MAX_SET_SIZE } from './riblt-wire.ts';
import { type SipKey, sipKey } from './siphash.ts';

/**
 * A cached, incrementally maintained prefix of a set's RIBLT coded-symbol stream: the first `capacity` symbols.
 * Adding or removing an item touches only the ≈ 2·ln(capacity/2) + 1 symbols it maps to (O(log m), no pass over
 * the set), so answering a peer costs a copy of the requested symbols rather than an encode of every item.
 * Items are 32-byte ids with multiset semantics: adding an id twice counts it twice, removing an absent id
 * leaves a negative count; callers keep their own membership.
 *
 * @example
 * ```ts
 * const sketch = new RibltSketch(key, { capacity: 4096 });
 * for (const id of ids) sketch.add(id);
 * const batch = sketch.encodeBatch(0, 64); // SYMBOLS message with symbols 0..63
 * ```
 */
export class RibltSketch implements CodedSymbolSource {
  /** The item-hash key (a copy). */
  readonly key: Uint8Array;
  /** Number of cached symbols (the symbol cap of anything served from this sketch). */
  readonly capacity: number;
  /** @internal */
  readonly sipKey: SipKey;
  #cells: Cells;
  #size = 0;
  readonly #words = new Uint32Array(8);
  readonly #hash = new Uint32Array(2);
  readonly #state = new Uint32Array(3);

  /**
   * @param key 16-byte item-hash key, e.g. from {@link deriveRibltKey}.
   * @param options.capacity symbols to keep, 1 … 2^24 (default 4096; ≈ 48 bytes each).
   * @throws TypeError/RangeError for a bad key or capacity.
   */
  constructor(key: Uint8Array, options: { capacity?: number } = {}) {
    this.sipKey = sipKey(key);
    this.key = key.slice();
    const capacity = options.capacity ?? 4096;
    assertInteger('RibltSketch', 'capacity', capacity, 1, 1 << 24);
    this.capacity = capacity;
    this.#cells = newCells(capacity);
  }

  /** An independent copy (same key, capacity, items): e.g. to fork a base set's sketch per peer. */
  clone(): RibltSketch {
    const copy = new RibltSketch(this.key, { capacity: this.capacity });
    copy.#cells.ids.set(this.#cells.ids);
    copy.#cells.hashes.set(this.#cells.hashes);
    copy.#cells.counts.set(this.#cells.counts);
    copy.#size = this.#size;
    return copy;
  }

  /** Items currently in the sketch (additions minus removals). */
  get size(): number {
    return this.#size;
  }

  /** Same as {@link capacity}: a sketch can serve only its cached prefix. */
  get maxSymbols(): number {
    return this.capacity;
  }

  /** Adds one 32-byte id. Throws TypeError/RangeError for anything else. */
  add(id: Uint8Array): void {
    this.#check('add', id);
    this.#toggle(id, 0, 1);
  }

  /** Removes one 32-byte id (the inverse of {@link add}). */
  remove(id: Uint8Array): void {
    this.#check('remove', id);
    this.#toggle(id, 0, -1);
  }

  /** Adds every id of `ids`, a flat buffer of 32-byte ids back to back (the fast path for building). */
  addAll(ids: Uint8Array): void {
    assertBytes('RibltSketch.addAll', 'ids', ids);
    if (ids.length % ID_BYTES !== 0) {
      throw new RangeError(`RibltSketch.addAll: ids expected a multiple of 32 bytes, got ${ids.length}`);
    }
    for (let p = 0; p < ids.length; p += ID_BYTES) this.#toggle(ids, p, 1);
  }

  /** @internal */
  symbolCells(start: number, count: number): { cells: Cells; offset: number } {
    if (start < 0 || count < 0 || start + count > this.capacity) {
      throw new RangeError(
        `RibltSketch: symbols [${start}, ${start + count}) beyond capacity ${this.capacity}`,
      );
    }
    return { cells: this.#cells, offset: start };
  }

  /** A SYMBOLS message carrying cached symbols `[start, start + count)`. Throws RangeError past capacity. */
  encodeBatch(start: number, count: number): Uint8Array {
    assertInteger('RibltSketch.encodeBatch', 'start', start, 0, this.capacity);
    assertInteger('RibltSketch.encodeBatch', 'count', count, 0, this.capacity - start);
    return encodeSymbols(this.#cells, start, start, count, this.#size);
  }

  #check(where: string, id: Uint8Array): void {
    assertBytes(`RibltSketch.${where}`, 'id', id);
    if (id.length !== ID_BYTES)
      throw new RangeError(`RibltSketch.${where}: id expected 32 bytes, got ${id.length}`);
  }

  #toggle(ids: Uint8Array, p: number, delta: number): void {
    const next = this.#size + delta;
    if (next > MAX_SET_SIZE) throw new RangeError(`RibltSketch: more than ${MAX_SET_SIZE} items`);
    const words = this.#words;
    const hash = this.#hash;
    const st = this.#state;
    readIdWords(ids, p, words, 0);
    itemHash(this.sipKey, ids, p, hash, 0);
    const hLo = hash[0]!;
    const hHi = hash[1]!;
    const cells = this.#cells;
    const m = this.capacity;
    startMapping(st, 0, hLo, hHi);
    while (st[0]! < m) {
      toggleCell(cells, st[0]!, words, 0, hLo, hHi, delta);
      advanceMapping(st, 0);
    }
    this.#size = next;
  }
}
