import { assertInteger, CodecError } from '@syncwire/bytes';
import {
  type Cells,
  growCells,
  ID_BYTES,
  isEmpty,
  isPure,
  newCells,
  toggleCell,
  writeIdWords,
} from './riblt-cells.ts';
import { advanceMapping, startMapping } from './riblt-mapping.ts';
import type { CodedSymbolSource } from './riblt-source.ts';
import { decodeRibltMessage, type RibltWireLimits, type SymbolBatch } from './riblt-wire.ts';

/** The decoded difference: ids only the peer has (`remoteOnly`, "I need") and only we have (`localOnly`). */
export interface RibltResult {
  remoteOnly: Uint8Array[];
  localOnly: Uint8Array[];
}

/** `running`: needs more symbols ("not yet"); `decoded`: final; `failed`: cap reached or inconsistent input. */
export type RibltDecoderState = 'running' | 'decoded' | 'failed';

/** Options of {@link RibltDecoder}. */
export interface RibltDecoderOptions extends RibltWireLimits {}

function readU32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/**
 * Peeling decoder for a peer's RIBLT coded symbols. Each received symbol has the local set's symbol at the
 * same index subtracted, so its cells hold only the symmetric difference; pure cells (count ±1 whose keyed hash
 * matches) are peeled and the item is removed from every received cell it maps to, and from later symbols as
 * they arrive. The result is reported only once every received cell is empty and the peer's declared set size
 * agrees with it — until then {@link result} is `undefined` ("not yet"), so a truncated stream never yields a
 * wrong answer. Work is bounded by the symbols received: at most one peel per received symbol.
 */
export class RibltDecoder {
  readonly #local: CodedSymbolSource;
  readonly #limits: Required<RibltWireLimits>;
  #cells: Cells = newCells(64);
  #received = 0;
  #nonEmpty = 0;
  #state: RibltDecoderState = 'running';
  #failure: string | undefined;
  #remoteSetSize = -1;
  // Decoded items: id words, hash, sign (+1 remote-only, −1 local-only) and index-walk state.
  #n = 0;
  #words = new Uint32Array(8 * 64);
  #hashes = new Uint32Array(2 * 64);
  #states = new Uint32Array(3 * 64);
  #signs = new Int8Array(64);
  #heap = new Uint32Array(64);
  #heapSize = 0;
  #byHash = new Map<number, number[]>();
  #queue: number[] = [];

