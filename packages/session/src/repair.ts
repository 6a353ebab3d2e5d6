import { describe } from '@syncwire/bytes';
import { K_MAX, MAX_ESI } from '@syncwire/raptorq';
import { MAX_TOTAL_SHARDS } from '@syncwire/reed-solomon';

/**
 * Erasure codes a REPAIR transfer can use (notes-sync §5.5). `RS`: systematic Reed-Solomon over GF(2^8), one
 * shard per symbol, k + repair ≤ 256. `RAPTORQ`: RFC 6330 with the chunk as one source block (k ≤ 56403).
 */
export const RepairCodec = { RS: 0, RAPTORQ: 1 } as const;

/** One of {@link RepairCodec}'s values. */
export type RepairCodecId = (typeof RepairCodec)[keyof typeof RepairCodec];

/** Largest chunk a REPAIR transfer carries: 2^24 bytes (16 MiB). */
export const MAX_REPAIR_LENGTH = 2 ** 24;
/** Smallest symbol size accepted: 16 bytes (smaller symbols are all header). */
export const MIN_REPAIR_SYMBOL_SIZE = 16;
/** Largest symbol size: 65535 bytes, RaptorQ's T being a 16-bit field (RFC 6330 §3.3.2). */
export const MAX_REPAIR_SYMBOL_SIZE = 65535;
/** Default symbol size of {@link repairParams}. */
export const DEFAULT_REPAIR_SYMBOL_SIZE = 1024;
/** Default repair/k ratio of {@link repairParams}. */
export const DEFAULT_REPAIR_OVERHEAD = 0.25;
/** Largest repair/k ratio {@link repairParams} picks and {@link checkRepairParams} accepts by default. */
export const MAX_REPAIR_OVERHEAD = 4;

/**
 * Everything a receiver needs to decode a REPAIR transfer. `k` is derived (⌈length / symbolSize⌉), so the
 * wire carries codec, length, symbolSize and repair as uvarints and the receiver recomputes k; check what came
 * off the wire with {@link checkRepairParams} before building a decoder.
 */
export interface RepairParams {
  /** {@link RepairCodec}: 0 = Reed-Solomon, 1 = RaptorQ. */
  readonly codec: RepairCodecId;
  /** Chunk length in bytes, 1 … 2^24. */
  readonly length: number;
  /** Bytes per symbol, 16 … 65535; the last source symbol is zero-padded. */
  readonly symbolSize: number;
  /** Source symbols: ⌈length / symbolSize⌉. Symbol ids 0 … k−1 are the chunk's bytes (systematic). */
  readonly k: number;
  /**
   * Repair symbols the sender plans (ids k … k+repair−1), at least 1. For RS this is the parity shard count
   * and ids stop there; RaptorQ is a fountain and any id below 2^24 is a valid repair symbol.
   */
  readonly repair: number;
}

/** Options of {@link repairParams}. */
export interface RepairParamsOptions {
  /** Force a codec. Default: RS when k + repair ≤ 256, else RaptorQ. */
  codec?: RepairCodecId;
  /**
   * Preferred symbol size, 16 … 65535 (default 1024). Raised (to a multiple of 16) when the chunk would
   * otherwise need more source symbols than the codec has: 256 − repair for RS, 56403 for RaptorQ.
   */
  symbolSize?: number;
  /** repair / k, 0 … 4 (default 0.25); at least one repair symbol is always planned. */
  overhead?: number;
}

/** Limits of {@link checkRepairParams} (defaults: the hard limits of this module). */
export interface RepairLimits {
  /** Largest chunk length, ≤ 2^24. Default 2^24; a session passes the chunk's length from its leaf record. */
  maxLength?: number;
  /** Smallest symbol size. Default 16. */
  minSymbolSize?: number;
  /** Largest symbol size. Default 65535. */
  maxSymbolSize?: number;
  /** Largest repair / k ratio: repair ≤ max(1, ⌈k · maxOverhead⌉). Default 4. */
  maxOverhead?: number;
}

function repairFor(k: number, overhead: number): number {
  return Math.max(1, Math.ceil(k * overhead));
}

function roundUp16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

