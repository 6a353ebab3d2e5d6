import { sha256 } from '@noble/hashes/sha2.js';

/**
 * A one-shot hash function the tree calls for every leaf and node. Implementations must be synchronous,
 * must not keep `data` after returning, and may reuse internal state between calls (the tree never calls
 * a hasher re-entrantly).
 *
 * Plug in another hash (same tree shape, different digest) by implementing this interface; the RFC 9162
 * vectors only hold for SHA-256.
 */
export interface Hasher {
  /** Short name for error messages and bench labels, e.g. `"sha256 (noble)"`. */
  readonly name: string;
  /** Digest size in bytes (32 for SHA-256). Every tree hash and proof item has exactly this length. */
  readonly outputLen: number;
  /**
   * Writes the digest of all of `data` to `out[offset .. offset + outputLen)`. `out` may share memory
   * with `data` (the tree hashes some nodes in place): read all of `data` before writing `out`.
   */
  hashInto(data: Uint8Array, out: Uint8Array, offset: number): void;
}

/** The compression-level surface of noble's SHA-256 state that the short-input path drives. */
interface NobleCore {
  process(view: DataView, offset: number): void;
  set(a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number): void;
  get(): number[];
}

/** Longest input that pads into two 64-byte blocks (64·2 − 1 byte 0x80 − 8 length bytes). */
const SHORT_MAX = 119;

/**
 * SHA-256 from `@noble/hashes` (pure JS, runs everywhere). The default hasher.
 *
 * Tree inputs are short (33-byte leaves of 32-byte data, 65-byte nodes), where the per-call machinery
 * of a hash object costs as much as the compression itself. So for inputs up to 119 bytes this pads
 * the message into a reused two-block buffer (FIPS 180-4 §5.1.1) and runs noble's own compression
 * function on it, which measured ~1.5x faster than reusing a hash object and ~2x faster than the
 * one-shot `sha256()`. Longer inputs go through noble's public streaming API. The short path drives
 * members noble does not document, so it is checked against the public API at creation and replaced
 * by the public path if it ever disagrees (e.g. a future noble release).
 * The schedule buffer is not wiped after each call: tree hashes are not secrets.
 */
export function createNobleSha256(): Hasher {
  const pristine = sha256.create();
  const work = sha256.create();
  const digest = new Uint8Array(32);
  const slow = (data: Uint8Array, out: Uint8Array, offset: number): void => {
    pristine._cloneInto(work);
    work.update(data);
    work.digestInto(digest);
    out.set(digest, offset);
  };
  const core = sha256.create() as unknown as NobleCore;
  const pad = new Uint8Array(128);
  const view = new DataView(pad.buffer);
  // A fresh state holds the initial hash value H(0) (FIPS 180-4 §5.3.3).
  const iv = core.get();
  const fast = (data: Uint8Array, out: Uint8Array, offset: number): void => {
    const len = data.length;
    if (len > SHORT_MAX) {
      slow(data, out, offset);
      return;
    }
    const end = len <= 55 ? 64 : 128;
    pad.set(data, 0);
    pad[len] = 0x80;
    pad.fill(0, len + 1, end - 4);
    view.setUint32(end - 4, len * 8, false);
    core.set(iv[0]!, iv[1]!, iv[2]!, iv[3]!, iv[4]!, iv[5]!, iv[6]!, iv[7]!);
    core.process(view, 0);
    if (end === 128) core.process(view, 64);
    const s = core.get();
    for (let i = 0; i < 8; i++) {
      const w = s[i]!;
      const o = offset + 4 * i;
      out[o] = w >>> 24;
      out[o + 1] = w >>> 16;
      out[o + 2] = w >>> 8;
      out[o + 3] = w;
    }
  };
  return { name: 'sha256 (noble)', outputLen: 32, hashInto: shortPathWorks(fast) ? fast : slow };
}

/** Compares the short-input path with noble's public one-shot API on every length it handles. */
function shortPathWorks(fast: Hasher['hashInto']): boolean {
  try {
    const out = new Uint8Array(32);
    for (let len = 0; len <= SHORT_MAX; len++) {
      const data = new Uint8Array(len).map((_, i) => (i * 151 + len) & 255);
      fast(data, out, 0);
      const want = sha256(data);
      for (let i = 0; i < 32; i++) if (out[i] !== want[i]) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** The shared default hasher: SHA-256 from `@noble/hashes`. See {@link createNobleSha256}. */
export const sha256Hasher: Hasher = /* @__PURE__ */ createNobleSha256();
