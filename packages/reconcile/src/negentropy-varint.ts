import { type Codec, CodecError } from '@syncwire/bytes';

const U64_MAX = (1n << 64n) - 1n;

/**
 * Negentropy's varint: base-128, **most significant digit first**, high bit set on every byte but the last
 * (300 → `82 2c`; not LEB128). Decoded as a u64 bigint so timestamps ≥ 2^31 stay exact (the reference JS
 * uses 32-bit bit operations and maps 2^32 to `00`, the infinity timestamp). Strict: a leading `0x80` digit
 * (non-minimal) throws `not_minimal`, more than 64 bits throws `overflow`, a cut-off value `unexpected_eof`.
 */
export const negentropyVarint: Codec<bigint> = {
  encodingLength(value: bigint): number {
    checkU64(value);
    let n = 1;
    for (let v = value >> 7n; v > 0n; v >>= 7n) n++;
    return n;
  },
  encodeInto(value: bigint, out: Uint8Array, offset: number): number {
    const n = this.encodingLength(value);
    if (offset < 0 || offset + n > out.length) {
      throw new RangeError(
        `negentropyVarint.encodeInto: needs ${n} bytes at offset ${offset}, buffer has ${out.length}`,
      );
    }
    let v = value;
    for (let i = n - 1; i >= 0; i--) {
      out[offset + i] = Number(v & 0x7fn) | (i === n - 1 ? 0 : 0x80);
      v >>= 7n;
    }
    return n;
  },
  decode(bytes: Uint8Array, offset = 0) {
    const r = readVarint(bytes, offset);
    return { value: (BigInt(r.hi) << 32n) | BigInt(r.lo), end: r.end };
  },
};

function checkU64(value: unknown): asserts value is bigint {
  if (typeof value !== 'bigint')
    throw new TypeError(`negentropyVarint: value expected a bigint, got ${typeof value}`);
  if (value < 0n || value > U64_MAX) {
    throw new RangeError(`negentropyVarint: value expected a u64 in [0, 2^64 - 1], got ${value}`);
  }
}

/**
 * Reads one varint at `offset` as 32-bit halves (no BigInt on the hot path). Throws {@link CodecError}.
 * @internal
 */
export function readVarint(bytes: Uint8Array, offset: number): { hi: number; lo: number; end: number } {
  let hi = 0;
  let lo = 0;
  let p = offset;
  if (p >= bytes.length) throw new CodecError('unexpected_eof', 'negentropy varint: no bytes', p);
  if (bytes[p] === 0x80) throw new CodecError('not_minimal', 'negentropy varint: leading zero digit', p);
  for (;;) {
    if (p >= bytes.length)
      throw new CodecError('unexpected_eof', 'negentropy varint: input ends inside a value', p);
    const b = bytes[p++]!;
    if (hi >>> 25 !== 0) throw new CodecError('overflow', 'negentropy varint: value over 64 bits', offset);
    hi = ((hi << 7) | (lo >>> 25)) >>> 0;
    lo = ((lo << 7) | (b & 0x7f)) >>> 0;
    if ((b & 0x80) === 0) return { hi, lo, end: p };
  }
}

/**
 * Reads a varint that must fit a safe integer (counts, modes, lengths). Throws {@link CodecError}.
 * @internal
 */
export function readSmallVarint(bytes: Uint8Array, offset: number): { value: number; end: number } {
  const r = readVarint(bytes, offset);
  if (r.hi > 0x1fffff) throw new CodecError('overflow', 'negentropy varint: value over 2^53 - 1', offset);
  return { value: r.hi * 0x100000000 + r.lo, end: r.end };
}
