import { encIndicesInto } from './rand.ts';
import { buildPlan, executePlan, type Plan, type RowSource } from './solver.ts';
import { type SystematicParams, systematicParams } from './systematic.ts';

const PLANS = new Map<number, Plan>();
/** Most encoding plans kept (least recently used dropped first); a plan is a few bytes per nonzero of A. */
export const PLAN_CACHE_SIZE = 8;

/**
 * The encoding plan for K' (RFC 6330 §5.3.3.4: the L×L system with ISIs 0..K'−1), built once per K' and
 * reused by every block of that size in the process (the last {@link PLAN_CACHE_SIZE} K' values).
 */
export function encodingPlan(p: SystematicParams): Plan {
  const hit = PLANS.get(p.Kp);
  if (hit) {
    PLANS.delete(p.Kp); // re-insert: Map order is the recency order
    PLANS.set(p.Kp, hit);
    return hit;
  }
  const isis = new Int32Array(p.Kp);
  for (let x = 0; x < p.Kp; x++) isis[x] = x;
  const built = buildPlan(p, isis);
  // RFC 6330 §5.6: Table 2's systematic indices make the encoding matrix invertible for every K'.
  if (!built) throw new Error(`raptorq: encoding matrix for K'=${p.Kp} is singular (table corrupted?)`);
  if (PLANS.size >= PLAN_CACHE_SIZE) PLANS.delete(PLANS.keys().next().value!);
  PLANS.set(p.Kp, built);
  return built;
}

/** Drops every cached encoding plan (memory, or cold-start measurements). */
export function clearPlanCache(): void {
  PLANS.clear();
}

const SLOTS = new Map<number, Int32Array>();

/** Encoder rows: LT row n (ISI n) reads source slot n, padding ISIs K..K'−1 read zeros. */
function sourceSlots(kp: number, k: number): Int32Array {
  const key = kp * 65536 + k;
  let s = SLOTS.get(key);
  if (!s) {
    s = new Int32Array(kp).fill(-1);
    for (let n = 0; n < k; n++) s[n] = n;
    if (SLOTS.size > 64) SLOTS.clear();
    SLOTS.set(key, s);
  }
  return s;
}

/** Symbol bytes rounded up to whole 16-byte SIMD lanes (the bytes past T are scratch). */
export function strideOf(t: number): number {
  return (t + 15) & ~15;
}

/**
 * The intermediate symbols of one source block, from which any encoding symbol is a sparse XOR
 * (RFC 6330 §5.3.5.3). `fetch(esi, ws, off)` writes source symbol `esi < K` (T bytes, zero-padded to the stride).
 */
export class IntermediateSymbols {
  readonly p: SystematicParams;
  readonly k: number;
  readonly t: number;
  readonly stride: number;
  /** C[j] at `ws[j·stride ..)`. */
  readonly ws: Uint8Array;
  readonly #w32: Int32Array;
  readonly #idx = new Int32Array(40);
  readonly #tup = new Int32Array(6);
  readonly #acc: Int32Array;
  readonly #acc8: Uint8Array;

  constructor(k: number, t: number, ws: Uint8Array, p: SystematicParams = systematicParams(k)) {
    this.p = p;
    this.k = k;
    this.t = t;
    this.stride = strideOf(t);
    this.ws = ws;
    this.#w32 = new Int32Array(ws.buffer, ws.byteOffset, ws.byteLength >>> 2);
    this.#acc = new Int32Array(this.stride >>> 2);
    this.#acc8 = new Uint8Array(this.#acc.buffer);
  }

  /**
   * Solves a source block. `fill(buf, base, stride)` writes source symbol ESI n < K at `buf[base + n·stride ..)`
   * (T bytes; the rest of each slot may hold anything).
   */
  static encode(k: number, t: number, fill: RowSource['fill']): IntermediateSymbols {
    const p = systematicParams(k);
    const plan = encodingPlan(p);
    const stride = strideOf(t);
    const ws = executePlan(plan, stride, { slots: k, rowSlot: sourceSlots(p.Kp, k), fill });
    return new IntermediateSymbols(k, t, ws, p);
  }

  /** Writes the encoding symbol of internal symbol id `isi` (T bytes) into `out` at `offset`. */
  symbolInto(isi: number, out: Uint8Array, offset: number): void {
    const n = encIndicesInto(this.p, isi, this.#idx, 0, this.#tup);
    const sw = this.stride >>> 2;
    const w = this.#w32;
    const acc = this.#acc;
    const idx = this.#idx;
    const first = idx[0]! * sw;
    for (let k = 0; k < sw; k++) acc[k] = w[first + k]!;
    for (let j = 1; j < n; j++) {
      const s = idx[j]! * sw;
      for (let k = 0; k < sw; k++) acc[k]! ^= w[s + k]!;
    }
    out.set(this.t === this.stride ? this.#acc8 : this.#acc8.subarray(0, this.t), offset);
  }
}
