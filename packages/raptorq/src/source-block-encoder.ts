import { IntermediateSymbols } from './block-encoder.ts';
import type { Compat } from './compat.ts';
import { gatherSymbol } from './layout.ts';
import { MAX_ESI, writePayloadId } from './payload-id.ts';
import { systematicParams } from './systematic.ts';

/**
 * Encodes one source block: its K source symbols and any repair symbol, on demand. The intermediate symbols
 * are computed on the first repair request (source symbols need none).
 */
export class SourceBlockEncoder {
  /** Source block number. */
  readonly sbn: number;
  /** K: source symbols in this block. */
  readonly k: number;
  /** K' of the block. */
  readonly kPrime: number;
  /** T: symbol size. */
  readonly symbolSize: number;
  readonly #block: Uint8Array;
  readonly #subSizes: readonly number[];
  readonly #compat: Compat;
  #inter: IntermediateSymbols | undefined;

  /** `block` is the block's bytes (zero-padded to K·T when shorter; it is read, never copied up front). */
  constructor(sbn: number, block: Uint8Array, k: number, subSizes: readonly number[], compat: Compat) {
    this.sbn = sbn;
    this.k = k;
    this.kPrime = systematicParams(k).Kp;
    let t = 0;
    for (const s of subSizes) t += s;
    this.symbolSize = t;
    this.#block = block;
    this.#subSizes = subSizes;
    this.#compat = compat;
  }

  #intermediate(): IntermediateSymbols {
    if (!this.#inter) {
      const { k } = this;
      const block = this.#block;
      const sub = this.#subSizes;
      const t = this.symbolSize;
      this.#inter = IntermediateSymbols.encode(k, t, (buf, base, stride) => {
        if (sub.length === 1 && stride === t) {
          // The block is already the K symbols end to end: one copy, zero padding after the object's end.
          buf.set(block, base);
          buf.fill(0, base + block.length, base + k * t);
        } else for (let n = 0; n < k; n++) gatherSymbol(block, k, sub, n, buf, base + n * stride);
      });
    }
    return this.#inter;
  }

  /** The wire label of ESI `esi` (differs from the ESI only for repair symbols in `raptorq-1.x` mode). */
  label(esi: number): number {
    return esi >= this.k && this.#compat === 'raptorq-1.x' ? esi + this.kPrime - this.k : esi;
  }

  /** Writes encoding symbol `esi` (source if < K, else repair) into `out[offset..offset+T)`. */
  symbolInto(esi: number, out: Uint8Array, offset: number): void {
    const limit = this.#compat === 'raptorq-1.x' ? MAX_ESI - (this.kPrime - this.k) : MAX_ESI;
    if (!Number.isInteger(esi) || esi < 0 || esi > limit) {
      throw new RangeError(`raptorq.encode: esi expected an integer in [0, ${limit}], got ${esi}`);
    }
    if (esi < this.k) gatherSymbol(this.#block, this.k, this.#subSizes, esi, out, offset);
    else this.#intermediate().symbolInto(esi + this.kPrime - this.k, out, offset);
  }

  /** Writes the packet (payload ID ‖ symbol, 4 + T bytes) of ESI `esi` into `out` at `offset`. */
  packetInto(esi: number, out: Uint8Array, offset: number): void {
    this.symbolInto(esi, out, offset + 4);
    writePayloadId(out, offset, this.sbn, this.label(esi));
  }

  /** A new packet for ESI `esi`. */
  packet(esi: number): Uint8Array {
    const out = new Uint8Array(4 + this.symbolSize);
    this.packetInto(esi, out, 0);
    return out;
  }
}
