import { CodecError } from '@syncwire/bytes';

/**
 * The blob framing shared by {@link splitBlob} and the stripe encoder: the framed stream is
 * `data ‖ zero padding ‖ u64le(data length)`, padded to the smallest multiple of the stripe size (k × shard
 * size) that holds data plus the 8-byte trailer. See rfcs/0004-reed-solomon.md.
 */
export const TRAILER_BYTES = 8;

/** Writes `length` as u64 little-endian at `out[offset..offset+8)`. */
export function writeTrailer(out: Uint8Array, offset: number, length: number): void {
  let lo = length % 0x100000000;
  let hi = Math.floor(length / 0x100000000);
  for (let i = 0; i < 4; i++, lo = Math.floor(lo / 256)) out[offset + i] = lo & 0xff;
  for (let i = 4; i < 8; i++, hi = Math.floor(hi / 256)) out[offset + i] = hi & 0xff;
}

/**
 * Reads the trailer at `bytes[offset..offset+8)`.
 * @throws CodecError `overflow` above 2^53 − 1.
 */
export function readTrailer(bytes: Uint8Array, offset: number): number {
  let lo = 0;
  let hi = 0;
  for (let i = 3; i >= 0; i--) lo = lo * 256 + (bytes[offset + i] as number);
  for (let i = 7; i >= 4; i--) hi = hi * 256 + (bytes[offset + i] as number);
  if (hi > 0x1fffff) throw new CodecError('overflow', 'reed-solomon: blob length above 2^53 - 1', offset);
  return hi * 0x100000000 + lo;
}

/**
 * Checks a decoded trailer against the framed size: the length must leave room for the trailer, the padding
 * must be shorter than `maxPadding` (the framing is minimal, so each blob has one encoding: fewer than k bytes
 * for a blob, fewer than one stripe for a stream) and the length within `maxLength`.
 */
export function checkLength(
  declared: number,
  framed: number,
  maxPadding: number,
  maxLength: number,
  where: string,
): void {
  if (declared > framed - TRAILER_BYTES) {
    throw new CodecError(
      'out_of_range',
      `${where}: declared length ${declared} exceeds the ${framed}-byte frame`,
    );
  }
  const padding = framed - TRAILER_BYTES - declared;
  if (padding >= maxPadding) {
    throw new CodecError(
      'not_minimal',
      `${where}: ${padding} padding bytes, the framing allows fewer than ${maxPadding}`,
    );
  }
  if (declared > maxLength) {
    throw new CodecError(
      'limit_exceeded',
      `${where}: declared length ${declared} above maxLength ${maxLength}`,
    );
  }
}
