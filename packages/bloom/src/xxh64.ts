import { assertBytes } from '@syncwire/bytes';
import { joinU64, mulHi32, readU32LE, splitU64 } from './u64.ts';

// XXH64 primes as [hi, lo] 32-bit halves (xxHash spec, "XXH64 algorithm description").
const P1H = 0x9e3779b1;
const P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d;
const P2L = 0x27d4eb4f;
const P3H = 0x165667b1;
const P3L = 0x9e3779f9;
const P4H = 0x85ebca77;
const P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f;
const P5L = 0x165667c5;

// The hash state lives in this typed array: v1..v4 as [lo, hi] pairs at 0..7, the accumulator h at 8..9. Helpers
// take only small integers (offsets, lane numbers) and do their 64-bit steps inline on locals. Why: V8 boxes a
// number ≥ 2^30 as a heap object whenever it crosses a non-inlined call or sits in a closure variable, and the
// obvious small-helper style measured ~10x slower with the garbage collector busy; typed-array slots and local
// registers stay raw 32-bit words.
const S = new Uint32Array(10);

/** v[lane] = rotl(v[lane] + read64(bytes, p)·P2, 31)·P1. */
function laneRound(bytes: Uint8Array, p: number, lane: number): void {
  const iL = readU32LE(bytes, p);
  const iH = readU32LE(bytes, p + 4);
  const xa0 = iL & 0xffff;
  const xa1 = iL >>> 16;
  const xm1 = xa1 * 0xeb4f;
  const xm2 = xa0 * 0x27d4;
  const x =
    xa1 * 0x27d4 +
    (xm1 >>> 16) +
    (xm2 >>> 16) +
    ((((xa0 * 0xeb4f) >>> 16) + (xm1 & 0xffff) + (xm2 & 0xffff)) >>> 16);
  let tL = Math.imul(iL, P2L) >>> 0;
  let tH = (x + Math.imul(iH, P2L) + Math.imul(iL, P2H)) >>> 0;
  const s = S[lane]! + tL;
  tL = s >>> 0;
  tH = (S[lane + 1]! + tH + (s > 0xffffffff ? 1 : 0)) >>> 0;
  const rH = ((tH << 31) | (tL >>> 1)) >>> 0;
  const rL = ((tL << 31) | (tH >>> 1)) >>> 0;
  const ya0 = rL & 0xffff;
  const ya1 = rL >>> 16;
  const ym1 = ya1 * 0xca87;
  const ym2 = ya0 * 0x85eb;
  const y =
    ya1 * 0x85eb +
    (ym1 >>> 16) +
    (ym2 >>> 16) +
    ((((ya0 * 0xca87) >>> 16) + (ym1 & 0xffff) + (ym2 & 0xffff)) >>> 16);
  S[lane] = Math.imul(rL, P1L);
  S[lane + 1] = y + Math.imul(rH, P1L) + Math.imul(rL, P1H);
}

/**
 * h = (h ^ rotl(x·P2, 31)·P1)·P1 + P4 where x is lane `lane` (merge round, `lane` < 8) or read64(bytes, p)
 * preceded by a 27-bit rotation of h (8-byte tail step, `lane` = -1).
 */
function mixIntoH(bytes: Uint8Array, p: number, lane: number): void {
  let iL: number;
  let iH: number;
  if (lane >= 0) {
    iL = S[lane]!;
    iH = S[lane + 1]!;
  } else {
    iL = readU32LE(bytes, p);
    iH = readU32LE(bytes, p + 4);
  }
  const tL = Math.imul(iL, P2L) >>> 0;
  const tH = (mulHi32(iL, P2L) + Math.imul(iH, P2L) + Math.imul(iL, P2H)) >>> 0;
  const rH = ((tH << 31) | (tL >>> 1)) >>> 0;
  const rL = ((tL << 31) | (tH >>> 1)) >>> 0;
  const kL = Math.imul(rL, P1L) >>> 0;
  const kH = (mulHi32(rL, P1L) + Math.imul(rH, P1L) + Math.imul(rL, P1H)) >>> 0;
  let hL = (S[8]! ^ kL) >>> 0;
  let hH = (S[9]! ^ kH) >>> 0;
  if (lane < 0) {
    const l = hL;
    hL = ((hL << 27) | (hH >>> 5)) >>> 0;
    hH = ((hH << 27) | (l >>> 5)) >>> 0;
  }
  const mL = Math.imul(hL, P1L) >>> 0;
  const mH = mulHi32(hL, P1L) + Math.imul(hH, P1L) + Math.imul(hL, P1H);
  const s = mL + P4L;
  S[8] = s;
  S[9] = mH + P4H + (s > 0xffffffff ? 1 : 0);
}

