import { assertInteger, type Codec, CodecError, describe } from '@syncwire/bytes';
import { strictTextDecoder, textEncoder } from './text.ts';

// Codecs for TLV record values. Each decodes from `offset`; the schema requires a value's codec to consume
// the record value exactly (`trailing_bytes` otherwise). Multi-byte integers are big-endian (network order),
// as in BOLT #1.

function eof(where: string, offset: number): CodecError {
  return new CodecError('unexpected_eof', `${where}: value ends early`, offset);
}

function fixedUint(name: string, width: 1 | 2 | 4): Codec<number> {
  const max = 2 ** (8 * width) - 1;
  return {
    encodingLength(v) {
      assertInteger(`${name}.encode`, 'value', v, 0, max);
      return width;
    },
    encodeInto(v, out, offset) {
      assertInteger(`${name}.encode`, 'value', v, 0, max);
      if (offset + width > out.length) throw new RangeError(`${name}.encode: out too small`);
      for (let i = 0; i < width; i++) out[offset + i] = v >>> (8 * (width - 1 - i));
      return width;
    },
    decode(bytes, offset = 0) {
      if (offset + width > bytes.length) throw eof(`${name}.decode`, offset);
      let v = 0;
      for (let i = 0; i < width; i++) v = v * 256 + bytes[offset + i]!;
      return { value: v, end: offset + width };
    },
  };
}

/** One byte, 0–255. */
export const u8: Codec<number> = fixedUint('u8', 1);
/** Big-endian uint16. */
export const u16: Codec<number> = fixedUint('u16', 2);
/** Big-endian uint32. */
export const u32: Codec<number> = fixedUint('u32', 4);

/** Big-endian uint64 as a bigint. */
export const u64: Codec<bigint> = {
  encodingLength(v) {
    checkU64('u64.encode', v);
    return 8;
  },
  encodeInto(v, out, offset) {
    checkU64('u64.encode', v);
    if (offset + 8 > out.length) throw new RangeError('u64.encode: out too small');
    for (let i = 7; i >= 0; i--) {
      out[offset + i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return 8;
  },
  decode(bytes, offset = 0) {
    if (offset + 8 > bytes.length) throw eof('u64.decode', offset);
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(bytes[offset + i]!);
    return { value: v, end: offset + 8 };
  },
};

function checkU64(where: string, v: unknown): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${where}: value expected a bigint, got ${describe(v)}`);
  if (v < 0n || v >= 1n << 64n)
    throw new RangeError(`${where}: value expected a bigint in [0, 2^64 - 1], got ${v}`);
}

/**
 * BOLT #1 truncated unsigned integer (`tu16`/`tu32`/`tu64`): big-endian with leading zero bytes removed, so
 * 0 is empty. Consumes every byte from `offset` to the end of the record value; a leading zero byte is
 * `not_minimal`, more than `width` bytes `overflow`.
 */
function truncatedUint(name: string, width: 2 | 4 | 8): Codec<bigint> {
  const max = (1n << BigInt(8 * width)) - 1n;
  const length = (v: bigint) => {
    let n = 0;
    for (let x = v; x > 0n; x >>= 8n) n++;
    return n;
  };
  return {
    encodingLength(v) {
      if (typeof v !== 'bigint' || v < 0n || v > max)
        throw new RangeError(`${name}.encode: value out of range`);
      return length(v);
    },
    encodeInto(v, out, offset) {
      const n = this.encodingLength(v);
      if (offset + n > out.length) throw new RangeError(`${name}.encode: out too small`);
      for (let i = n - 1; i >= 0; i--) {
        out[offset + i] = Number(v & 0xffn);
        v >>= 8n;
      }
      return n;
    },
    decode(bytes, offset = 0) {
      const n = bytes.length - offset;
      if (n > width) throw new CodecError('overflow', `${name}.decode: ${n} bytes, at most ${width}`, offset);
      if (n > 0 && bytes[offset] === 0)
        throw new CodecError('not_minimal', `${name}.decode: leading zero byte`, offset);
      let v = 0n;
      for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(bytes[offset + i]!);
      return { value: v, end: bytes.length };
    },
  };
}

/** BOLT #1 `tu16` (0–2 bytes, minimal). */
export const tu16: Codec<bigint> = truncatedUint('tu16', 2);
/** BOLT #1 `tu32` (0–4 bytes, minimal). */
export const tu32: Codec<bigint> = truncatedUint('tu32', 4);
/** BOLT #1 `tu64` (0–8 bytes, minimal). */
export const tu64: Codec<bigint> = truncatedUint('tu64', 8);

/** The rest of the record value as raw bytes (a zero-copy view). */
export const bytes: Codec<Uint8Array> = {
  encodingLength(v) {
    if (!(v instanceof Uint8Array))
      throw new TypeError(`bytes.encode: value expected a Uint8Array, got ${describe(v)}`);
    return v.length;
  },
  encodeInto(v, out, offset) {
    out.set(v, offset);
    return v.length;
  },
  decode(b, offset = 0) {
    return { value: b.subarray(offset), end: b.length };
  },
};

/** Exactly `n` raw bytes (a zero-copy view). */
export function fixedBytes(n: number): Codec<Uint8Array> {
  assertInteger('fixedBytes', 'n', n, 0, Number.MAX_SAFE_INTEGER);
  return {
    encodingLength(v) {
      if (!(v instanceof Uint8Array) || v.length !== n) {
        throw new RangeError(`fixedBytes(${n}).encode: value expected ${n} bytes, got ${describe(v)}`);
      }
      return n;
    },
    encodeInto(v, out, offset) {
      this.encodingLength(v);
      out.set(v, offset);
      return n;
    },
    decode(b, offset = 0) {
      if (offset + n > b.length) throw eof(`fixedBytes(${n}).decode`, offset);
      return { value: b.subarray(offset, offset + n), end: offset + n };
    },
  };
}

/** The rest of the record value as UTF-8 text; invalid UTF-8 is `invalid_value`. */
export const utf8: Codec<string> = {
  encodingLength(v) {
    if (typeof v !== 'string')
      throw new TypeError(`utf8.encode: value expected a string, got ${describe(v)}`);
    return textEncoder.encode(v).length;
  },
  encodeInto(v, out, offset) {
    const { written } = textEncoder.encodeInto(v, out.subarray(offset));
    return written;
  },
  decode(b, offset = 0) {
    try {
      return { value: strictTextDecoder.decode(b.subarray(offset)), end: b.length };
    } catch {
      throw new CodecError('invalid_value', 'utf8.decode: invalid UTF-8', offset);
    }
  },
};

type CodecValues<T extends readonly Codec<unknown>[]> = {
  [K in keyof T]: T[K] extends Codec<infer V> ? V : never;
};

/** Codecs one after another, as a tuple value: `tuple(fixedBytes(33), u64, u64)`. */
export function tuple<const T extends readonly Codec<unknown>[]>(...codecs: T): Codec<CodecValues<T>> {
  return {
    encodingLength(v) {
      let n = 0;
      codecs.forEach((c, i) => {
        n += c.encodingLength(v[i]);
      });
      return n;
    },
    encodeInto(v, out, offset) {
      let o = offset;
      codecs.forEach((c, i) => {
        o += c.encodeInto(v[i], out, o);
      });
      return o - offset;
    },
    decode(b, offset = 0) {
      const value: unknown[] = [];
      let o = offset;
      for (const c of codecs) {
        const r = c.decode(b, o);
        value.push(r.value);
        o = r.end;
      }
      return { value: value as CodecValues<T>, end: o };
    },
  };
}
