import { assertBytes, describe } from '@syncwire/bytes';
import { Encoder, type Oti, type SourceBlockEncoder } from '@syncwire/raptorq';
import { ReedSolomon } from '@syncwire/reed-solomon';
import { assertRepairParams, RepairCodec, type RepairParams, repairIdLimit } from './repair.ts';

/** Internal (shared with the decoder; not for the package surface): the RaptorQ OTI of a REPAIR transfer, the chunk as one source block with one sub-block. */
export function repairOti(p: RepairParams): Oti {
  return { transferLength: p.length, symbolSize: p.symbolSize, sourceBlocks: 1, subBlocks: 1, alignment: 1 };
}

const RS_CACHE_SIZE = 8;
const rsCache = new Map<number, ReedSolomon>();

/**
 * Internal (shared with the decoder; not for the package surface). A shared `ReedSolomon(k, m)`: construction derives the encoding matrix (a k × k inversion), and the decode
 * matrices it caches per erasure pattern are worth keeping across chunks of the same shape. Few shapes occur
 * (one per chunk size class), so a tiny LRU suffices; each instance caches at most 4 decode matrices (k² bytes
 * each) so hostile patterns cannot make the cache large.
 */
export function sharedReedSolomon(k: number, m: number): ReedSolomon {
  const key = k * 256 + m;
  let rs = rsCache.get(key);
  if (rs === undefined) {
    rs = new ReedSolomon(k, m, { maxCachedMatrices: 4 });
    if (rsCache.size >= RS_CACHE_SIZE) rsCache.delete(rsCache.keys().next().value as number);
  } else rsCache.delete(key);
  rsCache.set(key, rs);
  return rs;
}

/**
 * Produces the symbols of one chunk's REPAIR transfer. Source symbols (ids 0 … k−1) are the chunk's bytes;
 * repair symbols are computed on first request (RS: all parity shards at once, O(k · repair · symbolSize);
 * RaptorQ: the block's intermediate symbols once, then each repair symbol on its own).
 *
 * The encoder keeps a reference to `chunk` (not a copy): do not modify it while the encoder is in use.
 *
 * @example
 * ```ts
 * const p = repairParams(chunk.length);
 * const enc = new RepairEncoder(chunk, p);
 * for (let id = 0; id < enc.count; id++) send(id, enc.symbol(id));
 * ```
 */
export class RepairEncoder {
  /** The transfer's parameters. */
  readonly params: RepairParams;
  /** Symbols the sender plans to send: k + repair (ids 0 … count−1). */
  readonly count: number;
  /** One past the largest valid id: `count` for RS, 2^24 for RaptorQ (see {@link repairIdLimit}). */
  readonly idLimit: number;
  readonly #chunk: Uint8Array;
  /** The last source symbol zero-padded to symbolSize, when the chunk is not a whole number of symbols. */
  #lastSource: Uint8Array | undefined;
  /** RS parity shards end to end (repair · symbolSize bytes), computed on first use. */
  #parity: Uint8Array | undefined;
  #block: SourceBlockEncoder | undefined;

  /**
   * @throws TypeError if `chunk` is not a Uint8Array.
   * @throws RangeError if `p` fails {@link checkRepairParams} (default limits) or `p.length !== chunk.length`.
   */
  constructor(chunk: Uint8Array, p: RepairParams) {
    const where = 'RepairEncoder';
    assertBytes(where, 'chunk', chunk);
    assertRepairParams(where, p);
    if (p.length !== chunk.length) {
      throw new RangeError(`${where}: params.length ${p.length} differs from chunk.length ${chunk.length}`);
    }
    this.params = { codec: p.codec, length: p.length, symbolSize: p.symbolSize, k: p.k, repair: p.repair };
    this.count = p.k + p.repair;
    this.idLimit = repairIdLimit(p);
    this.#chunk = chunk;
  }

  /**
   * Symbol `id` (0 ≤ id < idLimit), `symbolSize` bytes. Read-only: source symbols are views into the chunk and
   * RS parity symbols views into the encoder's parity buffer; RaptorQ repair symbols are fresh.
   *
   * @throws RangeError for an id outside [0, idLimit).
   */
  symbol(id: number): Uint8Array {
    const { k, symbolSize: T, length } = this.params;
    this.#checkId('RepairEncoder.symbol', id);
    if (id < k) {
      if ((id + 1) * T <= length) return this.#chunk.subarray(id * T, (id + 1) * T);
      return this.#paddedLast();
    }
    if (this.params.codec === RepairCodec.RS) {
      const j = id - k;
      return this.#rsParity().subarray(j * T, (j + 1) * T);
    }
    const out = new Uint8Array(T);
    this.#raptorq().symbolInto(id, out, 0);
    return out;
  }

  /**
   * Writes symbol `id` into `out[offset … offset + symbolSize)` (no allocation once the repair symbols of an RS
   * transfer exist). Returns symbolSize.
   *
   * @throws TypeError if `out` is not a Uint8Array; RangeError for a bad id or no room at `offset`.
   */
  symbolInto(id: number, out: Uint8Array, offset: number): number {
    const where = 'RepairEncoder.symbolInto';
    const T = this.params.symbolSize;
    assertBytes(where, 'out', out);
    this.#checkId(where, id);
    if (!Number.isInteger(offset) || offset < 0 || offset + T > out.length) {
      throw new RangeError(
        `${where}: offset expected an integer in [0, ${out.length - T}] (room for ${T} bytes), got ${describe(offset)}`,
      );
    }
    if (this.params.codec === RepairCodec.RAPTORQ && id >= this.params.k) {
      this.#raptorq().symbolInto(id, out, offset);
    } else out.set(this.symbol(id), offset);
    return T;
  }

  #checkId(where: string, id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.idLimit) {
      throw new RangeError(
        `${where}: id expected an integer in [0, ${this.idLimit - 1}], got ${describe(id)}`,
      );
    }
  }

  #paddedLast(): Uint8Array {
    if (this.#lastSource === undefined) {
      const { k, symbolSize: T } = this.params;
      const last = new Uint8Array(T);
      last.set(this.#chunk.subarray((k - 1) * T));
      this.#lastSource = last;
    }
    return this.#lastSource;
  }

  #rsParity(): Uint8Array {
    if (this.#parity === undefined) {
      const { k, repair, symbolSize: T } = this.params;
      const parity = new Uint8Array(repair * T);
      const shards: Uint8Array[] = [];
      for (let i = 0; i < k; i++) shards.push(this.symbol(i));
      // Parity slots are views of one buffer: RS fills them in place, no per-shard allocation.
      for (let j = 0; j < repair; j++) shards.push(parity.subarray(j * T, (j + 1) * T));
      sharedReedSolomon(k, repair).encode(shards);
      this.#parity = parity;
    }
    return this.#parity;
  }

  #raptorq(): SourceBlockEncoder {
    if (this.#block === undefined) this.#block = new Encoder(this.#chunk, repairOti(this.params)).block(0);
    return this.#block;
  }
}
