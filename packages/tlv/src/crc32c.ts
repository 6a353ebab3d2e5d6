import { assertBytes } from '@syncwire/bytes';

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), slicing-by-8: eight 256-entry tables let the
// loop consume 8 bytes per iteration with table lookups only.
const TABLES = (() => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let s = 1; s < 8; s++)
      t[s * 256 + n] = (t[(s - 1) * 256 + n]! >>> 8) ^ t[t[(s - 1) * 256 + n]! & 0xff]!;
  }
  return t;
})();

/**
 * CRC-32C of `bytes` (as an unsigned 32-bit number). Pass a previous result as `crc` to continue over
 * more bytes: `crc32c(b, crc32c(a)) === crc32c(a ++ b)`. `crc32c("123456789") === 0xe3069283`.
 */
export function crc32c(bytes: Uint8Array, crc = 0): number {
  assertBytes('crc32c', 'bytes', bytes);
  const t = TABLES;
  let c = ~crc;
  let i = 0;
  const end8 = bytes.length - 8;
  for (; i <= end8; i += 8) {
    const lo = c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    c =
      t[0x700 + (lo & 0xff)]! ^
      t[0x600 + ((lo >>> 8) & 0xff)]! ^
      t[0x500 + ((lo >>> 16) & 0xff)]! ^
      t[0x400 + (lo >>> 24)]! ^
      t[0x300 + bytes[i + 4]!]! ^
      t[0x200 + bytes[i + 5]!]! ^
      t[0x100 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

// CRC combination works in GF(2)[x] modulo the CRC polynomial, in the same reflected bit order as the tables:
// bit 31 is the coefficient of x^0. POW2[k] = x^(2^k) mod P, so x^(8n) is a product of at most 56 of them.
const POLY = 0x82f63b78;

function mulModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

const POW2 = (() => {
  const t = new Uint32Array(64); // up to x^(2^63): enough for any safe-integer length, no periodicity assumed
  t[0] = 0x40000000; // x^1
  for (let k = 1; k < 64; k++) t[k] = mulModP(t[k - 1]!, t[k - 1]!);
  return t;
})();

/**
 * CRC-32C of `a ‖ b` from `crc32c(a)`, `crc32c(b)` and `b`'s length, in O(log length) without the bytes:
 * lets a sender that stored a chunk's CRC frame it under any header without reading the chunk again.
 * @throws RangeError unless `lengthB` is a non-negative safe integer.
 */
export function crc32cCombine(crcA: number, crcB: number, lengthB: number): number {
  if (!Number.isSafeInteger(lengthB) || lengthB < 0) {
    throw new RangeError(`crc32cCombine: lengthB expected a non-negative safe integer, got ${lengthB}`);
  }
  // x^(8·lengthB): walk the bits of lengthB, starting at x^(2^3) = x^8 per byte.
  let xn = 0x80000000; // x^0
  let n = lengthB;
  for (let k = 3; n > 0; k++, n = Math.floor(n / 2)) if (n % 2 === 1) xn = mulModP(POW2[k]!, xn);
  return (mulModP(xn, crcA >>> 0) ^ crcB) >>> 0;
}
