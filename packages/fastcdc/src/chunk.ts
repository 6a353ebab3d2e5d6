import { assertBytes } from '@syncwire/bytes';
import { type FastCdcOptions, resolveOptions } from './options.ts';
import { Scanner } from './scanner.ts';

/** Where one chunk lies in the input. */
export interface ChunkRef {
  /** Offset of the chunk's first byte in the whole input (stream position for the incremental API). */
  readonly offset: number;
  /** Length in bytes; every chunk but the last is within [min, max] (see the RFC for an odd `min`). */
  readonly length: number;
  /** The crate's 64-bit gear hash at the cut (`Chunk::hash`), present only with `hashes: true`. */
  readonly hash?: bigint;
}

/**
 * Splits `bytes` into content-defined chunks, cut for cut the same as fastcdc-rs 4.0.1 (`v2020::FastCDC` by
 * default; `variant: 'v2016'` for its 2016 module). The chunks tile the input; empty input gives none.
 *
 * @example
 * ```ts
 * const refs = chunk(data, { min: 4096, avg: 16384, max: 65536 });
 * for (const { offset, length } of refs) store(data.subarray(offset, offset + length));
 * ```
 * @throws TypeError if `bytes` is not a Uint8Array or an option has the wrong type; RangeError if a size is
 *   outside the crate's limits (min 64..1 MiB, avg 256..4 MiB, max 1 KiB..16 MiB), min > avg, avg > max, or
 *   level is not 0..3.
 */
export function chunk(bytes: Uint8Array, options?: FastCdcOptions): ChunkRef[] {
  assertBytes('fastcdc.chunk', 'bytes', bytes);
  const p = resolveOptions('fastcdc.chunk', options);
  const scanner = new Scanner(p);
  scanner.invalidate();
  const out: ChunkRef[] = [];
  const n = bytes.length;
  let offset = 0;
  while (offset < n) {
    const length = scanner.next(bytes, offset, n - offset, true);
    out.push(p.hashes ? { offset, length, hash: scanner.hash } : { offset, length });
    offset += length;
  }
  return out;
}

/**
 * Cut points only: the end offset of every chunk of `bytes`, in order (the last equals `bytes.length`). The
 * lightest form of {@link chunk}: one Float64Array, no object per chunk.
 * @throws as {@link chunk}.
 */
export function cutPoints(bytes: Uint8Array, options?: FastCdcOptions): Float64Array {
  assertBytes('fastcdc.cutPoints', 'bytes', bytes);
  const p = resolveOptions('fastcdc.cutPoints', options);
  const scanner = new Scanner(p);
  scanner.invalidate();
  const n = bytes.length;
  // At most one cut per `min` bytes (plus the tail); grown on the rare odd-min case that cuts at min - 1.
  let out = new Float64Array(Math.ceil(n / Math.max(1, p.start)) + 1);
  let count = 0;
  let offset = 0;
  while (offset < n) {
    offset += scanner.next(bytes, offset, n - offset, true);
    if (count === out.length) {
      const grown = new Float64Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[count++] = offset;
  }
  return out.slice(0, count);
}