  /**
   * @param local the local set's symbols (a {@link RibltSketch} or {@link RibltEncoder}) under the same key.
   * @param options wire limits; `maxSymbols` (the symbol cap, default min(local.maxSymbols, 2^20)) is where the
   *   decoder gives up so the caller can fall back.
   */
  constructor(local: CodedSymbolSource, options: RibltDecoderOptions = {}) {
    this.#local = local;
    const maxSymbols = options.maxSymbols ?? Math.min(local.maxSymbols, 1 << 20);
    assertInteger('RibltDecoder', 'maxSymbols', maxSymbols, 1, Math.min(local.maxSymbols, 2 ** 31));
    this.#limits = {
      maxFrameBytes: options.maxFrameBytes ?? 256 * 1024,
      maxBatchSymbols: options.maxBatchSymbols ?? 4096,
      maxSymbols,
    };
  }

  /** Current state. */
  get state(): RibltDecoderState {
    return this.#state;
  }

  /** Why the decoder failed, when {@link state} is `failed`. */
  get failure(): string | undefined {
    return this.#failure;
  }

  /** Coded symbols consumed so far (the decode cost in symbols once decoded). */
  get received(): number {
    return this.#received;
  }

  /** The symbol cap. */
  get maxSymbols(): number {
    return this.#limits.maxSymbols;
  }

  /**
   * Feeds one SYMBOLS message. Throws {@link CodecError} for malformed bytes, a different message type, a gap
   * in symbol indices or a changed set size; returns the new state.
   */
  push(message: Uint8Array): RibltDecoderState {
    const msg = decodeRibltMessage(message, this.#limits);
    if (msg.type !== 'symbols')
      throw new CodecError('invalid_tag', `RibltDecoder: expected symbols, got ${msg.type}`, 0);
    return this.addBatch(msg);
  }

  /** Feeds an already decoded batch (see {@link push}). Symbols before {@link received} are skipped. */
  addBatch(batch: SymbolBatch): RibltDecoderState {
    if (this.#state !== 'running') return this.#state;
    if (batch.start > this.#received) {
      throw new CodecError(
        'out_of_order',
        `RibltDecoder: batch starts at ${batch.start}, expected ${this.#received}`,
      );
    }
    if (this.#remoteSetSize === -1) this.#remoteSetSize = batch.setSize;
    else if (this.#remoteSetSize !== batch.setSize) {
      throw new CodecError(
        'invalid_value',
        `RibltDecoder: set size changed from ${this.#remoteSetSize} to ${batch.setSize}`,
      );
    }
    for (let k = this.#received - batch.start; k < batch.count; k++) {
      if (this.#received >= this.#limits.maxSymbols) break;
      this.#addSymbol(batch.ids, k * ID_BYTES, batch.hashes, k * 8, batch.counts[k]!);
      if (this.#state !== 'running') return this.#state;
    }
    if (this.#received >= this.#limits.maxSymbols)
      this.#fail(`symbol cap ${this.#limits.maxSymbols} reached`);
    return this.#state;
  }

  /** The difference once {@link state} is `decoded`; `undefined` before ("not yet") or after a failure. */
  result(): RibltResult | undefined {
    if (this.#state !== 'decoded') return undefined;
    const remoteOnly: Uint8Array[] = [];
    const localOnly: Uint8Array[] = [];
    for (let x = 0; x < this.#n; x++) {
      const id = new Uint8Array(ID_BYTES);
      writeIdWords(this.#words, 8 * x, id, 0);
      (this.#signs[x] === 1 ? remoteOnly : localOnly).push(id);
    }
    return { remoteOnly, localOnly };
  }

  #fail(reason: string): void {
    this.#state = 'failed';
    this.#failure = reason;
  }

  #addSymbol(ids: Uint8Array, io: number, hashes: Uint8Array, ho: number, count: number): void {
    const i = this.#received;
    if (i >= this.#cells.counts.length) this.#cells = growCells(this.#cells, 2 * this.#cells.counts.length);
    const cells = this.#cells;
    const { cells: local, offset } = this.#local.symbolCells(i, 1);
    for (let k = 0; k < 8; k++) cells.ids[8 * i + k] = readU32(ids, io + 4 * k) ^ local.ids[8 * offset + k]!;
    cells.hashes[2 * i] = readU32(hashes, ho) ^ local.hashes[2 * offset]!;
    cells.hashes[2 * i + 1] = readU32(hashes, ho + 4) ^ local.hashes[2 * offset + 1]!;
    cells.counts[i] = count - local.counts[offset]!;
    this.#received = i + 1;
    // Items already peeled whose walk reaches this index are removed from it before it is examined.
    const heap = this.#heap;
    const st = this.#states;
    while (this.#heapSize > 0 && st[3 * heap[0]!] === i) {
      const x = heap[0]!;
      toggleCell(
        cells,
        i,
        this.#words,
        8 * x,
        this.#hashes[2 * x]!,
        this.#hashes[2 * x + 1]!,
        -this.#signs[x]!,
      );
      advanceMapping(st, 3 * x);
      this.#siftDown(0);
    }
    if (!isEmpty(cells, i)) this.#nonEmpty++;
    const c = cells.counts[i]!;
    if (c === 1 || c === -1) this.#queue.push(i);
    this.#peel();
    if (this.#state === 'running' && this.#nonEmpty === 0) this.#finish();
  }

  #finish(): void {
    let remote = 0;
    for (let x = 0; x < this.#n; x++) if (this.#signs[x] === 1) remote++;
    const expected = this.#local.size + remote - (this.#n - remote);
    if (expected !== this.#remoteSetSize) {
      this.#fail(`decoded difference implies ${expected} remote items, peer declared ${this.#remoteSetSize}`);
      return;
    }
    this.#state = 'decoded';
  }

  #peel(): void {
    const cells = this.#cells;
    const key = this.#local.sipKey;
    const queue = this.#queue;
    while (queue.length > 0) {
      const j = queue.pop()!;
      if (!isPure(key, cells, j)) continue;
      // Honest input peels each difference once from a cell that then stays empty: more items than symbols,
      // or the same id twice, can only come from a hostile or inconsistent peer.
      if (this.#n >= this.#received) {
        this.#fail('more decoded items than received symbols');
        return;
      }
      const x = this.#newItem(j);
      if (x < 0) {
        this.#fail('the same id decoded twice');
        return;
      }
      const words = this.#words;
      const hLo = this.#hashes[2 * x]!;
      const hHi = this.#hashes[2 * x + 1]!;
      const delta = -this.#signs[x]!;
      const st = this.#states;
      const o = 3 * x;
      startMapping(st, o, hLo, hHi);
      const received = this.#received;
      while (st[o]! < received) {
        const c = st[o]!;
        const was = isEmpty(cells, c);
        toggleCell(cells, c, words, 8 * x, hLo, hHi, delta);
        const now = isEmpty(cells, c);
        if (was !== now) this.#nonEmpty += now ? -1 : 1;
        const n = cells.counts[c]!;
        if (n === 1 || n === -1) queue.push(c);
        advanceMapping(st, o);
      }
      this.#heapPush(x);
    }
  }

  /** Records the item in pure cell `j`; returns its index, or −1 if that id was already decoded. */
  #newItem(j: number): number {
    const cells = this.#cells;
    const hLo = cells.hashes[2 * j]!;
    const bucket = this.#byHash.get(hLo);
    if (bucket) {
      for (const y of bucket) {
        let same = true;
        for (let k = 0; k < 8; k++) if (this.#words[8 * y + k] !== cells.ids[8 * j + k]) same = false;
        if (same) return -1;
      }
    }
    if (this.#n === this.#signs.length) this.#growItems();
    const x = this.#n++;
    this.#words.set(cells.ids.subarray(8 * j, 8 * j + 8), 8 * x);
    this.#hashes[2 * x] = hLo;
    this.#hashes[2 * x + 1] = cells.hashes[2 * j + 1]!;
    this.#signs[x] = cells.counts[j]!;
    if (bucket) bucket.push(x);
    else this.#byHash.set(hLo, [x]);
    return x;
  }

  #growItems(): void {
    const cap = 2 * this.#signs.length;
    const w = new Uint32Array(8 * cap);
    w.set(this.#words);
    this.#words = w;
    const h = new Uint32Array(2 * cap);
    h.set(this.#hashes);
    this.#hashes = h;
    const s = new Uint32Array(3 * cap);
    s.set(this.#states);
    this.#states = s;
    const g = new Int8Array(cap);
    g.set(this.#signs);
    this.#signs = g;
    const hp = new Uint32Array(cap);
    hp.set(this.#heap);
    this.#heap = hp;
  }

  #heapPush(x: number): void {
    const heap = this.#heap;
    const st = this.#states;
    let i = this.#heapSize++;
    const key = st[3 * x]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (st[3 * p]! <= key) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = x;
  }

  #siftDown(i: number): void {
    const heap = this.#heap;
    const st = this.#states;
    const n = this.#heapSize;
    const x = heap[i]!;
    const key = st[3 * x]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && st[3 * heap[child + 1]!]! < st[3 * heap[child]!]!) child++;
      if (st[3 * heap[child]!]! >= key) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = x;
  }
}