/** 4-byte tail step: h ^= read32·P1; h = rotl(h, 23)·P2 + P3. */
function mixWord(bytes: Uint8Array, p: number): void {
  const w = readU32LE(bytes, p);
  let hH = (S[9]! ^ (mulHi32(w, P1L) + Math.imul(w, P1H))) >>> 0;
  let hL = (S[8]! ^ Math.imul(w, P1L)) >>> 0;
  const l = hL;
  hL = ((hL << 23) | (hH >>> 9)) >>> 0;
  hH = ((hH << 23) | (l >>> 9)) >>> 0;
  const mL = Math.imul(hL, P2L) >>> 0;
  const mH = mulHi32(hL, P2L) + Math.imul(hH, P2L) + Math.imul(hL, P2H);
  const s = mL + P3L;
  S[8] = s;
  S[9] = mH + P3H + (s > 0xffffffff ? 1 : 0);
}

/** 1-byte tail step: h ^= byte·P5; h = rotl(h, 11)·P1. */
function mixByte(b: number): void {
  let hH = (S[9]! ^ (mulHi32(b, P5L) + Math.imul(b, P5H))) >>> 0;
  let hL = (S[8]! ^ Math.imul(b, P5L)) >>> 0;
  const l = hL;
  hL = ((hL << 11) | (hH >>> 21)) >>> 0;
  hH = ((hH << 11) | (l >>> 21)) >>> 0;
  S[8] = Math.imul(hL, P1L);
  S[9] = mulHi32(hL, P1L) + Math.imul(hH, P1L) + Math.imul(hL, P1H);
}

/** S[8..9] = a + b for S[ia..ia+1] and S[ib..ib+1]. */
function addInto(ia: number, ib: number): void {
  const s = S[ia]! + S[ib]!;
  const hi = S[ia + 1]! + S[ib + 1]! + (s > 0xffffffff ? 1 : 0);
  S[8] = s;
  S[9] = hi;
}

/** Rotates lane `lane` left by `r` (1 ≤ r < 32) in place. */
function rotlLane(lane: number, r: number): void {
  const l = S[lane]!;
  const h = S[lane + 1]!;
  S[lane] = (l << r) | (h >>> (32 - r));
  S[lane + 1] = (h << r) | (l >>> (32 - r));
}

/** Final avalanche of h, written as [lo, hi] to out. */
function avalanche(out: Uint32Array, o: number): void {
  let hH = S[9]!;
  let hL = (S[8]! ^ (hH >>> 1)) >>> 0;
  let mL = Math.imul(hL, P2L) >>> 0;
  let mH = (mulHi32(hL, P2L) + Math.imul(hH, P2L) + Math.imul(hL, P2H)) >>> 0;
  hL = (mL ^ ((mL >>> 29) | (mH << 3))) >>> 0;
  hH = (mH ^ (mH >>> 29)) >>> 0;
  mL = Math.imul(hL, P3L) >>> 0;
  mH = (mulHi32(hL, P3L) + Math.imul(hH, P3L) + Math.imul(hL, P3H)) >>> 0;
  out[o] = mL ^ mH;
  out[o + 1] = mH;
}

/**
 * XXH64 of `bytes` with a 64-bit seed given as 32-bit halves, written as `[lo, hi]` into `out` at `outOffset`.
 * The allocation-free form the filters use; no BigInt anywhere.
 *
 * No argument checks: this is the hot path. Use {@link xxh64} for a checked, bigint-returning call.
 */
