/**
 * Strict variable-length integers: unsigned LEB128 (number and bigint), ZigZag, the multiformats profile,
 * QUIC varints (RFC 9000 §16), Lightning BigSize and Bitcoin CompactSize. Every codec is a `Codec` value
 * (`encodingLength`, `encodeInto`, `decode`); decoders allocate nothing but the `{ value, end }` result, and
 * `VarintReader` walks a run of varints with no allocation at all.
 *
 * @example
 * ```ts
 * import { decode, encode, uvarint, quicVarint } from '@syncwire/varint';
 * const bytes = encode(uvarint, 300); // Uint8Array [0xac, 0x02]
 * decode(uvarint, bytes); // 300
 * uvarint.decode(new Uint8Array([0x80, 0x00])); // throws CodecError not_minimal
 * quicVarint.decode(new Uint8Array([0x40, 0x25])); // { value: 37, end: 2 } (non-minimal is valid in QUIC)
 * ```
 * @module
 */
export { type Codec, CodecError, type Decoded, decode, encode, isCodecError } from '@syncwire/bytes';
export {
  multiformatsUvarint,
  multiformatsUvarint64,
  uvarint,
  uvarint64,
  uvarint64Lenient,
  uvarintLenient,
} from './leb128.ts';
export { encodeQuicVarintFixed, quicVarint, quicVarint64, quicVarintLength } from './quic.ts';
export { VarintReader, type VarintReaderOptions } from './reader.ts';
export { bigSize, bigSize64, compactSize, compactSize64 } from './size-prefix.ts';
export { VarintWriter } from './writer.ts';
export { svarint32, svarint64 } from './zigzag.ts';
export { unzigzag32, unzigzag64, zigzag32, zigzag64 } from './zigzag-map.ts';
