// Bit helpers over safe integers (< 2^53): JavaScript's bitwise operators truncate to 32 bits, and tree
// sizes handed to a verifier may be larger than that.

const TWO32 = 0x100000000;

/** Number of bits needed to write `x` (0 for 0). */
export function bitLength(x: number): number {
  if (x < TWO32) return 32 - Math.clz32(x);
  return 64 - Math.clz32(Math.floor(x / TWO32));
}

/** `a XOR b` for safe non-negative integers. */
export function xor(a: number, b: number): number {
  const hi = (Math.floor(a / TWO32) ^ Math.floor(b / TWO32)) >>> 0;
  const lo = ((a >>> 0) ^ (b >>> 0)) >>> 0;
  return hi * TWO32 + lo;
}

function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Number of set bits of a safe non-negative integer. */
export function popcount(x: number): number {
  return popcount32(x >>> 0) + popcount32(Math.floor(x / TWO32) >>> 0);
}

/** `x >> n` for safe non-negative integers. */
export function shr(x: number, n: number): number {
  return Math.floor(x / 2 ** n);
}

/** Bit `i` of `x` (0 or 1). */
export function bit(x: number, i: number): number {
  return Math.floor(x / 2 ** i) % 2;
}

/** Number of trailing zero bits of a positive safe integer. */
export function trailingZeros(x: number): number {
  let n = 0;
  while (x % 2 === 0) {
    x /= 2;
    n++;
  }
  return n;
}

/** ceil(log2(x)) for x ≥ 1: the height of a left-full tree with x leaves. */
export function ceilLog2(x: number): number {
  return bitLength(x - 1);
}

/** Largest power of two strictly less than `x`, for x ≥ 2 (RFC 9162 §2.1.1's k). */
export function splitPoint(x: number): number {
  return 2 ** (bitLength(x - 1) - 1);
}
