import { assertInteger, describe } from '@syncwire/bytes';
import { GEAR_WORDS, MASK_WORDS } from './gear-table.ts';
import { wasmAvailable } from './gear-wasm.ts';

/** Which fastcdc-rs algorithm to reproduce. */
export type FastCdcVariant = 'v2020' | 'v2016';

/** Chunking options. Sizes are in bytes; the allowed ranges are those of fastcdc-rs 4.0.1. */
export interface FastCdcOptions {
  /** Minimum chunk size, 64..1,048,576. Default 4096. */
  min?: number;
  /** Desired average chunk size, 256..4,194,304. Default 16384. */
  avg?: number;
  /** Maximum chunk size, 1024..16,777,216. Default 65536. */
  max?: number;
  /** Normalisation level 0..3 (the crate's `Normalization::Level0..3`). Default 1. */
  level?: number;
  /** Gear seed (the crate's `with_level_and_seed`): a u64 as bigint or non-negative safe integer. Default 0. */
  seed?: number | bigint;
  /** `'v2020'` (two bytes per step, the crate's default module) or `'v2016'`. Default `'v2020'`. */
  variant?: FastCdcVariant;
  /** Also report each chunk's 64-bit gear hash exactly as the crate's `Chunk::hash`. Default false. */
  hashes?: boolean;
  /**
   * Which gear loop runs: `'wasm'` (a 390-byte WebAssembly kernel shipped inside the package), `'js'` (pure
   * TypeScript) or `'auto'` (WebAssembly where available, else TypeScript). Identical cut points either way.
   * Default `'auto'`.
   */
  engine?: FastCdcEngine;
}

/** Which implementation of the gear loop runs (see {@link FastCdcOptions.engine}). */
export type FastCdcEngine = 'auto' | 'js' | 'wasm';

/** Limits of fastcdc-rs 4.0.1 (`MINIMUM_MIN` … `MAXIMUM_MAX`). */
export const LIMITS = {
  minMin: 64,
  minMax: 1_048_576,
  avgMin: 256,
  avgMax: 4_194_304,
  maxMin: 1024,
  maxMax: 16_777_216,
} as const;

/** Defaults used when an option is omitted. */
export const DEFAULTS = { min: 4096, avg: 16384, max: 65536, level: 1, variant: 'v2020' } as const;

/**
 * Everything the scanner needs, derived once from the options.
 *
 * The hash is kept as two int32 words (see `gearLoop`): `hi` holds bits [shift, shift + 32) and `lo` holds bits
 * [0, shift), stored shifted up to end at bit 29. Every mask lies inside bits 4..47, so `shift` is chosen so that
 * `hi` reaches the highest mask bit (and, when the masks span at most 32 bits, so that `lo` needs no test).
 * @internal
 */
export interface Params {
  readonly min: number;
  readonly avg: number;
  readonly max: number;
  readonly level: number;
  readonly seed: bigint;
  readonly variant: FastCdcVariant;
  readonly hashes: boolean;
  /** The resolved engine: `auto` has become `wasm` or `js`. */
  readonly engine: 'js' | 'wasm';
  /** mask_s and mask_l as u64, for the WebAssembly kernel. */
  readonly maskS: bigint;
  readonly maskL: bigint;
  /** Relative index of the first hashed byte. */
  readonly start: number;
  /** Relative index from which `mask_l` applies instead of `mask_s`. */
  readonly center: number;
  /** v2020 hashes byte pairs, so the scan end is rounded down to even. */
  readonly pairs: boolean;
  readonly shift: number;
  /** GEAR bits [0, shift), placed at bits [29 - shift, 29). */
  readonly gearLo: Int32Array;
  /** GEAR bits [shift, shift + 32). */
  readonly gearHi: Int32Array;
  readonly maskSHi: number;
  readonly maskSLo: number;
  readonly maskLHi: number;
  readonly maskLLo: number;
  /** Seeded gear table as [hi, lo] uint32 pairs, for reporting full 64-bit hashes. */
  readonly gear: Uint32Array;
  /** bits = round(log2(avg)): mask_s = MASKS[bits + level], mask_l = MASKS[bits - level]. */
  readonly maskSIndex: number;
  readonly maskLIndex: number;
}

const U64_MAX = (1n << 64n) - 1n;

/**
 * `round(log2(value))` as fastcdc-rs 4.0.1 computes it (rounded, not floored: 4.0.0's floor moved cut points for
 * averages that are not powers of two and was reverted).
 */
export function logarithm2(value: number): number {
  return Math.round(Math.log2(value));
}

function mask64(index: number): bigint {
  return (BigInt(MASK_WORDS[2 * index]!) << 32n) | BigInt(MASK_WORDS[2 * index + 1]!);
}

function lowestBit(v: bigint): number {
  let i = 0;
  while (((v >> BigInt(i)) & 1n) === 0n) i++;
  return i;
}

function highestBit(v: bigint): number {
  let i = 63;
  while (((v >> BigInt(i)) & 1n) === 0n) i--;
  return i;
}

