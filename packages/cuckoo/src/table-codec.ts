import type { FingerprintBits } from './sizing.ts';

/** Bytes the packed table of `slots` fingerprints of `f` bits takes (slots is always even: b = 4). */
export function packedTableBytes(slots: number, f: FingerprintBits): number {
  return (slots * f) / 8;
}

/**
 * Packs fingerprints little-endian at f bits each: f = 8 one byte, f = 16 two bytes LE, f = 12 two slots in three
 * bytes (slot 2j in the low 12 bits of the 24-bit LE group, slot 2j+1 in the high 12).
 */
export function packTable(slots: Uint16Array, f: FingerprintBits, out: Uint8Array): void {
  if (f === 8) {
    for (let i = 0; i < slots.length; i++) out[i] = slots[i]!;
  } else if (f === 16) {
    for (let i = 0; i < slots.length; i++) {
      out[2 * i] = slots[i]!;
      out[2 * i + 1] = slots[i]! >>> 8;
    }
  } else {
    for (let i = 0, o = 0; i < slots.length; i += 2, o += 3) {
      const a = slots[i]!;
      const b = slots[i + 1]!;
      out[o] = a;
      out[o + 1] = (a >>> 8) | (b << 4);
      out[o + 2] = b >>> 4;
    }
  }
}

/** Inverse of {@link packTable}; returns the number of non-empty slots. */
export function unpackTable(bytes: Uint8Array, f: FingerprintBits, slots: Uint16Array): number {
  let used = 0;
  if (f === 8) {
    for (let i = 0; i < slots.length; i++) if ((slots[i] = bytes[i]!) !== 0) used++;
  } else if (f === 16) {
    for (let i = 0; i < slots.length; i++)
      if ((slots[i] = bytes[2 * i]! | (bytes[2 * i + 1]! << 8)) !== 0) used++;
  } else {
    for (let i = 0, o = 0; i < slots.length; i += 2, o += 3) {
      const x = bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16);
      if ((slots[i] = x & 0xfff) !== 0) used++;
      if ((slots[i + 1] = x >>> 12) !== 0) used++;
    }
  }
  return used;
}
