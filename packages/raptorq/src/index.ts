/**
 * RFC 6330 RaptorQ: a systematic fountain code. Any K (plus one or two) encoding symbols of a source block
 * rebuild it, whichever ones arrive.
 *
 * @example
 * ```ts
 * import { Decoder, Encoder } from '@syncwire/raptorq';
 * const data = new Uint8Array(100_000).map((_, i) => i);
 * const enc = Encoder.withDefaults(data, 1280); // send enc.oti (otiCodec, 12 bytes) to the receiver
 * const packets = enc.packets(10); // source packets + 10 repair packets per block
 * const dec = new Decoder(enc.oti);
 * for (const p of packets.slice(5)) if (dec.add(p)) break; // the first 5 were lost
 * dec.result(); // equals data
 * ```
 * @module
 */
export { clearPlanCache } from './block-encoder.ts';
export type { Compat } from './compat.ts';
export { constraintMatrix, intermediateSymbols } from './constraint-matrix.ts';
export {
  DEFAULT_MAX_OVERHEAD,
  DEFAULT_MAX_TRANSFER_LENGTH,
  Decoder,
  type DecoderOptions,
  decode,
} from './decoder.ts';
export { type DeriveOptions, deriveOti, withDefaults } from './derive.ts';
export { Encoder, type EncoderOptions, encode } from './encoder.ts';
export { type ObjectLayout, objectLayout, partition } from './layout.ts';
export { MAX_TRANSFER_LENGTH, type Oti, otiCodec } from './oti.ts';
export { MAX_ESI, type PayloadId, payloadIdCodec } from './payload-id.ts';
export { deg, rand, tuple } from './rand.ts';
export { SourceBlockEncoder } from './source-block-encoder.ts';
export { decodeStream, type EncodeStreamOptions, encodeStream } from './stream.ts';
export { K_MAX, kPrimeFor, type SystematicParams, systematicParams } from './systematic.ts';
