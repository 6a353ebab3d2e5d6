/**
 * TLV streams and length-prefixed frames.
 *
 * - TLV streams with strict LEB128 (default) or Lightning BOLT #1 BigSize type/length, strictly increasing
 *   types, the even-is-required / odd-is-optional rule, and limits checked before use; `tlvSchema` maps
 *   record types to typed fields.
 * - Frames: a LEB128 length, the payload, and an optional CRC-32C; `FrameDecoder` takes chunks split
 *   anywhere, with `maxFrameSize` enforced on the declared length before buffering; adapters for async
 *   iterables and Web Streams.
 *
 * @example
 * ```ts
 * import { decodeFrames, encodeFrame, tlvSchema, tu64, utf8 } from '@syncwire/tlv';
 * const hello = tlvSchema({ version: { type: 0, codec: tu64 }, agent: { type: 1, codec: utf8 } });
 * const frame = encodeFrame(hello.encode({ version: 1n, agent: 'syncwire' }), { checksum: true });
 * for await (const payload of decodeFrames([frame], { checksum: true })) console.log(hello.decode(payload));
 * ```
 * @module
 */
export { crc32c, crc32cCombine } from './crc32c.ts';
export { encodeFrame, encodeFrameInto, frameLength } from './frame.ts';
export { FrameDecoder, type FrameDecoderOptions } from './frame-decoder.ts';
export { FRAME_DEFAULTS, type FrameOptions } from './frame-options.ts';
export {
  type ChunkController,
  decodeFrames,
  encodeFrames,
  type FrameTransformer,
  frameDecoderTransformer,
  frameEncoderTransformer,
} from './frame-streams.ts';
export { TLV_DEFAULTS, type TlvFormat, type TlvOptions } from './options.ts';
export { type TlvField, type TlvObject, type TlvSchema, type TlvSchemaOptions, tlvSchema } from './schema.ts';
export { decodeTlvStream, encodeTlvStream, type TlvRecord } from './stream.ts';
export { bytes, fixedBytes, tu16, tu32, tu64, tuple, u8, u16, u32, u64, utf8 } from './value-codecs.ts';
