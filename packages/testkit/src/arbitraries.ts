import fc from 'fast-check';

/** Arbitrary unsigned 64-bit bigint, biased toward the byte-boundary edges varint codecs care about. */
export const u64 = (): fc.Arbitrary<bigint> =>
  fc.oneof(
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    fc.integer({ min: 0, max: 63 }).map((b) => (1n << BigInt(b)) - 1n),
    fc.integer({ min: 0, max: 63 }).map((b) => 1n << BigInt(b)),
  );

/** Arbitrary safe non-negative integer with byte-boundary edges. */
export const safeUint = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.integer({ min: 0, max: 0xffffffff }),
    fc.maxSafeNat(),
    fc.integer({ min: 0, max: 52 }).map((b) => 2 ** b),
    fc.integer({ min: 1, max: 53 }).map((b) => 2 ** b - 1),
  );

/**
 * Split points for chunking-invariance properties: `bytes` cut into random pieces (empty pieces included).
 */
export const splits = (bytes: Uint8Array): fc.Arbitrary<Uint8Array[]> =>
  fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }).map((cuts) => {
    const sorted = [...cuts].sort((a, b) => a - b);
    const parts: Uint8Array[] = [];
    let prev = 0;
    for (const c of sorted) {
      parts.push(bytes.subarray(prev, c));
      prev = c;
    }
    parts.push(bytes.subarray(prev));
    return parts;
  });

/** Byte strings derived from `valid` by flipping, truncating, extending or splicing: for totality properties. */
export const mutated = (valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> =>
  fc
    .tuple(
      valid,
      fc.nat(),
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 3 }),
      fc.uint8Array({ maxLength: 8 }),
    )
    .map(([b, pos, byte, op, extra]) => {
      const out = Uint8Array.from(b);
      if (op === 0 && out.length > 0) out[pos % out.length] = out[pos % out.length]! ^ (byte | 1);
      else if (op === 1) return out.subarray(0, pos % (out.length + 1));
      else if (op === 2) {
        const r = new Uint8Array(out.length + extra.length);
        r.set(out);
        r.set(extra, out.length);
        return r;
      } else if (out.length > 0) out[pos % out.length] = byte;
      return out;
    });

/** Arbitrary byte strings for "garbage in" properties: random bytes plus a few hostile shapes. */
export const garbage = (maxLength = 64): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.uint8Array({ maxLength }),
    fc.integer({ min: 1, max: maxLength }).map((n) => new Uint8Array(n).fill(0xff)),
    fc.integer({ min: 1, max: maxLength }).map((n) => new Uint8Array(n).fill(0x80)),
  );
