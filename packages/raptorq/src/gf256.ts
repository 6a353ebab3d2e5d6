/**
 * GF(256) arithmetic of RFC 6330 §5.7 (polynomial x⁸+x⁴+x³+x²+1, generator α = 2) for the matrix side of the
 * solver; the symbol kernels are in kernels.ts.
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
