// Typed arrays use the platform's byte order; the wire format is little-endian everywhere. On little-endian
// machines (all mainstream ones) the copy is a single memcpy.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Copies `words` into `out` at `offset` as little-endian bytes. */
export function writeWordsLE(words: Uint32Array | Uint16Array, out: Uint8Array, offset: number): void {
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(words.buffer, words.byteOffset, words.byteLength), offset);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (words instanceof Uint32Array)
    for (let i = 0; i < words.length; i++) view.setUint32(offset + 4 * i, words[i]!, true);
  else for (let i = 0; i < words.length; i++) view.setUint16(offset + 2 * i, words[i]!, true);
}

/** Fills `words` from little-endian `bytes` (which must hold exactly `words.byteLength` bytes). */
export function readWordsLE(bytes: Uint8Array, words: Uint32Array | Uint16Array): void {
  if (LITTLE_ENDIAN) {
    new Uint8Array(words.buffer, words.byteOffset, words.byteLength).set(bytes);
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (words instanceof Uint32Array)
    for (let i = 0; i < words.length; i++) words[i] = view.getUint32(4 * i, true);
  else for (let i = 0; i < words.length; i++) words[i] = view.getUint16(2 * i, true);
}

/** Number of set bits in a 32-bit word. */
export function popcount32(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
}
