import { CodecError } from './codec-error.ts';

/** Result of decoding one value: the value and the offset just past it. */
export interface Decoded<T> {
  value: T;
  end: number;
}

/**
 * A codec is a value that sizes, encodes and decodes one type. Compose codecs with combinators;
 * use {@link encode} and {@link decode} for the one-shot cases.
 */
export interface Codec<T> {
  /** Bytes `value` takes when encoded. Throws TypeError/RangeError for values the codec cannot encode. */
  encodingLength(value: T): number;
  /** Writes `value` at `offset` of `out` and returns the number of bytes written. */
  encodeInto(value: T, out: Uint8Array, offset: number): number;
  /** Reads one value at `offset` (default 0). Throws {@link CodecError} for bad bytes. */
  decode(bytes: Uint8Array, offset?: number): Decoded<T>;
}

/** Encodes `value` into a new buffer of exactly `codec.encodingLength(value)` bytes. */
export function encode<T>(codec: Codec<T>, value: T): Uint8Array {
  const out = new Uint8Array(codec.encodingLength(value));
  codec.encodeInto(value, out, 0);
  return out;
}

/** Decodes one value that must span all of `bytes`; leftovers throw `trailing_bytes`. */
export function decode<T>(codec: Codec<T>, bytes: Uint8Array): T {
  const { value, end } = codec.decode(bytes, 0);
  if (end !== bytes.length) {
    throw new CodecError('trailing_bytes', `decode: ${bytes.length - end} bytes left after the value`, end);
  }
  return value;
}
