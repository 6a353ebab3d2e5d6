import { sha256 } from '@noble/hashes/sha2.js';
import { Prng } from '@syncwire/testkit';

/** Small chunks so that small fixtures have many chunks and pages. */
export const SMALL = { min: 256, avg: 1024, max: 4096 } as const;

/** Reference BlobId written straight from the spec (not through the package). */
export function referenceBlobId(count: number, length: number, root: Uint8Array): Uint8Array {
  const pre = new Uint8Array(49);
  const v = new DataView(pre.buffer);
  pre[0] = 0x02;
  v.setBigUint64(1, BigInt(count), false);
  v.setBigUint64(9, BigInt(length), false);
  pre.set(root, 17);
  return sha256(pre);
}

/** Reference leaf record straight from the spec. */
export function referenceRecord(chunk: Uint8Array): Uint8Array {
  const r = new Uint8Array(36);
  new DataView(r.buffer).setUint32(0, chunk.length, false);
  r.set(sha256(chunk), 4);
  return r;
}

/** Random bytes with repeated stretches, so that chunking finds equal chunks. */
export function repetitive(n: number, seed: number): Uint8Array {
  const p = new Prng(seed);
  const base = p.bytes(8192);
  const out = new Uint8Array(n);
  for (let at = 0; at < n; ) {
    const len = Math.min(n - at, 512 + p.below(4096));
    if (p.below(2) === 0) out.set(base.subarray(0, Math.min(len, base.length)), at);
    else p.fill(out.subarray(at, at + len));
    at += len;
  }
  return out;
}

/** Flips bit `bit` (little-endian bit order within each byte) of `b` in place. */
export function flip(b: Uint8Array, bit: number): void {
  b[bit >> 3] = b[bit >> 3]! ^ (1 << (bit & 7));
}