export function xxh64Into(
  bytes: Uint8Array,
  seedLo: number,
  seedHi: number,
  out: Uint32Array,
  outOffset = 0,
): void {
  const len = bytes.length;
  let p = 0;
  if (len >= 32) {
    // v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed − P1 = seed + (2^64 − P1)
    S[8] = seedLo;
    S[9] = seedHi;
    S[0] = 0xadc0b5d6;
    S[1] = 0x60ea27ee;
    addInto(8, 0);
    S[0] = S[8]!;
    S[1] = S[9]!;
    S[2] = P2L;
    S[3] = P2H;
    S[8] = seedLo;
    S[9] = seedHi;
    addInto(8, 2);
    S[2] = S[8]!;
    S[3] = S[9]!;
    S[6] = 0x7a143579;
    S[7] = 0x61c8864e;
    S[8] = seedLo;
    S[9] = seedHi;
    addInto(8, 6);
    S[6] = S[8]!;
    S[7] = S[9]!;
    S[4] = seedLo;
    S[5] = seedHi;
    const limit = len - 32;
    do {
      laneRound(bytes, p, 0);
      laneRound(bytes, p + 8, 2);
      laneRound(bytes, p + 16, 4);
      laneRound(bytes, p + 24, 6);
      p += 32;
    } while (p <= limit);
    // h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18), computed on copies so the lanes survive for
    // the merge rounds.
    const l0 = S[0]!;
    const h0 = S[1]!;
    const l1 = S[2]!;
    const h1 = S[3]!;
    const l2 = S[4]!;
    const h2 = S[5]!;
    const l3 = S[6]!;
    const h3 = S[7]!;
    rotlLane(0, 1);
    rotlLane(2, 7);
    rotlLane(4, 12);
    rotlLane(6, 18);
    addInto(0, 2);
    S[0] = S[8]!;
    S[1] = S[9]!;
    addInto(0, 4);
    S[0] = S[8]!;
    S[1] = S[9]!;
    addInto(0, 6);
    S[0] = l0;
    S[1] = h0;
    S[2] = l1;
    S[3] = h1;
    S[4] = l2;
    S[5] = h2;
    S[6] = l3;
    S[7] = h3;
    mixIntoH(bytes, 0, 0);
    mixIntoH(bytes, 0, 2);
    mixIntoH(bytes, 0, 4);
    mixIntoH(bytes, 0, 6);
  } else {
    S[8] = seedLo;
    S[9] = seedHi;
    S[0] = P5L;
    S[1] = P5H;
    addInto(8, 0);
  }
  S[0] = len >>> 0;
  S[1] = Math.floor(len / 4294967296);
  addInto(8, 0);
  while (p + 8 <= len) {
    mixIntoH(bytes, p, -1);
    p += 8;
  }
  if (p + 4 <= len) {
    mixWord(bytes, p);
    p += 4;
  }
  while (p < len) mixByte(bytes[p++]!);
  avalanche(out, outOffset);
}

const SCRATCH = new Uint32Array(2);

/**
 * XXH64 (xxHash, 64-bit) of `bytes` with an optional seed (default 0), as an unsigned bigint.
 *
 * @throws TypeError if `bytes` is not a Uint8Array or `seed` is not a non-negative safe integer / u64 bigint.
 * @throws RangeError if a bigint `seed` is outside [0, 2^64).
 * @example
 * ```ts
 * xxh64(new Uint8Array(0)).toString(16); // 'ef46db3751d8e999'
 * ```
 */
export function xxh64(bytes: Uint8Array, seed: bigint | number = 0): bigint {
  assertBytes('xxh64', 'bytes', bytes);
  const [lo, hi] = splitU64('xxh64', 'seed', seed);
  xxh64Into(bytes, lo, hi, SCRATCH, 0);
  return joinU64(SCRATCH[0]!, SCRATCH[1]!);
}
