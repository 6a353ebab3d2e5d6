import { assertBytes, describe, isCodecError } from '@syncwire/bytes';
import { Decoder } from '@syncwire/raptorq';
import { assertRepairParams, RepairCodec, type RepairParams, repairIdLimit } from './repair.ts';
import { repairOti, sharedReedSolomon } from './repair-encoder.ts';

/** What {@link RepairDecoder.add} made of a symbol. */
export type RepairAddResult = 'more' | 'decoded' | 'ignored' | 'exhausted';

/** Default {@link RepairDecoderOptions.maxDecodeAttempts}. */
export const DEFAULT_MAX_DECODE_ATTEMPTS = 8;

/** Options of {@link RepairDecoder}. */
export interface RepairDecoderOptions {
  /**
   * Distinct symbols accepted for the chunk, at least k. Default k + 2·repair (for RS at most k + repair exist,
   * and RS always decodes from the first k). Reaching it without decoding gives 'exhausted'.
   */
  maxSymbols?: number;
  /**
   * RaptorQ only: decoding attempts (one at k distinct symbols, one per symbol after that) before 'exhausted',
   * at least 1. Default 8. Honest symbols fail at k with probability < 1 % and each extra one divides that by
   * about 256, so 8 attempts fail about once in 10^19 chunks; a hostile sender, though, could otherwise make a
   * receiver run one O(k) solve per symbol up to maxSymbols.
   */
  maxDecodeAttempts?: number;
}

/**
 * Collects the symbols of one chunk's REPAIR transfer, in any order, and decodes the chunk once it has enough:
 * exactly k distinct symbols for RS; k (rarely a few more) for RaptorQ.
 *
 * Symbols are not authenticated, and erasure codes do not detect corruption: a wrong symbol yields a wrong
 * chunk, which the caller must check against the chunk's leaf hash before using (and then fall back to plain
 * CHUNKs for that peer, notes-sync §5.5). Hostile input costs at most: the chunk (length bytes) plus, for RS, up
 * to k − 1 stored repair symbols, for RaptorQ its decoder's bounded workspace; at most `maxSymbols` distinct
 * symbols and (RaptorQ) `maxDecodeAttempts` solves. `add` never throws for bad ids or symbol bytes.
 *
 * @example
 * ```ts
 * const dec = new RepairDecoder(params); // params checked with checkRepairParams first
 * for (const [id, bytes] of received) if (dec.add(id, bytes) === 'decoded') break;
 * const chunk = dec.result(); // verify against the leaf hash before storing
 * ```
 */
export class RepairDecoder {
  /** The transfer's parameters. */
  readonly params: RepairParams;
  /** One past the largest valid id (see {@link repairIdLimit}). */
  readonly idLimit: number;
  /** The effective cap on distinct symbols. */
  readonly maxSymbols: number;
  #stopAt: number;
  #state: 'more' | 'decoded' | 'exhausted' = 'more';
  #received = 0;
  #result: Uint8Array | undefined;
  // RS: data shards end to end (allocated with the first symbol), which source ids arrived, repair copies.
  #data: Uint8Array | undefined;
  readonly #have: Uint8Array | undefined;
  #repairIds: number[] = [];
  #repairSymbols: Uint8Array[] = [];
  // RaptorQ: the package's decoder fed through one reusable packet buffer, repair ids seen.
  #rq: Decoder | undefined;
  readonly #packet: Uint8Array | undefined;
  readonly #seen: Set<number> | undefined;

