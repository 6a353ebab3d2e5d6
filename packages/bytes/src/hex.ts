const HEX = '0123456789abcdef';
const BYTE_TO_HEX: string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4]! + HEX[i & 15]!);

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_HEX[bytes[i]!];
  return s;
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/** Bytes of a hex string (either case, no prefix). Throws TypeError on odd length or a non-hex digit. */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError(`fromHex: expected a string, got ${typeof hex}`);
  if (hex.length % 2 !== 0) throw new TypeError(`fromHex: odd length ${hex.length}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(hex.charCodeAt(2 * i));
    const lo = nibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new TypeError(`fromHex: invalid hex digit near index ${2 * i}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}