/**
 * The parameters of a REPAIR transfer for a chunk of `length` bytes: k = ⌈length / symbolSize⌉ source symbols
 * and repair = max(1, ⌈k · overhead⌉); RS when k + repair ≤ 256, else RaptorQ. When the chosen codec cannot hold
 * that many source symbols, the symbol size is raised to the smallest multiple of 16 that fits (e.g. a forced-RS
 * 64 KiB chunk at overhead 0.25 gets 320-byte symbols; a 16 MiB RaptorQ chunk with 16-byte symbols gets 304).
 *
 * @throws TypeError for non-numbers or an options value of the wrong type.
 * @throws RangeError for length outside [1, 2^24], symbolSize outside [16, 65535], overhead outside [0, 4],
 *   a codec other than 0/1, or a forced-RS chunk that needs symbols above 65535 bytes.
 */
export function repairParams(length: number, options: RepairParamsOptions = {}): RepairParams {
  const where = 'repairParams';
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where}: options expected an object, got ${describe(options)}`);
  }
  checkInt(where, 'length', length, 1, MAX_REPAIR_LENGTH);
  const preferred = options.symbolSize ?? DEFAULT_REPAIR_SYMBOL_SIZE;
  checkInt(where, 'options.symbolSize', preferred, MIN_REPAIR_SYMBOL_SIZE, MAX_REPAIR_SYMBOL_SIZE);
  const overhead = options.overhead ?? DEFAULT_REPAIR_OVERHEAD;
  if (typeof overhead !== 'number') {
    throw new TypeError(`${where}: options.overhead expected a number, got ${describe(overhead)}`);
  }
  if (!(overhead >= 0 && overhead <= MAX_REPAIR_OVERHEAD)) {
    throw new RangeError(
      `${where}: options.overhead expected a number in [0, ${MAX_REPAIR_OVERHEAD}], got ${overhead}`,
    );
  }
  const forced = options.codec;
  if (forced !== undefined && forced !== RepairCodec.RS && forced !== RepairCodec.RAPTORQ) {
    throw new RangeError(`${where}: options.codec expected 0 (RS) or 1 (RAPTORQ), got ${describe(forced)}`);
  }

  let symbolSize = preferred;
  let k = Math.ceil(length / symbolSize);
  let codec: RepairCodecId;
  if (forced === RepairCodec.RS || (forced === undefined && k + repairFor(k, overhead) <= MAX_TOTAL_SHARDS)) {
    codec = RepairCodec.RS;
    if (k + repairFor(k, overhead) > MAX_TOTAL_SHARDS) {
      // repairFor is non-decreasing in k, so the largest k that fits is found by stepping down.
      let kMax = MAX_TOTAL_SHARDS - 1;
      while (kMax > 1 && kMax + repairFor(kMax, overhead) > MAX_TOTAL_SHARDS) kMax--;
      symbolSize = roundUp16(Math.ceil(length / kMax));
      if (symbolSize > MAX_REPAIR_SYMBOL_SIZE) {
        // Rounding to 16 can overshoot 65535 where the unrounded size would still do.
        symbolSize = Math.ceil(length / kMax);
        if (symbolSize > MAX_REPAIR_SYMBOL_SIZE) {
          throw new RangeError(
            `${where}: a ${length}-byte chunk needs ${symbolSize}-byte RS symbols at overhead ${overhead} (at most ${MAX_REPAIR_SYMBOL_SIZE}); use RaptorQ`,
          );
        }
      }
      k = Math.ceil(length / symbolSize);
    }
  } else {
    codec = RepairCodec.RAPTORQ;
    if (k > K_MAX) {
      // 2^24 / 56403 < 298, so a multiple of 16 always fits under 65535.
      symbolSize = roundUp16(Math.ceil(length / K_MAX));
      k = Math.ceil(length / symbolSize);
    }
  }
  return { codec, length, symbolSize, k, repair: repairFor(k, overhead) };
}

/**
 * Why `p` (typically read off the wire) is not a REPAIR transfer this side accepts, or undefined when it is.
 * Checks, with safe-integer arithmetic only and before anything is allocated: codec is 0 or 1; length in
 * [1, maxLength]; symbolSize in [minSymbolSize, maxSymbolSize]; k === ⌈length / symbolSize⌉; 1 ≤ repair ≤
 * max(1, ⌈k · maxOverhead⌉); RS: k + repair ≤ 256; RaptorQ: k ≤ 56403 and k + repair ≤ 2^24.
 *
 * @throws TypeError / RangeError only for bad `limits` (a caller mistake), never for bad `p`.
 */
export function checkRepairParams(p: RepairParams, limits: RepairLimits = {}): string | undefined {
  const where = 'checkRepairParams';
  if (typeof limits !== 'object' || limits === null) {
    throw new TypeError(`${where}: limits expected an object, got ${describe(limits)}`);
  }
  const maxLength = limits.maxLength ?? MAX_REPAIR_LENGTH;
  const minT = limits.minSymbolSize ?? MIN_REPAIR_SYMBOL_SIZE;
  const maxT = limits.maxSymbolSize ?? MAX_REPAIR_SYMBOL_SIZE;
  const maxOverhead = limits.maxOverhead ?? MAX_REPAIR_OVERHEAD;
  checkInt(where, 'limits.maxLength', maxLength, 1, MAX_REPAIR_LENGTH);
  checkInt(where, 'limits.minSymbolSize', minT, MIN_REPAIR_SYMBOL_SIZE, MAX_REPAIR_SYMBOL_SIZE);
  checkInt(where, 'limits.maxSymbolSize', maxT, minT, MAX_REPAIR_SYMBOL_SIZE);
  if (typeof maxOverhead !== 'number' || !(maxOverhead >= 0) || maxOverhead === Number.POSITIVE_INFINITY) {
    throw new RangeError(
      `${where}: limits.maxOverhead expected a finite number ≥ 0, got ${describe(maxOverhead)}`,
    );
  }

  if (typeof p !== 'object' || p === null) return `params expected an object, got ${describe(p)}`;
  const { codec, length, symbolSize, k, repair } = p;
  if (codec !== RepairCodec.RS && codec !== RepairCodec.RAPTORQ) {
    return `codec expected 0 (RS) or 1 (RAPTORQ), got ${describe(codec)}`;
  }
  if (!isIntIn(length, 1, maxLength))
    return `length expected an integer in [1, ${maxLength}], got ${describe(length)}`;
  if (!isIntIn(symbolSize, minT, maxT)) {
    return `symbolSize expected an integer in [${minT}, ${maxT}], got ${describe(symbolSize)}`;
  }
  const kWant = Math.ceil(length / symbolSize);
  if (k !== kWant) return `k expected ⌈${length} / ${symbolSize}⌉ = ${kWant}, got ${describe(k)}`;
  const maxRepair = repairFor(k, maxOverhead);
  if (!isIntIn(repair, 1, maxRepair))
    return `repair expected an integer in [1, ${maxRepair}], got ${describe(repair)}`;
  if (codec === RepairCodec.RS) {
    if (k + repair > MAX_TOTAL_SHARDS)
      return `RS needs k + repair ≤ ${MAX_TOTAL_SHARDS}, got ${k} + ${repair}`;
  } else {
    if (k > K_MAX) return `RaptorQ needs k ≤ ${K_MAX}, got ${k}`;
    if (k + repair > MAX_ESI + 1) return `RaptorQ needs k + repair ≤ 2^24, got ${k} + ${repair}`;
  }
  return undefined;
}

/**
 * One past the largest valid symbol id of a transfer: k + repair for RS (there are no other shards), 2^24 for
 * RaptorQ (every ESI names a distinct repair symbol, so a sender with no back-channel can keep sending fresh ones).
 */
export function repairIdLimit(p: RepairParams): number {
  return p.codec === RepairCodec.RS ? p.k + p.repair : MAX_ESI + 1;
}

/** Throws RangeError (prefixed with `where`) unless `p` passes {@link checkRepairParams} with default limits. */
export function assertRepairParams(where: string, p: RepairParams): void {
  const problem = checkRepairParams(p);
  if (problem !== undefined) throw new RangeError(`${where}: ${problem}`);
}

function isIntIn(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function checkInt(where: string, name: string, v: unknown, min: number, max: number): void {
  if (typeof v !== 'number') throw new TypeError(`${where}: ${name} expected a number, got ${describe(v)}`);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${where}: ${name} expected an integer in [${min}, ${max}], got ${v}`);
  }
}

/**
 * The REPAIR parameters both sides derive for a chunk of `length` bytes when a WANT asks for `percent` repair
 * symbols per 100 source symbols, given the capability bits both have (`rs`, `raptorq`): Reed-Solomon while
 * k + repair ≤ 256, else RaptorQ; one codec alone when only one is shared. Null when neither is, or the chunk
 * cannot be coded. Deterministic, so the requester knows exactly what the responder will send.
 */
export function negotiatedRepair(
  length: number,
  percent: number,
  rs: boolean,
  raptorq: boolean,
): RepairParams | null {
  if (length < 1 || length > MAX_REPAIR_LENGTH || !(rs || raptorq)) return null;
  const overhead = percent / 100;
  try {
    if (rs && raptorq) return repairParams(length, { overhead });
    return repairParams(length, { overhead, codec: rs ? RepairCodec.RS : RepairCodec.RAPTORQ });
  } catch {
    return null;
  }
}
