/**
 * What the model tests share: session options for small, fast, lossy worlds (4.5 KiB frames so pages and
 * chunks need several frames' worth of credit, short RTOs, no idle close or keepalive), small chunks, and the
 * bit flip that stands for link corruption.
 */
export const HOSTILE_OPTIONS = {
  maxFrame: 4608,
  maxInflight: 4,
  creditWindow: 4608,
  idleTimeout: 0,
  keepalive: 0,
  initialRto: 50,
  minRto: 10,
  maxRto: 400,
};

/** FastCDC parameters that give blobs of a few dozen chunks from tens of kilobytes. */
export const SMALL_CHUNKS = { min: 256, avg: 1024, max: 4096 };

/** A copy of `bytes` with bit `bit` (mod its length in bits) flipped. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  const b = bit % (out.length * 8);
  out[b >> 3] = out[b >> 3]! ^ (1 << (b & 7));
  return out;
}
