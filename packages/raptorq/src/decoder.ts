import { assertBytes, assertInteger, CodecError } from '@syncwire/bytes';
import { BlockDecoder } from './block-decoder.ts';
import { assertCompat, type Compat } from './compat.ts';
import { type ObjectLayout, objectLayout, scatterSymbol } from './layout.ts';
import { assertOti, MAX_TRANSFER_LENGTH, type Oti } from './oti.ts';
import { MAX_ESI } from './payload-id.ts';
import { systematicParams } from './systematic.ts';

/** Default {@link DecoderOptions.maxTransferLength}: 64 MiB. */
export const DEFAULT_MAX_TRANSFER_LENGTH = 64 * 1024 * 1024;
/** Default {@link DecoderOptions.maxOverhead}. */
export const DEFAULT_MAX_OVERHEAD = 64;

/** Options of {@link Decoder}. */
export interface DecoderOptions {
  /** Repair-packet labelling the sender used; default `'rfc6330'`. See {@link Compat}. */
  compat?: Compat;
  /** Largest object accepted (the OTI's F); larger throws `CodecError('limit_exceeded')`. Default 64 MiB. */
  maxTransferLength?: number;
  /**
   * Distinct symbols kept per block beyond K while it is undecodable (each extra symbol makes failure about
   * 256× less likely, so honest senders never need many). Past it `add` throws `limit_exceeded`. Default 64.
   */
  maxOverhead?: number;
}

/**
 * Incremental RFC 6330 decoder for one object. Feed packets (`SBN ‖ ESI ‖ symbol(s)`) in any order with
 * {@link Decoder.add}; each source block is solved as soon as it has enough symbols. Memory is the object
 * (F ≤ maxTransferLength) plus, per unfinished block, at most K + maxOverhead symbols.
 * Verify the result with a hash: a corrupted or mislabelled packet silently corrupts its block (RFC 6330 §6).
 */
export class Decoder {
  /** The transmission parameters in use. */
  readonly oti: Oti;
  readonly #layout: ObjectLayout;
  readonly #compat: Compat;
  readonly #maxOverhead: number;
  readonly #blocks: (BlockDecoder | undefined)[];
  readonly #blockDone: Uint8Array;
  #pending: number;
  #object: Uint8Array | undefined;

  /**
   * Throws RangeError/TypeError for a bad `oti` or options, and `CodecError('limit_exceeded')` when the OTI's
   * transfer length exceeds `maxTransferLength` (so an OTI read off the wire can be passed straight in).
   */
  constructor(oti: Oti, options: DecoderOptions = {}) {
    assertOti('raptorq.Decoder', oti);
    const compat = options.compat ?? 'rfc6330';
    assertCompat('raptorq.Decoder', compat);
    const maxF = options.maxTransferLength ?? DEFAULT_MAX_TRANSFER_LENGTH;
    assertInteger('raptorq.Decoder', 'maxTransferLength', maxF, 1, MAX_TRANSFER_LENGTH);
    const maxOverhead = options.maxOverhead ?? DEFAULT_MAX_OVERHEAD;
    assertInteger('raptorq.Decoder', 'maxOverhead', maxOverhead, 0, 1 << 20);
    if (oti.transferLength > maxF) {
      throw new CodecError(
        'limit_exceeded',
        `raptorq.Decoder: transfer length ${oti.transferLength} exceeds maxTransferLength ${maxF}`,
      );
    }
    this.oti = { ...oti };
    this.#layout = objectLayout(oti);
    this.#compat = compat;
    this.#maxOverhead = maxOverhead;
    this.#blocks = new Array(oti.sourceBlocks);
    this.#blockDone = new Uint8Array(oti.sourceBlocks);
    this.#pending = oti.sourceBlocks;
  }

  /** True once every source block is recovered. */
  get done(): boolean {
    return this.#pending === 0;
  }

  /** True once source block `sbn` is recovered. */
  blockDone(sbn: number): boolean {
    return this.#blockDone[sbn] === 1;
  }

