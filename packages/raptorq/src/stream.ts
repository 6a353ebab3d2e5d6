import { assertInteger, CodecError } from '@syncwire/bytes';
import { assertCompat } from './compat.ts';
import { Decoder, type DecoderOptions } from './decoder.ts';
import type { EncoderOptions } from './encoder.ts';
import { objectLayout } from './layout.ts';
import type { Oti } from './oti.ts';
import { SourceBlockEncoder } from './source-block-encoder.ts';

/** Options of {@link encodeStream}. */
export interface EncodeStreamOptions extends EncoderOptions {
  /** Repair packets per source block (ESIs K, K+1, …). Default 0. */
  repairPerBlock?: number;
}

/**
 * Encodes an object arriving as chunks into packets, one source block at a time: each block's source packets
 * then its repair packets are yielded as soon as the block's bytes are in, so memory is one block. The chunks
 * must add up to `oti.transferLength` bytes (RangeError otherwise); how they are split does not matter.
 */
export async function* encodeStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  oti: Oti,
  options: EncodeStreamOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const layout = objectLayout(oti);
  const compat = options.compat ?? 'rfc6330';
  assertCompat('raptorq.encodeStream', compat);
  const repair = options.repairPerBlock ?? 0;
  assertInteger('raptorq.encodeStream', 'repairPerBlock', repair, 0, 0xffffff);
  const F = oti.transferLength;
  const T = oti.symbolSize;
  let sbn = 0;
  let blockLen = Math.min(F, layout.blockK(0) * T);
  let block = new Uint8Array(blockLen);
  let fill = 0;
  let total = 0;
  for await (const chunk of chunks) {
    if (!(chunk instanceof Uint8Array))
      throw new TypeError('raptorq.encodeStream: chunks expected Uint8Arrays');
    total += chunk.length;
    if (total > F) throw new RangeError(`raptorq.encodeStream: input exceeds transferLength ${F}`);
    let at = 0;
    while (at < chunk.length) {
      const n = Math.min(chunk.length - at, blockLen - fill);
      block.set(chunk.subarray(at, at + n), fill);
      fill += n;
      at += n;
      if (fill === blockLen) {
        const enc = new SourceBlockEncoder(sbn, block, layout.blockK(sbn), layout.subSizes, compat);
        for (let esi = 0; esi < enc.k + repair; esi++) yield enc.packet(esi);
        sbn++;
        if (sbn < oti.sourceBlocks) {
          blockLen = Math.min(F - layout.blockOffset(sbn), layout.blockK(sbn) * T);
          block = new Uint8Array(blockLen);
          fill = 0;
        }
      }
    }
  }
  if (total !== F)
    throw new RangeError(`raptorq.encodeStream: input has ${total} bytes, transferLength is ${F}`);
}

/**
 * Decodes packets into the object, yielding its bytes in order: each run of consecutive recovered source
 * blocks as soon as it is complete. Throws CodecError('unexpected_eof') when the packets end first, and what
 * {@link Decoder.add} throws.
 */
export async function* decodeStream(
  packets: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  oti: Oti,
  options: DecoderOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const d = new Decoder(oti, options);
  let next = 0;
  for await (const p of packets) {
    d.add(p);
    while (next < oti.sourceBlocks && d.blockDone(next)) yield d.blockBytes(next++)!;
    if (next === oti.sourceBlocks) return;
  }
  throw new CodecError(
    'unexpected_eof',
    `raptorq.decodeStream: packets ended with ${oti.sourceBlocks - next} block(s) missing`,
  );
}