function checkSeed(where: string, seed: unknown): bigint {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed > U64_MAX) {
      throw new RangeError(`${where}: options.seed expected a u64 in [0, 2^64), got ${seed}n`);
    }
    return seed;
  }
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(
        `${where}: options.seed expected a non-negative safe integer or bigint, got ${seed}`,
      );
    }
    return BigInt(seed);
  }
  throw new TypeError(`${where}: options.seed expected a bigint or number, got ${describe(seed)}`);
}

const cache = new Map<string, Params>();

/**
 * Validates options and derives the scanner parameters (memoised: option objects are usually few).
 * @throws TypeError on a wrong type, RangeError on a value out of range or min > avg or avg > max.
 * @internal
 */
export function resolveOptions(where: string, options: FastCdcOptions | undefined): Params {
  if (options === undefined) options = {};
  else if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where}: options expected an object, got ${describe(options)}`);
  }
  const min = options.min ?? DEFAULTS.min;
  const avg = options.avg ?? DEFAULTS.avg;
  const max = options.max ?? DEFAULTS.max;
  const level = options.level ?? DEFAULTS.level;
  const variant = options.variant ?? DEFAULTS.variant;
  const hashes = options.hashes ?? false;
  assertInteger(where, 'options.min', min, LIMITS.minMin, LIMITS.minMax);
  assertInteger(where, 'options.avg', avg, LIMITS.avgMin, LIMITS.avgMax);
  assertInteger(where, 'options.max', max, LIMITS.maxMin, LIMITS.maxMax);
  assertInteger(where, 'options.level', level, 0, 3);
  // The crate does not check the order, but with avg > max its first loop reads past `max` (and past the
  // input, which panics); min > avg is meaningless. Refusing both keeps every chunk within [min, max].
  if (min > avg || avg > max) {
    throw new RangeError(`${where}: options expected min <= avg <= max, got ${min}, ${avg}, ${max}`);
  }
  if (variant !== 'v2020' && variant !== 'v2016') {
    throw new TypeError(`${where}: options.variant expected 'v2020' or 'v2016', got ${describe(variant)}`);
  }
  if (typeof hashes !== 'boolean') {
    throw new TypeError(`${where}: options.hashes expected a boolean, got ${describe(hashes)}`);
  }
  const seed = checkSeed(where, options.seed ?? 0n);
  const requested = options.engine ?? 'auto';
  if (requested !== 'auto' && requested !== 'js' && requested !== 'wasm') {
    throw new TypeError(
      `${where}: options.engine expected 'auto', 'js' or 'wasm', got ${describe(requested)}`,
    );
  }
  if (requested === 'wasm' && !wasmAvailable()) {
    throw new Error(`${where}: options.engine 'wasm' requested but WebAssembly is unavailable here`);
  }
  const engine = requested === 'js' || !wasmAvailable() ? 'js' : 'wasm';
  const key = `${min},${avg},${max},${level},${seed},${variant},${hashes},${engine}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const params = derive(min, avg, max, level, seed, variant, hashes, engine);
  if (cache.size > 64) cache.clear();
  cache.set(key, params);
  return params;
}

function derive(
  min: number,
  avg: number,
  max: number,
  level: number,
  seed: bigint,
  variant: FastCdcVariant,
  hashes: boolean,
  engine: 'js' | 'wasm',
): Params {
  const bits = logarithm2(avg);
  const maskSIndex = bits + level;
  const maskLIndex = bits - level;
  const ms = mask64(maskSIndex);
  const ml = mask64(maskLIndex);
  const union = ms | ml;
  const low = lowestBit(union);
  const high = highestBit(union);
  // hi must reach the highest mask bit; prefer shift = lowest bit so the lo word needs no test at all.
  const shift = high - low <= 31 ? low : high - 31;
  const loMaskBig = (1n << BigInt(shift)) - 1n;
  const up = BigInt(29 - shift);
  const gear = new Uint32Array(512);
  const gearLo = new Int32Array(256);
  const gearHi = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    const g = ((BigInt(GEAR_WORDS[2 * i]!) << 32n) | BigInt(GEAR_WORDS[2 * i + 1]!)) ^ seed;
    gear[2 * i] = Number(g >> 32n);
    gear[2 * i + 1] = Number(g & 0xffffffffn);
    gearLo[i] = Number((g & loMaskBig) << up);
    gearHi[i] = Number((g >> BigInt(shift)) & 0xffffffffn) | 0;
  }
  const hiWord = (m: bigint) => Number((m >> BigInt(shift)) & 0xffffffffn) | 0;
  const pairs = variant === 'v2020';
  return {
    min,
    avg,
    max,
    level,
    seed,
    variant,
    hashes,
    engine,
    maskS: ms,
    maskL: ml,
    // v2020 walks pairs from floor(min/2) and switches masks at pair floor(avg/2); v2016 walks bytes.
    start: pairs ? min & ~1 : min,
    center: pairs ? avg & ~1 : avg,
    pairs,
    shift,
    gearLo,
    gearHi,
    maskSHi: hiWord(ms),
    maskSLo: Number((ms & loMaskBig) << up),
    maskLHi: hiWord(ml),
    maskLLo: Number((ml & loMaskBig) << up),
    gear,
    maskSIndex,
    maskLIndex,
  };
}
