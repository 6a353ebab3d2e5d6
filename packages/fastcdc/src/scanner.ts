import { gearHashAt } from './gear-hash.ts';
import { gearLoop } from './gear-loop.ts';
import { invalidateWasmWindow, wasmGearLoop } from './gear-wasm.ts';
import type { Params } from './options.ts';

/**
 * The cut-point search, shared by the one-shot function and the incremental chunker.
 *
 * fastcdc-rs's `cut` is equivalent to a one-byte-at-a-time gear hash `h = 2h + GEAR[b]` judged at every byte
 * from `start` on: with `mask_s` before `center`, with `mask_l` after it, up to `end = min(n, max)` (v2020 rounds
 * start, center and end down to even, because it consumes byte pairs and never hashes an odd last byte). v2020's
 * pair step (`h = 4h + GEAR_LS[a]`, then `+ GEAR[b]`) leaves exactly 2x that hash after the first byte of a pair,
 * and 2x the mask test is the same test because no mask has bit 63. The byte that matches is *not* part of the
 * chunk: the cut length is its index. Without a match the cut is `min(n, max)`.
 *
 * Because the judgement of byte j never depends on bytes after it, and `center` is fixed whenever there are at
 * least `avg` bytes, the scan can stop at the end of the bytes present and resume when more arrive: streaming
 * gives the same cuts as one pass over the whole input.
 * @internal
 */
export class Scanner {
  /** Next relative index to hash; below `start` means the scan of this chunk has not begun. */
  #j = 0;
  /** Hash words [lo, hi] carried between calls (see `gearLoop`). */
  readonly #state = new Int32Array(2);
  /** The whole 64-bit hash carried between calls when the WebAssembly loop runs. */
  readonly #wasm = { h: 0n };
  /** Gear hash of the last cut (0n unless `hashes`). */
  hash = 0n;

  constructor(readonly p: Params) {}

  /** Forgets the current chunk's progress. */
  reset(): void {
    this.#j = 0;
    this.#state[0] = 0;
    this.#state[1] = 0;
    this.#wasm.h = 0n;
  }

  /** Must be called when bytes already passed to {@link Scanner.next} may have changed in place. */
  invalidate(): void {
    if (this.p.engine === 'wasm') invalidateWasmWindow();
  }

  /**
   * Looks for the end of the chunk that starts at `buf[base]`, given `avail` bytes from there. `final` says no
   * more bytes follow. Returns the chunk length, or -1 when more input is needed to decide.
   */
  next(buf: Uint8Array, base: number, avail: number, final: boolean): number {
    const p = this.p;
    const max = p.max;
    if (final && avail <= p.min) {
      // The crate returns the whole tail unhashed (hash 0).
      this.reset();
      this.hash = 0n;
      return avail;
    }
    const limit = Math.min(avail, max);
    const end = p.pairs ? limit & ~1 : limit;
    let j = this.#j;
    if (j < p.start) {
      j = p.start;
      this.#state[0] = 0;
      this.#state[1] = 0;
      this.#wasm.h = 0n;
    }
    if (j < end) {
      const hit =
        p.engine === 'wasm'
          ? wasmGearLoop(p, buf, base + j, base + p.center, base + end, this.#wasm, base + avail)
          : gearLoop(p, buf, base + j, base + p.center, base + end, this.#state);
      if (hit >= 0) {
        const m = hit - base;
        if (p.hashes) this.hash = gearHashAt(p, buf, base + p.start, base + m, p.pairs && (m & 1) === 0);
        this.reset();
        return m;
      }
      j = end;
    }
    if (final || avail >= max) {
      // No match up to `end`: the chunk is `min(n, max)` long. With avail == max exactly the answer is max
      // whether or not more bytes follow, so no lookahead is needed.
      if (p.hashes) this.hash = gearHashAt(p, buf, base + p.start, base + end - 1, false);
      this.reset();
      return limit;
    }
    this.#j = j;
    return -1;
  }
}
