import { CodecError, describe } from '@syncwire/bytes';

/** Caller-mistake checks shared by the codecs: TypeError for the wrong type, RangeError for a bad range. */
export function checkDecodeArgs(where: string, bytes: unknown, offset: number): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`${where}: bytes expected a Uint8Array, got ${describe(bytes)}`);
  }
  if (offset >>> 0 !== offset) {
    throw new RangeError(`${where}: offset expected a non-negative integer, got ${describe(offset)}`);
  }
}

/** RangeError unless `length` bytes fit in `out` at `offset`. */
export function checkRoom(where: string, out: Uint8Array, offset: number, length: number): void {
  if (!(out instanceof Uint8Array))
    throw new TypeError(`${where}: out expected a Uint8Array, got ${describe(out)}`);
  if (offset >>> 0 !== offset || offset + length > out.length) {
    throw new RangeError(`${where}: needs ${length} bytes at offset ${offset}, out has ${out.length}`);
  }
}

/** Throws unless `value` is a safe integer in [0, max]. */
export function checkUint(
  where: string,
  value: unknown,
  max = Number.MAX_SAFE_INTEGER,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(`${where}: value expected a non-negative safe integer, got ${describe(value)}`);
  }
  if (value < 0 || value > max) {
    throw new RangeError(`${where}: value expected an integer in [0, ${max}], got ${value}`);
  }
}

/** Throws unless `value` is a bigint in [0, max]. */
export function checkBigUint(where: string, value: unknown, max: bigint): asserts value is bigint {
  if (typeof value !== 'bigint')
    throw new TypeError(`${where}: value expected a bigint, got ${describe(value)}`);
  if (value < 0n || value > max)
    throw new RangeError(`${where}: value expected a bigint in [0, ${max}], got ${value}`);
}

/** The `unexpected_eof` every fixed-width read throws. */
export function eof(where: string, offset: number): CodecError {
  return new CodecError('unexpected_eof', `${where}: input ends inside a value`, offset);
}
