import { assertBytes } from '@syncwire/bytes';
import { uvarint } from '@syncwire/varint';
import { crc32c } from './crc32c.ts';
import { type FrameOptions, resolveFrameOptions } from './frame-options.ts';

/** Bytes the frame of a `payloadLength`-byte payload takes: LEB128 length + payload (+ 4 with checksum). */
export function frameLength(payloadLength: number, options?: FrameOptions): number {
  const { trailer } = resolveFrameOptions('frameLength', options);
  return uvarint.encodingLength(payloadLength) + payloadLength + trailer;
}

/**
 * Writes the frame of `payload` at `offset` of `out` and returns the bytes written. RangeError when the
 * payload is above `maxFrameSize` (a decoder with the same options would reject it) or `out` is too small.
 */
export function encodeFrameInto(
  payload: Uint8Array,
  out: Uint8Array,
  offset: number,
  options?: FrameOptions,
): number {
  const where = 'encodeFrameInto';
  assertBytes(where, 'payload', payload);
  assertBytes(where, 'out', out);
  const { maxFrameSize, trailer } = resolveFrameOptions(where, options);
  if (payload.length > maxFrameSize) {
    throw new RangeError(`${where}: payload of ${payload.length} bytes above maxFrameSize ${maxFrameSize}`);
  }
  const total = uvarint.encodingLength(payload.length) + payload.length + trailer;
  if (offset >>> 0 !== offset || offset + total > out.length) {
    throw new RangeError(`${where}: needs ${total} bytes at offset ${offset}, out has ${out.length}`);
  }
  let o = offset + uvarint.encodeInto(payload.length, out, offset);
  out.set(payload, o);
  o += payload.length;
  if (trailer) {
    const c = crc32c(payload);
    out[o] = c;
    out[o + 1] = c >>> 8;
    out[o + 2] = c >>> 16;
    out[o + 3] = c >>> 24;
  }
  return total;
}

/** The frame of `payload` in a new buffer: LEB128 length, payload, optional CRC-32C trailer. */
export function encodeFrame(payload: Uint8Array, options?: FrameOptions): Uint8Array {
  assertBytes('encodeFrame', 'payload', payload);
  const out = new Uint8Array(frameLength(payload.length, options));
  encodeFrameInto(payload, out, 0, options);
  return out;
}
