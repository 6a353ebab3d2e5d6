/**
 * Arithmetic in GF(2^8) with the reducing polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D) and generator 2 —
 * the field of klauspost/reedsolomon, Backblaze JavaReedSolomon and the `reed-solomon-erasure` crate.
 */

/** The reducing polynomial. */
export const GF_POLYNOMIAL = 0x11d;

/** EXP[i] = 2^i for i in [0, 510): doubled so `EXP[LOG[a] + LOG[b]]` needs no modulo. */
const EXP = new Uint8Array(510);
/** LOG[a] = i with 2^i = a, for a ≠ 0 (LOG[0] is unused). */
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    EXP[i + 255] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= GF_POLYNOMIAL;
  }
}

/** a · b in GF(2^8). */
export function gfMul(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXP[(LOG[a] as number) + (LOG[b] as number)] as number;
}

/** a / b in GF(2^8); b must be non-zero. */
export function gfDiv(a: number, b: number): number {
  if (b === 0) throw new RangeError('gf256: division by zero');
  if (a === 0) return 0;
  return EXP[(LOG[a] as number) + 255 - (LOG[b] as number)] as number;
}

/** a^n in GF(2^8), with 0^0 = 1 as the Vandermonde construction requires. */
export function gfPow(a: number, n: number): number {
  if (n === 0) return 1;
  if (a === 0) return 0;
  return EXP[((LOG[a] as number) * n) % 255] as number;
}

let mulTable: Uint8Array | undefined;

/**
 * The full 256×256 product table, row `c` at `c << 8` (64 KiB, built on first use): the table kernel's
 * inner loop is then one load per byte.
 */
export function mulTableFull(): Uint8Array {
  if (mulTable === undefined) {
    const t = new Uint8Array(65536);
    for (let a = 1; a < 256; a++) {
      for (let b = 1; b < 256; b++) t[(a << 8) | b] = gfMul(a, b);
    }
    mulTable = t;
  }
  return mulTable;
}

let nibbleTable: Uint8Array | undefined;

/**
 * Split-nibble tables, 32 bytes per coefficient `c` at `c * 32`: bytes 0..15 are c·i and 16..31 are c·(i << 4),
 * so c·x = lo[x & 15] ^ hi[x >> 4] — the form a 16-lane byte shuffle can evaluate.
 */
export function nibbleTables(): Uint8Array {
  if (nibbleTable === undefined) {
    const t = new Uint8Array(256 * 32);
    for (let c = 0; c < 256; c++) {
      for (let i = 0; i < 16; i++) {
        t[c * 32 + i] = gfMul(c, i);
        t[c * 32 + 16 + i] = gfMul(c, i << 4);
      }
    }
    nibbleTable = t;
  }
  return nibbleTable;
}
