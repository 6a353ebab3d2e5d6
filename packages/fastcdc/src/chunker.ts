import { assertBytes } from '@syncwire/bytes';
import type { ChunkRef } from './chunk.ts';
import { type FastCdcOptions, type Params, resolveOptions } from './options.ts';
import { Scanner } from './scanner.ts';

/** Bytes copied into the pending buffer per step while looking for a cut that spans pushes. */
const COPY_STEP = 8192;
/** Chunks that span pushes are copied into slabs of this size (fresh ArrayBuffers per chunk cost ~7%). */
const SLAB = 1 << 20;

/** A chunk with its bytes, as produced by the incremental APIs. */
export interface Chunk extends ChunkRef {
  /**
   * The chunk's bytes. A zero-copy `subarray` of the pushed input when the chunk lies entirely inside one
   * `push` (do not modify that input while you hold the view); a copy when it spans pushes (a view into a 1 MiB
   * slab shared with other such copies, so holding one keeps its slab alive).
   */
  readonly bytes: Uint8Array;
}

/**
 * Incremental FastCDC: feed bytes with {@link Chunker.push} as they arrive, then call {@link Chunker.finish}.
 * The chunks are identical to {@link chunk} over the concatenated input however it is split, and the chunker
 * holds at most `max` bytes between calls (a chunk is never longer than `max`).
 *
 * @example
 * ```ts
 * const chunker = new Chunker({ avg: 16384 });
 * for (const piece of pieces) for (const c of chunker.push(piece)) store(c.bytes);
 * for (const c of chunker.finish()) store(c.bytes);
 * ```
 */
export class Chunker {
  readonly #p: Params;
  readonly #scanner: Scanner;
  /** Bytes of the unfinished chunk that arrived in earlier pushes (capacity `max`, allocated on first use). */
  #pending: Uint8Array | null = null;
  #pendingLength = 0;
  /** Where copies of chunks that span pushes go; handed out as views, never written twice. */
  #slab: Uint8Array | null = null;
  #slabUsed = 0;
  /** Stream offset of the unfinished chunk's first byte. */
  #offset = 0;

  /** @throws TypeError / RangeError on bad options, as {@link chunk}. */
  constructor(options?: FastCdcOptions) {
    this.#p = resolveOptions('fastcdc.Chunker', options);
    this.#scanner = new Scanner(this.#p);
  }

  /** Bytes held for the unfinished chunk (always < `max`). */
  get buffered(): number {
    return this.#pendingLength;
  }

  /** Total bytes pushed since construction or the last {@link Chunker.finish}. */
  get position(): number {
    return this.#offset + this.#pendingLength;
  }

  /**
   * Adds input and returns the chunks it completes (possibly none).
   * @throws TypeError if `bytes` is not a Uint8Array.
   */
  push(bytes: Uint8Array): Chunk[] {
    assertBytes('fastcdc.Chunker.push', 'bytes', bytes);
    const out: Chunk[] = [];
    this.#consume(bytes, false, out);
    return out;
  }

  /** Ends the input: returns the remaining chunks and resets the chunker for a new stream (offset 0). */
  finish(): Chunk[] {
    const out: Chunk[] = [];
    this.#consume(new Uint8Array(0), true, out);
    this.#offset = 0;
    this.#scanner.reset();
    return out;
  }

  #emit(out: Chunk[], bytes: Uint8Array): void {
    const offset = this.#offset;
    const length = bytes.length;
    out.push(
      this.#p.hashes ? { offset, length, hash: this.#scanner.hash, bytes } : { offset, length, bytes },
    );
    this.#offset = offset + length;
  }

  /** A stable copy of `src[0, len)` (a view into a slab shared only with earlier, already-emitted copies). */
  #copy(src: Uint8Array, len: number): Uint8Array {
    let slab = this.#slab;
    if (slab === null || this.#slabUsed + len > slab.length) {
      slab = this.#slab = new Uint8Array(Math.max(SLAB, len));
      this.#slabUsed = 0;
    }
    const at = this.#slabUsed;
    slab.set(src.subarray(0, len), at);
    this.#slabUsed = at + len;
    return slab.subarray(at, at + len);
  }

  #consume(input: Uint8Array, final: boolean, out: Chunk[]): void {
    const scanner = this.#scanner;
    const max = this.#p.max;
    // `input` may be a buffer the caller refilled since the last call: no cached copy of it is valid.
    scanner.invalidate();
    let pos = 0;
    const n = input.length;
    // Phase 1: an unfinished chunk from earlier pushes. Top the pending buffer up to `max` bytes (a chunk never
    // needs more) and cut there; once a cut falls inside bytes copied from `input`, go back to zero-copy.
    while (this.#pendingLength > 0) {
      const pending = this.#pending!;
      // Copy in steps: the cut usually comes long before `max`, and bytes after it stay zero-copy.
      const take = Math.min(max - this.#pendingLength, n - pos, COPY_STEP);
      if (take > 0) pending.set(input.subarray(pos, pos + take), this.#pendingLength);
      this.#pendingLength += take;
      pos += take;
      scanner.invalidate(); // `pending` was just edited in place
      const len = scanner.next(pending, 0, this.#pendingLength, final && pos === n);
      if (len < 0) {
        if (pos < n) continue; // more of `input` to copy
        return; // all of `input` is pending and more is needed
      }
      this.#emit(out, this.#copy(pending, len));
      if (this.#pendingLength - len <= pos) {
        // The next chunk starts inside `input`: drop the copied tail and continue on `input` itself.
        pos -= this.#pendingLength - len;
        this.#pendingLength = 0;
      } else {
        pending.copyWithin(0, len, this.#pendingLength);
        this.#pendingLength -= len;
      }
    }
    // Phase 2: chunks that start in `input` are views of it.
    while (pos < n) {
      const len = scanner.next(input, pos, n - pos, final);
      if (len < 0) {
        // Less than `max` bytes are left (else `next` would have cut): keep them for the next push.
        if (this.#pending === null) this.#pending = new Uint8Array(max);
        this.#pending.set(input.subarray(pos), 0);
        this.#pendingLength = n - pos;
        return;
      }
      this.#emit(out, input.subarray(pos, pos + len));
      pos += len;
    }
  }
}