  /**
   * Adds one packet and returns {@link Decoder.done}. Duplicates and packets of finished blocks are ignored.
   * Throws CodecError: `unexpected_eof` (under 5 bytes), `out_of_range` (SBN ≥ Z, an ESI past 2^24−1, or in
   * `raptorq-1.x` mode a repair label below K'), `invalid_value` (payload not a whole number of T-byte
   * symbols, except a final source symbol cut after its data), `limit_exceeded` (more than K + maxOverhead
   * symbols for a block that still does not decode).
   */
  add(packet: Uint8Array): boolean {
    assertBytes('raptorq.Decoder.add', 'packet', packet);
    if (packet.length < 5) {
      throw new CodecError('unexpected_eof', `raptorq: packet of ${packet.length} bytes has no symbol`, 0);
    }
    const { symbolSize: T, sourceBlocks: Z } = this.oti;
    const sbn = packet[0]!;
    if (sbn >= Z) throw new CodecError('out_of_range', `raptorq: SBN ${sbn} ≥ Z = ${Z}`, 0);
    const label = (packet[1]! << 16) | (packet[2]! << 8) | packet[3]!;
    const len = packet.length - 4;
    const k = this.#layout.blockK(sbn);
    let g = Math.floor(len / T);
    const rem = len - g * T;
    if (rem !== 0) {
      // RFC 6330 §4.4.2 lets the padding octets of the object's very last symbol stay unsent.
      const lastData = this.oti.transferLength - (this.#layout.kt - 1) * T;
      const isLast = sbn === Z - 1 && this.oti.subBlocks === 1 && label + g === k - 1 && rem >= lastData;
      if (!isLast) {
        throw new CodecError(
          'invalid_value',
          `raptorq: payload of ${len} bytes is not a multiple of T = ${T}`,
          4,
        );
      }
      g++;
    }
    if (label + g - 1 > MAX_ESI) {
      throw new CodecError('out_of_range', `raptorq: ESI ${label + g - 1} exceeds 2^24−1`, 1);
    }
    if (this.#blockDone[sbn]) return this.done;
    const kp = systematicParams(k).Kp;
    let block = this.#blocks[sbn];
    for (let j = 0; j < g; j++) {
      const esi = label + j;
      let isi: number;
      if (esi < k) isi = esi;
      else if (this.#compat === 'rfc6330') isi = esi + kp - k;
      else if (esi < kp) {
        throw new CodecError(
          'out_of_range',
          `raptorq: repair label ${esi} is below K' = ${kp} (raptorq-1.x mode)`,
          1,
        );
      } else isi = esi;
      if (!block) {
        block = this.#newBlock(sbn, k);
        this.#blocks[sbn] = block;
      }
      const off = 4 + j * T;
      const r = block.add(isi, packet, off, Math.min(T, len - j * T));
      if (r === -1) {
        throw new CodecError(
          'limit_exceeded',
          `raptorq: block ${sbn} still undecodable after K + maxOverhead symbols`,
          0,
        );
      }
      if (block.done) {
        this.#complete(sbn, block);
        break;
      }
    }
    return this.done;
  }

  #objectBuffer(): Uint8Array {
    if (!this.#object) this.#object = new Uint8Array(this.oti.transferLength);
    return this.#object;
  }

  #newBlock(sbn: number, k: number): BlockDecoder {
    const T = this.oti.symbolSize;
    const start = this.#layout.blockOffset(sbn);
    // With one sub-block and 16-byte symbols, a whole block is its symbols end to end: receive in place.
    if (this.oti.subBlocks === 1 && T % 16 === 0 && start + k * T <= this.oti.transferLength) {
      return new BlockDecoder(k, T, this.#maxOverhead, this.#objectBuffer().subarray(start, start + k * T));
    }
    return new BlockDecoder(k, T, this.#maxOverhead);
  }

  #complete(sbn: number, block: BlockDecoder): void {
    const L = this.#layout;
    const object = this.#objectBuffer();
    const start = L.blockOffset(sbn);
    const end = Math.min(this.oti.transferLength, start + block.k * this.oti.symbolSize);
    const dst = object.subarray(start, end);
    const { src, stride, k } = block;
    if (src.buffer === object.buffer) {
      // received in place
    } else if (L.subSizes.length === 1 && stride === this.oti.symbolSize)
      dst.set(src.subarray(0, dst.length));
    else {
      for (let m = 0; m < k; m++) scatterSymbol(src, m * stride, k, L.subSizes, m, dst);
    }
    this.#blockDone[sbn] = 1;
    this.#blocks[sbn] = undefined;
    this.#pending--;
  }

  /** The bytes of recovered block `sbn` (a view into the object), or undefined while it is not recovered. */
  blockBytes(sbn: number): Uint8Array | undefined {
    assertInteger('raptorq.Decoder.blockBytes', 'sbn', sbn, 0, this.oti.sourceBlocks - 1);
    if (!this.#blockDone[sbn]) return undefined;
    const start = this.#layout.blockOffset(sbn);
    const end = Math.min(this.oti.transferLength, start + this.#layout.blockK(sbn) * this.oti.symbolSize);
    return this.#object!.subarray(start, end);
  }

  /** The recovered object. Throws Error when called before {@link Decoder.done}. */
  result(): Uint8Array {
    if (!this.done) throw new Error('raptorq.Decoder.result: the object is not complete yet');
    return this.#object!;
  }
}

/**
 * One-shot: decodes the object from `packets`. Throws CodecError('unexpected_eof') when they are not enough,
 * and what {@link Decoder.add} throws.
 */
export function decode(oti: Oti, packets: Iterable<Uint8Array>, options: DecoderOptions = {}): Uint8Array {
  const d = new Decoder(oti, options);
  for (const p of packets) if (d.add(p)) return d.result();
  throw new CodecError('unexpected_eof', 'raptorq.decode: not enough packets to recover the object');
}
