import { gfDiv, gfPow, mulTableFull } from './gf256.ts';

/**
 * Dense matrices over GF(2^8), row-major in one `Uint8Array` (`rows × cols`). Sizes here are at most 256×256,
 * so the cubic inversion is a few milliseconds at worst and its results are cached by the caller.
 */

/** V[r][c] = r^c with 0^0 = 1: `rows × cols`. */
export function vandermonde(rows: number, cols: number): Uint8Array {
  const v = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) v[r * cols + c] = gfPow(r, c);
  }
  return v;
}

/** a (`n × inner`) · b (`inner × m`). */
export function matMul(a: Uint8Array, b: Uint8Array, n: number, inner: number, m: number): Uint8Array {
  const t = mulTableFull();
  const out = new Uint8Array(n * m);
  // Row-times-row accumulation: each a[r][i] scales a whole row of b through one 256-byte table row.
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < inner; i++) {
      const f = (a[r * inner + i] as number) << 8;
      if (f === 0) continue;
      const bi = i * m;
      const o = r * m;
      for (let c = 0; c < m; c++)
        out[o + c] = (out[o + c] as number) ^ (t[f | (b[bi + c] as number)] as number);
    }
  }
  return out;
}

/**
 * Inverse of the `n × n` matrix `a` by Gauss-Jordan elimination, or `undefined` when it is singular (which a
 * sub-matrix of the encoding matrix never is: any k rows of it are independent).
 */
export function invert(a: Uint8Array, n: number): Uint8Array | undefined {
  const w = 2 * n;
  const t = mulTableFull();
  // Work on [a | I] so the right half becomes the inverse.
  const m = new Uint8Array(n * w);
  for (let r = 0; r < n; r++) {
    m.set(a.subarray(r * n, r * n + n), r * w);
    m[r * w + n + r] = 1;
  }
  for (let col = 0; col < n; col++) {
    let pivot = col;
    while (pivot < n && m[pivot * w + col] === 0) pivot++;
    if (pivot === n) return undefined;
    if (pivot !== col) {
      const tmp = m.slice(pivot * w, pivot * w + w);
      m.copyWithin(pivot * w, col * w, col * w + w);
      m.set(tmp, col * w);
    }
    const p = m[col * w + col] as number;
    if (p !== 1) {
      for (let c = 0; c < w; c++) m[col * w + c] = gfDiv(m[col * w + c] as number, p);
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = (m[r * w + col] as number) << 8;
      if (f === 0) continue;
      for (let c = 0; c < w; c++)
        m[r * w + c] = (m[r * w + c] as number) ^ (t[f | (m[col * w + c] as number)] as number);
    }
  }
  const inv = new Uint8Array(n * n);
  for (let r = 0; r < n; r++) inv.set(m.subarray(r * w + n, r * w + w), r * n);
  return inv;
}

/**
 * The systematic encoding matrix, `(k + m) × k`: E = V · inverse(top k×k of V) with V the Vandermonde matrix,
 * so the top k rows are the identity and row k + p gives parity shard p. This is klauspost/reedsolomon's
 * default (and Backblaze's) construction; any other choice of matrix gives different parity bytes.
 */
export function encodingMatrix(k: number, m: number): Uint8Array {
  const v = vandermonde(k + m, k);
  const top = invert(v.subarray(0, k * k), k);
  // Rows 0..k-1 of V are distinct evaluation points, so the top square is always invertible.
  if (top === undefined) throw new Error('reed-solomon: internal error, singular Vandermonde top');
  return matMul(v, top, k + m, k, k);
}
