import { CodecError } from '@syncwire/bytes';
import { T2_H, T2_J, T2_KPRIME, T2_S, T2_W } from './tables.generated.ts';

/** Largest K' of RFC 6330 Table 2: the most source symbols a block can have. */
export const K_MAX = 56403;

/**
 * Everything RFC 6330 §5.3.3.3 derives from one Table 2 row. Column layout of the intermediate symbols:
 * [0, B) LT only, [B, W) LDPC, [W, L−H) PI not HDPC, [L−H, L) HDPC.
 */
export interface SystematicParams {
  /** K': the padded number of source symbols. */
  readonly Kp: number;
  /** J(K'), the systematic index. */
  readonly J: number;
  /** Number of LDPC symbols. */
  readonly S: number;
  /** Number of HDPC symbols. */
  readonly H: number;
  /** Number of LT symbols. */
  readonly W: number;
  /** Number of intermediate symbols, K' + S + H. */
  readonly L: number;
  /** Number of permanently inactivated symbols, L − W. */
  readonly P: number;
  /** Smallest prime ≥ P. */
  readonly P1: number;
  /** W − S. */
  readonly B: number;
  /** P − H. */
  readonly U: number;
  /** Tuple constant A = 53591 + 997·J, made odd. */
  readonly tupleA: number;
  /** Tuple constant B = 10267·(J + 1). */
  readonly tupleB: number;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let f = 2; f * f <= n; f++) if (n % f === 0) return false;
  return true;
}

const CACHE = new Map<number, SystematicParams>();
const BY_K = new Map<number, SystematicParams>();

/** Index of the smallest Table 2 K' ≥ k, or −1 when k > K_MAX. */
function rowFor(k: number): number {
  let lo = 0;
  let hi = T2_KPRIME.length - 1;
  if (k > T2_KPRIME[hi]!) return -1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (T2_KPRIME[mid]! >= k) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** K' for a block of `k` source symbols (RFC 6330 §5.3.1): the smallest Table 2 value ≥ k. */
export function kPrimeFor(k: number): number {
  if (!Number.isInteger(k) || k < 1 || k > K_MAX) {
    throw new RangeError(`raptorq.kPrimeFor: k expected an integer in [1, ${K_MAX}], got ${k}`);
  }
  return T2_KPRIME[rowFor(k)]!;
}

/** The largest Table 2 K' ≤ k, or 0 when k < 10. */
export function kPrimeAtMost(k: number): number {
  if (k < T2_KPRIME[0]!) return 0;
  const r = rowFor(k);
  if (r < 0) return K_MAX;
  return T2_KPRIME[r] === k ? k : T2_KPRIME[r - 1]!;
}

/** Parameters for a block of `k` source symbols (cached per K'). */
export function systematicParams(k: number): SystematicParams {
  let p = BY_K.get(k);
  if (p) return p;
  const Kp = kPrimeFor(k);
  p = CACHE.get(Kp);
  if (p) {
    BY_K.set(k, p);
    return p;
  }
  const r = rowFor(Kp);
  const J = T2_J[r]!;
  const S = T2_S[r]!;
  const H = T2_H[r]!;
  const W = T2_W[r]!;
  const L = Kp + S + H;
  const P = L - W;
  let P1 = P;
  while (!isPrime(P1)) P1++;
  let A = 53591 + J * 997;
  if (A % 2 === 0) A++;
  p = { Kp, J, S, H, W, L, P, P1, B: W - S, U: P - H, tupleA: A, tupleB: 10267 * (J + 1) };
  CACHE.set(Kp, p);
  BY_K.set(k, p);
  return p;
}

/** Throws CodecError when a block of `k` symbols is outside RFC 6330's range (used on decoded OTIs). */
export function checkBlockSize(k: number, offset: number): void {
  if (k > K_MAX)
    throw new CodecError('out_of_range', `raptorq: ${k} source symbols per block exceeds ${K_MAX}`, offset);
}
