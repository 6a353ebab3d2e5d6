import type { SystematicParams } from './systematic.ts';
import { DEG_F as DEG_F_T, V0 as V0_T, V1 as V1_T, V2 as V2_T, V3 as V3_T } from './tables.generated.ts';

// Local bindings: hot loops then read a module constant, not an import binding (which bundlers and test
// transforms can turn into a getter call).
const V0 = V0_T;
const V1 = V1_T;
const V2 = V2_T;
const V3 = V3_T;
const DEG_F = DEG_F_T;

/** RFC 6330 §5.3.5.1 Rand[y, i, m]: a pseudo-random integer in [0, m) from a 32-bit y and 0 ≤ i < 256. */
export function rand(y: number, i: number, m: number): number {
  const x = // `>>> 0` because `^` yields a signed int32 and half the V entries are ≥ 2^31
    (V0[(y + i) & 255]! ^
      V1[((y >>> 8) + i) & 255]! ^
      V2[((y >>> 16) + i) & 255]! ^
      V3[((y >>> 24) + i) & 255]!) >>>
    0;
  return x % m;
}

/** RFC 6330 §5.3.5.2 Deg[v] for 0 ≤ v < 2^20, capped at W − 2. */
export function deg(v: number, w: number): number {
  let d = 1;
  while (v >= DEG_F[d]!) d++;
  return Math.min(d, w - 2);
}

/** The tuple (d, a, b, d1, a1, b1) of RFC 6330 §5.3.5.4, written into `out[0..6)`. */
export function tupleInto(p: SystematicParams, x: number, out: Int32Array | number[]): void {
  // y = (B + X·A) mod 2^32; Math.imul keeps the low 32 bits exactly.
  const y = (p.tupleB + Math.imul(x, p.tupleA)) >>> 0;
  const v = rand(y, 0, 1048576);
  out[0] = deg(v, p.W);
  out[1] = 1 + rand(y, 1, p.W - 1);
  out[2] = rand(y, 2, p.W);
  out[3] = out[0] < 4 ? 2 + rand(x, 3, 2) : 2;
  out[4] = 1 + rand(x, 4, p.P1 - 1);
  out[5] = rand(x, 5, p.P1);
}

/** RFC 6330 §5.3.5.4 Tuple[K', X] as `[d, a, b, d1, a1, b1]`. */
export function tuple(p: SystematicParams, x: number): [number, number, number, number, number, number] {
  const out = [0, 0, 0, 0, 0, 0];
  tupleInto(p, x, out);
  return out as [number, number, number, number, number, number];
}

/**
 * Writes the intermediate-symbol indices that ISI `x` XORs together (RFC 6330 §5.3.5.3 Enc) into `out` from
 * `at` and returns the count. The LT indices are distinct (W prime), and so are the PI ones (P1 prime).
 */
export function encIndicesInto(
  p: SystematicParams,
  x: number,
  out: Int32Array,
  at: number,
  t: Int32Array,
): number {
  tupleInto(p, x, t);
  const d = t[0]!;
  const a = t[1]!;
  let b = t[2]!;
  const d1 = t[3]!;
  const a1 = t[4]!;
  let b1 = t[5]!;
  const { W, P, P1 } = p;
  let n = at;
  out[n++] = b;
  for (let j = 1; j < d; j++) {
    b = (b + a) % W;
    out[n++] = b;
  }
  while (b1 >= P) b1 = (b1 + a1) % P1;
  out[n++] = W + b1;
  for (let j = 1; j < d1; j++) {
    b1 = (b1 + a1) % P1;
    while (b1 >= P) b1 = (b1 + a1) % P1;
    out[n++] = W + b1;
  }
  return n - at;
}
