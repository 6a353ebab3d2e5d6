import { CodecError } from '@syncwire/bytes';
import { crc32c, encodeFrame } from '@syncwire/tlv';
import { uvarint } from '@syncwire/varint';

/** Bytes a frame adds around its payload besides the length varint: the CRC-32C trailer. */
export const FRAME_TRAILER = 4;

/**
 * Wraps a payload as one frame: `uvarint length ‖ payload ‖ CRC-32C(payload) LE32` (RFC 0001 framing with the
 * checksum on).
 */
export function wrapFrame(payload: Uint8Array): Uint8Array {
  return encodeFrame(payload, { checksum: true, maxFrameSize: Number.MAX_SAFE_INTEGER });
}

/**
 * The payload of exactly one frame (a zero-copy view). The declared length is checked against `maxFrame`
 * (the whole frame's size limit) before anything else.
 * @throws CodecError `limit_exceeded` (oversize), `checksum_mismatch`, `unexpected_eof` / `trailing_bytes`
 *   (the bytes are not exactly one frame), and the uvarint errors.
 */
export function unwrapFrame(frame: Uint8Array, maxFrame: number): Uint8Array {
  const { payload, crc, at } = splitFrame(frame, maxFrame);
  if (crc !== crc32c(payload)) throw new CodecError('checksum_mismatch', 'frame CRC-32C mismatch', at);
  return payload;
}

/**
 * @internal The payload of exactly one frame and its CRC trailer, not yet checked: a CHUNK whose data verifies
 * against its leaf record needs no CRC (the SHA-256 is stronger), so the session checks it only otherwise.
 */
export function splitFrame(
  frame: Uint8Array,
  maxFrame: number,
): { payload: Uint8Array; crc: number; at: number } {
  if (frame.length > maxFrame) {
    throw new CodecError('limit_exceeded', `frame of ${frame.length} bytes above the limit ${maxFrame}`, 0);
  }
  const { value: len, end } = uvarint.decode(frame, 0);
  if (len > maxFrame) {
    throw new CodecError('limit_exceeded', `frame declares ${len} bytes, limit ${maxFrame}`, 0);
  }
  const total = end + len + FRAME_TRAILER;
  if (frame.length < total)
    throw new CodecError('unexpected_eof', 'frame shorter than declared', frame.length);
  if (frame.length > total) throw new CodecError('trailing_bytes', 'bytes after the frame', total);
  const payload = frame.subarray(end, end + len);
  const at = end + len;
  const crc = (frame[at]! | (frame[at + 1]! << 8) | (frame[at + 2]! << 16) | (frame[at + 3]! << 24)) >>> 0;
  return { payload, crc, at };
}
