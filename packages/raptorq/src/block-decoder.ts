import { IntermediateSymbols, strideOf } from './block-encoder.ts';
import { buildPlan, executePlan } from './solver.ts';
import { type SystematicParams, systematicParams } from './systematic.ts';

/**
 * Collects the encoding symbols of one source block and recovers its K source symbols (RFC 6330 §5.4) as soon
 * as the received set determines them: at K distinct symbols, and again at every later one if that failed.
 */
export class BlockDecoder {
  readonly k: number;
  readonly t: number;
  readonly stride: number;
  readonly p: SystematicParams;
  /** Source symbols by ESI at `src[esi·stride ..)`; complete once {@link done}. */
  readonly src: Uint8Array;
  readonly #have: Uint8Array;
  #nSrc = 0;
  #rep: Uint8Array;
  #repIsi: Int32Array;
  #nRep = 0;
  readonly #repSeen = new Set<number>();
  readonly #maxSymbols: number;
  #done = false;
  /** Decoding attempts that found the received set insufficient. */
  failures = 0;

  /**
   * A block of `k` symbols of `t` bytes; at most `k + maxOverhead` distinct symbols are kept. `into`, when
   * given, is where the source symbols go (k·stride bytes, e.g. the block's place in the object).
   */
  constructor(k: number, t: number, maxOverhead: number, into?: Uint8Array) {
    this.k = k;
    this.t = t;
    this.stride = strideOf(t);
    this.p = systematicParams(k);
    this.src = into ?? new Uint8Array(k * this.stride);
    this.#have = new Uint8Array(k);
    const cap = Math.min(Math.max(16, k >>> 4), k + maxOverhead);
    this.#rep = new Uint8Array(cap * this.stride);
    this.#repIsi = new Int32Array(cap);
    this.#maxSymbols = k + maxOverhead;
  }

  /** True once all K source symbols are known. */
  get done(): boolean {
    return this.#done;
  }

  /** Distinct symbols received so far. */
  get received(): number {
    return this.#nSrc + this.#nRep;
  }

  /**
   * Adds the symbol with internal id `isi` (ESI for source symbols, K' + (ESI − K) for repair) from
   * `bytes[off..off+len)` (len ≤ T; a shorter final source symbol is zero-extended). Returns false when
   * the symbol was a duplicate or the block was already done, and -1 when the symbol limit was hit.
   */
  add(isi: number, bytes: Uint8Array, off: number, len: number): boolean | -1 {
    if (this.#done) return false;
    if (isi < this.k) {
      if (this.#have[isi]) return false;
      if (this.received >= this.#maxSymbols) return -1;
      this.#have[isi] = 1;
      this.#nSrc++;
      this.src.set(bytes.subarray(off, off + len), isi * this.stride);
      if (this.#nSrc === this.k) {
        this.#finish();
        return true;
      }
    } else {
      if (this.#repSeen.has(isi)) return false;
      if (this.received >= this.#maxSymbols) return -1;
      this.#repSeen.add(isi);
      if (this.#nRep === this.#repIsi.length) this.#grow();
      this.#repIsi[this.#nRep] = isi;
      this.#rep.set(bytes.subarray(off, off + len), this.#nRep * this.stride);
      this.#nRep++;
    }
    if (this.received >= this.k && this.#tryDecode()) {
      this.#finish();
      return true;
    }
    return true;
  }

  #grow(): void {
    const cap = Math.min(this.#repIsi.length * 2, this.#maxSymbols);
    const rep = new Uint8Array(cap * this.stride);
    rep.set(this.#rep);
    const isi = new Int32Array(cap);
    isi.set(this.#repIsi);
    this.#rep = rep;
    this.#repIsi = isi;
  }

  #finish(): void {
    this.#done = true;
    this.#rep = new Uint8Array(0);
    this.#repIsi = new Int32Array(0);
    this.#repSeen.clear();
  }

  #tryDecode(): boolean {
    const { k, p, stride } = this;
    const nPad = p.Kp - k;
    const n = this.#nSrc + this.#nRep + nPad;
    const isis = new Int32Array(n);
    const rowSlot = new Int32Array(n);
    let x = 0;
    for (let e = 0; e < k; e++) {
      if (this.#have[e]) {
        isis[x] = e;
        rowSlot[x++] = e;
      }
    }
    const nRep = this.#nRep;
    for (let j = 0; j < nRep; j++) {
      isis[x] = this.#repIsi[j]!;
      rowSlot[x++] = k + j;
    }
    for (let e = k; e < p.Kp; e++) {
      isis[x] = e;
      rowSlot[x++] = -1;
    }
    const plan = buildPlan(p, isis);
    if (!plan) {
      this.failures++;
      return false;
    }
    const src = this.src;
    const rep = this.#rep;
    const ws = executePlan(
      plan,
      stride,
      {
        slots: k + nRep,
        rowSlot,
        fill: (buf, base) => {
          buf.set(src, base); // slots 0..K−1: source symbols by ESI (missing ones unused)
          buf.set(rep.subarray(0, nRep * stride), base + k * stride);
        },
      },
      false, // C is used right away, from the kernels' memory
    );
    const inter = new IntermediateSymbols(k, this.t, ws, p);
    for (let e = 0; e < k; e++) if (!this.#have[e]) inter.symbolInto(e, src, e * stride);
    return true;
  }
}