  /**
   * @throws RangeError if `p` fails {@link checkRepairParams} (default limits; check wire params against
   *   the session's own limits first), or an option is out of range (maxSymbols < k).
   * @throws TypeError for options of the wrong type.
   */
  constructor(p: RepairParams, options: RepairDecoderOptions = {}) {
    const where = 'RepairDecoder';
    assertRepairParams(where, p);
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${where}: options expected an object, got ${describe(options)}`);
    }
    const { k, repair } = p;
    this.params = { codec: p.codec, length: p.length, symbolSize: p.symbolSize, k, repair };
    this.idLimit = repairIdLimit(p);
    const maxSymbols = options.maxSymbols ?? Math.min(this.idLimit, k + 2 * repair);
    checkInt(where, 'options.maxSymbols', maxSymbols, k, Number.MAX_SAFE_INTEGER);
    this.maxSymbols = Math.min(maxSymbols, this.idLimit);
    const attempts = options.maxDecodeAttempts ?? DEFAULT_MAX_DECODE_ATTEMPTS;
    checkInt(where, 'options.maxDecodeAttempts', attempts, 1, Number.MAX_SAFE_INTEGER);
    if (p.codec === RepairCodec.RS) {
      this.#stopAt = this.maxSymbols;
      this.#have = new Uint8Array(k);
    } else {
      this.#stopAt = Math.min(this.maxSymbols, k + attempts - 1);
      // Constructing allocates nothing per symbol; the object buffer comes with the first symbol.
      this.#rq = new Decoder(repairOti(p), { maxOverhead: Math.min(1 << 20, this.#stopAt - k + 1) });
      this.#packet = new Uint8Array(4 + p.symbolSize);
      this.#seen = new Set();
    }
  }

  /** 'more' while collecting, then 'decoded' or 'exhausted' (both final). */
  get state(): 'more' | 'decoded' | 'exhausted' {
    return this.#state;
  }

  /** Distinct symbols accepted so far. */
  get received(): number {
    return this.#received;
  }

  /**
   * Adds symbol `id`. Returns 'decoded' when this symbol completed the chunk (see {@link result}), 'more' when
   * more are needed, 'exhausted' when the cap is reached without decoding (and for every call after that), and
   * 'ignored' for a symbol that changes nothing: duplicate id, id outside [0, idLimit), a symbol that is not
   * exactly symbolSize bytes, or any symbol after 'decoded'. The bytes are copied; `symbol` may be reused.
   * Never throws for bad ids or symbol data.
   *
   * @throws TypeError if `symbol` is not a Uint8Array (a caller mistake).
   */
  add(id: number, symbol: Uint8Array): RepairAddResult {
    assertBytes('RepairDecoder.add', 'symbol', symbol);
    if (this.#state === 'exhausted') return 'exhausted';
    if (this.#state === 'decoded') return 'ignored';
    const T = this.params.symbolSize;
    if (!Number.isInteger(id) || id < 0 || id >= this.idLimit || symbol.length !== T) return 'ignored';
    const decoded =
      this.params.codec === RepairCodec.RS ? this.#addRs(id, symbol) : this.#addRaptorq(id, symbol);
    if (decoded === undefined) return 'ignored';
    this.#received++;
    if (decoded) {
      this.#state = 'decoded';
      return 'decoded';
    }
    if (this.#received >= this.#stopAt) {
      this.#state = 'exhausted';
      this.#release();
      return 'exhausted';
    }
    return 'more';
  }

  /** The decoded chunk (exactly `length` bytes, owned by the caller) once `add` returned 'decoded', else undefined. */
  result(): Uint8Array | undefined {
    return this.#result;
  }

  /** RS: stores the symbol; undefined for a duplicate, else whether the chunk is now decoded. */
  #addRs(id: number, symbol: Uint8Array): boolean | undefined {
    const { k, repair, symbolSize: T, length } = this.params;
    const have = this.#have as Uint8Array;
    if (id < k) {
      if (have[id]) return undefined;
      have[id] = 1;
      this.#data ??= new Uint8Array(k * T);
      this.#data.set(symbol, id * T);
    } else {
      if (this.#repairIds.includes(id)) return undefined; // at most k − 1 entries
      this.#repairIds.push(id);
      this.#repairSymbols.push(symbol.slice());
    }
    if (this.#received + 1 < k) return false;
    const data = (this.#data ??= new Uint8Array(k * T));
    const shards: (Uint8Array | null)[] = new Array(k + repair).fill(null);
    const present: boolean[] = new Array(k + repair).fill(false);
    for (let i = 0; i < k; i++) {
      // Missing data slots are handed over as outputs (present = false): reconstructed in place.
      shards[i] = data.subarray(i * T, (i + 1) * T);
      present[i] = have[i] === 1;
    }
    for (let j = 0; j < this.#repairIds.length; j++) {
      const i = this.#repairIds[j] as number;
      shards[i] = this.#repairSymbols[j] as Uint8Array;
      present[i] = true;
    }
    sharedReedSolomon(k, repair).reconstructData(shards, present);
    this.#result = data.subarray(0, length);
    this.#release();
    return true;
  }

  /** RaptorQ: feeds the symbol; undefined for a duplicate, else whether the chunk is now decoded. */
  #addRaptorq(id: number, symbol: Uint8Array): boolean | undefined {
    const seen = this.#seen as Set<number>;
    if (seen.has(id)) return undefined;
    seen.add(id);
    const packet = this.#packet as Uint8Array;
    packet[0] = 0;
    packet[1] = id >>> 16;
    packet[2] = id >>> 8;
    packet[3] = id;
    packet.set(symbol, 4);
    const rq = this.#rq as Decoder;
    try {
      if (!rq.add(packet)) return false;
    } catch (e) {
      // limit_exceeded cannot happen before our own cap (maxOverhead is set past it), but whatever the
      // package rejects is the sender's fault, not ours: end the transfer rather than throw.
      if (!isCodecError(e)) throw e;
      this.#stopAt = 0;
      return false;
    }
    this.#result = rq.result();
    this.#release();
    return true;
  }

  #release(): void {
    this.#repairIds = [];
    this.#repairSymbols = [];
    this.#seen?.clear();
    this.#rq = undefined;
    if (this.#state === 'exhausted') this.#data = undefined;
  }
}

function checkInt(where: string, name: string, v: unknown, min: number, max: number): void {
  if (typeof v !== 'number') throw new TypeError(`${where}: ${name} expected a number, got ${describe(v)}`);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${where}: ${name} expected an integer in [${min}, ${max}], got ${v}`);
  }
}
