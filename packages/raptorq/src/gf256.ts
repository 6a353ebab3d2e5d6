/**
 * GF(256) arithmetic of RFC 6330 §5.7 (polynomial x⁸+x⁴+x³+x²+1, generator α = 2) and the symbol kernels the
 * solver runs on. Symbols live in one Uint8Array with an Int32Array view over the same buffer; every symbol
 * starts at a multiple of 4 bytes and its length (the stride) is a multiple of 4, so plain XOR runs on 32-bit words.
 */

/** `OCT_EXP[i] = α^i` for 0 ≤ i < 510 (the second half repeats the first, so log sums need no reduction). */
export const OCT_EXP: Uint8Array = new Uint8Array(510);
/** `OCT_LOG[x]` = discrete log of x for 1 ≤ x ≤ 255; index 0 is unused. */
export const OCT_LOG: Uint8Array = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    OCT_EXP[i] = x;
    OCT_LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 510; i++) OCT_EXP[i] = OCT_EXP[i - 255]!;
}

/** Product of two octets. */
export function gfMul(u: number, v: number): number {
  if (u === 0 || v === 0) return 0;
  return OCT_EXP[OCT_LOG[u]! + OCT_LOG[v]!]!;
}

/** Inverse of a non-zero octet. */
export function gfInv(u: number): number {
  return OCT_EXP[255 - OCT_LOG[u]!]!;
}

/** α^e for any e ≥ 0 (α has order 255). */
export function alphaPow(e: number): number {
  return OCT_EXP[e % 255]!;
}

/** `dst[d..d+n) ^= src[s..s+n)` in 32-bit words; offsets and n are in words. */
export function xorWords(dst: Int32Array, d: number, src: Int32Array, s: number, n: number): void {
  for (let i = 0; i < n; i++) dst[d + i]! ^= src[s + i]!;
}

// One 256-entry product row per multiplier, built on first use: β·symbol is then one lookup per byte.
const MUL_ROWS: (Uint8Array | undefined)[] = new Array(256);

/** The table `x ↦ β·x`. */
export function mulRow(beta: number): Uint8Array {
  let row = MUL_ROWS[beta];
  if (row === undefined) {
    row = new Uint8Array(256);
    for (let x = 1; x < 256; x++) row[x] = gfMul(beta, x);
    MUL_ROWS[beta] = row;
  }
  return row;
}

/** `dst[d..d+n) ^= β·src[s..s+n)` (byte offsets). */
export function fmaBytes(
  dst: Uint8Array,
  d: number,
  src: Uint8Array,
  s: number,
  n: number,
  beta: number,
): void {
  if (beta === 1) {
    for (let i = 0; i < n; i++) dst[d + i]! ^= src[s + i]!;
    return;
  }
  const row = mulRow(beta);
  for (let i = 0; i < n; i++) dst[d + i]! ^= row[src[s + i]!]!;
}

/** `buf[o..o+n) = β·buf[o..o+n)` (byte offsets). */
export function scaleBytes(buf: Uint8Array, o: number, n: number, beta: number): void {
  if (beta === 1) return;
  const row = mulRow(beta);
  for (let i = 0; i < n; i++) buf[o + i] = row[buf[o + i]!]!;
}

/**
 * `y = α·y ⊕ x` on n words, byte-wise in GF(256) but four bytes per step: doubling each byte is a shift of
 * its low seven bits, and the bytes whose top bit fell off get the reduction 0x1d.
 */
export function mulAlphaXorWords(y: Int32Array, yo: number, x: Int32Array, xo: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const w = y[yo + i]!;
    y[yo + i] = (((w & 0x7f7f7f7f) << 1) ^ (((w >>> 7) & 0x01010101) * 0x1d) ^ x[xo + i]!) | 0;
  }
}
