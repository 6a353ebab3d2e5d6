import { assertBytes, assertInteger } from '@syncwire/bytes';
import { assertCompat, type Compat } from './compat.ts';
import { withDefaults } from './derive.ts';
import { type ObjectLayout, objectLayout } from './layout.ts';
import { assertOti, type Oti } from './oti.ts';
import { SourceBlockEncoder } from './source-block-encoder.ts';

/** Options of {@link Encoder} and {@link encode}. */
export interface EncoderOptions {
  /** Repair-packet labelling; default `'rfc6330'`. See {@link Compat}. */
  compat?: Compat;
}

/**
 * RFC 6330 encoder for one object: source packets, and repair packets for any ESI (a fountain: each repair
 * symbol is computed on its own from the block's intermediate symbols, which are solved once per block with a
 * plan cached per K'). Packets are `SBN(1) ‖ ESI(3) ‖ symbol(T)`; send the {@link Oti} alongside.
 */
export class Encoder {
  /** The transmission parameters a receiver needs. */
  readonly oti: Oti;
  readonly #data: Uint8Array;
  readonly #layout: ObjectLayout;
  readonly #compat: Compat;
  readonly #blocks: (SourceBlockEncoder | undefined)[];

  /** Encodes `data` (F = data.length bytes) with `oti`. Throws RangeError when they disagree or oti is invalid. */
  constructor(data: Uint8Array, oti: Oti, options: EncoderOptions = {}) {
    assertBytes('raptorq.Encoder', 'data', data);
    assertOti('raptorq.Encoder', oti);
    if (oti.transferLength !== data.length) {
      throw new RangeError(
        `raptorq.Encoder: oti.transferLength ${oti.transferLength} differs from data.length ${data.length}`,
      );
    }
    const compat = options.compat ?? 'rfc6330';
    assertCompat('raptorq.Encoder', compat);
    this.oti = { ...oti };
    this.#data = data;
    this.#layout = objectLayout(oti);
    this.#compat = compat;
    this.#blocks = new Array(oti.sourceBlocks);
  }

  /** An encoder with the reference's default parameters for `mtu` symbol bytes ({@link withDefaults}). */
  static withDefaults(data: Uint8Array, mtu: number, options: EncoderOptions = {}): Encoder {
    assertBytes('raptorq.Encoder.withDefaults', 'data', data);
    return new Encoder(data, withDefaults(data.length, mtu), options);
  }

  /** The encoder of source block `sbn` (0 ≤ sbn < Z). */
  block(sbn: number): SourceBlockEncoder {
    assertInteger('raptorq.Encoder.block', 'sbn', sbn, 0, this.oti.sourceBlocks - 1);
    let b = this.#blocks[sbn];
    if (!b) {
      const L = this.#layout;
      const k = L.blockK(sbn);
      const start = L.blockOffset(sbn);
      const end = Math.min(this.#data.length, start + k * this.oti.symbolSize);
      b = new SourceBlockEncoder(sbn, this.#data.subarray(start, end), k, L.subSizes, this.#compat);
      this.#blocks[sbn] = b;
    }
    return b;
  }

  /** K (source symbols) of block `sbn`. */
  sourceSymbols(sbn: number): number {
    return this.block(sbn).k;
  }

  /** The packet of ESI `esi` of block `sbn`: a source packet for esi < K, else a repair packet. */
  packet(sbn: number, esi: number): Uint8Array {
    return this.block(sbn).packet(esi);
  }

  /**
   * Repair packet ESI `esi` (K ≤ esi < 2^24) of block `sbn`, computed on its own: the block's intermediate
   * symbols are solved on the first call and kept. RangeError for an ESI below K or past 2^24−1.
   */
  repair(sbn: number, esi: number): Uint8Array {
    const b = this.block(sbn);
    if (!Number.isInteger(esi) || esi < b.k) {
      throw new RangeError(`raptorq.Encoder.repair: esi expected an integer ≥ K = ${b.k}, got ${esi}`);
    }
    return b.packet(esi);
  }

  /** Source packet ESI `esi` (0 ≤ esi < K) of block `sbn`. */
  source(sbn: number, esi: number): Uint8Array {
    const b = this.block(sbn);
    assertInteger('raptorq.Encoder.source', 'esi', esi, 0, b.k - 1);
    return b.packet(esi);
  }

  /**
   * Every source packet and `repairPerBlock` repair packets (ESIs K, K+1, …) of every block, block by block.
   * The packets are views into one buffer.
   */
  packets(repairPerBlock = 0): Uint8Array[] {
    assertInteger('raptorq.Encoder.packets', 'repairPerBlock', repairPerBlock, 0, 0xffffff);
    const size = 4 + this.oti.symbolSize;
    let total = 0;
    for (let sbn = 0; sbn < this.oti.sourceBlocks; sbn++) total += this.#layout.blockK(sbn) + repairPerBlock;
    const buf = new Uint8Array(total * size);
    const out: Uint8Array[] = [];
    let off = 0;
    for (let sbn = 0; sbn < this.oti.sourceBlocks; sbn++) {
      const b = this.block(sbn);
      for (let esi = 0; esi < b.k + repairPerBlock; esi++) {
        b.packetInto(esi, buf, off);
        out.push(buf.subarray(off, off + size));
        off += size;
      }
    }
    return out;
  }
}

/** One-shot: all source packets plus `repairPerBlock` repair packets per block. */
export function encode(
  data: Uint8Array,
  oti: Oti,
  options: EncoderOptions & { repairPerBlock?: number } = {},
): Uint8Array[] {
  return new Encoder(data, oti, options).packets(options.repairPerBlock ?? 0);
}
