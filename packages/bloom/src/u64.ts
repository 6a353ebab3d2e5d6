/**
 * 64-bit arithmetic on pairs of unsigned 32-bit limbs, for hashing without BigInt.
 * @module
 */

const TWO_32 = 4294967296;

/**
 * High 32 bits of the 64-bit product of two unsigned 32-bit integers (`⌊a·b / 2^32⌋`), exact: schoolbook
 * multiplication on 16-bit halves, every partial product below 2^32 (measured 2x faster than correcting the
 * rounded float product).
 */
export function mulHi32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const m1 = a1 * b0;
  const m2 = a0 * b1;
  const carry = (((a0 * b0) >>> 16) + (m1 & 0xffff) + (m2 & 0xffff)) >>> 16;
  return (a1 * b1 + (m1 >>> 16) + (m2 >>> 16) + carry) >>> 0;
}

/**
 * Reads the little-endian unsigned 32-bit word at `i` of `b` (no bounds check: callers guarantee `i + 4 ≤ length`).
 */
export function readU32LE(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

/** Writes `v` as a little-endian unsigned 32-bit word at `i` of `b`. */
export function writeU32LE(b: Uint8Array, i: number, v: number): void {
  b[i] = v;
  b[i + 1] = v >>> 8;
  b[i + 2] = v >>> 16;
  b[i + 3] = v >>> 24;
}

/** Splits a u64 given as a bigint or a safe non-negative integer into `[lo, hi]` 32-bit words. */
export function splitU64(where: string, name: string, value: unknown): [number, number] {
  if (typeof value === 'bigint') {
    if (value < 0n || value > 0xffffffffffffffffn) {
      throw new RangeError(`${where}: ${name} expected an unsigned 64-bit integer, got ${value}n`);
    }
    return [Number(value & 0xffffffffn), Number(value >> 32n)];
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    return [value >>> 0, Math.floor(value / TWO_32) >>> 0];
  }
  throw new TypeError(
    `${where}: ${name} expected a non-negative safe integer or a u64 bigint, got ${typeof value === 'number' ? value : typeof value}`,
  );
}

/** Joins 32-bit words into a u64 bigint (for public getters, never in hot loops). */
export function joinU64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/**
 * MurmurHash3's 64-bit finaliser (`fmix64`), a bijection with full avalanche, applied in place to the u64 stored as
 * `[lo, hi]` at `words[offset]`. Takes the array rather than two numbers so no call ever boxes a 32-bit value; the
 * high words of the two constant products are spelled out (schoolbook on 16-bit halves) so nothing needs inlining.
 */
export function fmix64(words: Uint32Array, offset: number): void {
  let lo = words[offset]!;
  let hi = words[offset + 1]!;
  // k ^= k >> 33
  lo = (lo ^ (hi >>> 1)) >>> 0;
  // k *= 0xff51afd7ed558ccd
  let x0 = lo & 0xffff;
  let x1 = lo >>> 16;
  let m1 = x1 * 0x8ccd;
  let m2 = x0 * 0xed55;
  let carry = (((x0 * 0x8ccd) >>> 16) + (m1 & 0xffff) + (m2 & 0xffff)) >>> 16;
  let nhi =
    (x1 * 0xed55 +
      (m1 >>> 16) +
      (m2 >>> 16) +
      carry +
      Math.imul(hi, 0xed558ccd) +
      Math.imul(lo, 0xff51afd7)) >>>
    0;
  let nlo = Math.imul(lo, 0xed558ccd) >>> 0;
  // k ^= k >> 33
  lo = (nlo ^ (nhi >>> 1)) >>> 0;
  hi = nhi;
  // k *= 0xc4ceb9fe1a85ec53
  x0 = lo & 0xffff;
  x1 = lo >>> 16;
  m1 = x1 * 0xec53;
  m2 = x0 * 0x1a85;
  carry = (((x0 * 0xec53) >>> 16) + (m1 & 0xffff) + (m2 & 0xffff)) >>> 16;
  nhi =
    (x1 * 0x1a85 +
      (m1 >>> 16) +
      (m2 >>> 16) +
      carry +
      Math.imul(hi, 0x1a85ec53) +
      Math.imul(lo, 0xc4ceb9fe)) >>>
    0;
  nlo = Math.imul(lo, 0x1a85ec53) >>> 0;
  // k ^= k >> 33
  words[offset] = nlo ^ (nhi >>> 1);
  words[offset + 1] = nhi;
}
