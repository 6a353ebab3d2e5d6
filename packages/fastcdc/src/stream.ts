import { assertBytes, describe } from '@syncwire/bytes';
import { type Chunk, Chunker } from './chunker.ts';
import type { FastCdcOptions } from './options.ts';

/**
 * The part of a Web `ReadableStream<Uint8Array>` the adapter uses (declared here so the library needs no DOM
 * types).
 */
export interface ReadableStreamLike {
  getReader(): {
    read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
    releaseLock(): void;
    cancel(reason?: unknown): Promise<void>;
  };
}

/** Any source of byte pieces {@link chunkStream} accepts. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStreamLike;

function isReadableStream(v: unknown): v is ReadableStreamLike {
  return typeof v === 'object' && v !== null && typeof (v as ReadableStreamLike).getReader === 'function';
}

async function* pieces(where: string, source: ByteSource): AsyncGenerator<Uint8Array> {
  if (isReadableStream(source)) {
    // getReader() rather than async iteration: Safari's ReadableStream is not async-iterable.
    const reader = source.getReader();
    let done = false;
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) {
          done = true;
          return;
        }
        yield r.value as Uint8Array;
      }
    } finally {
      // Stopped early (break, throw): cancel the stream so its producer stops too.
      if (!done) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
  if (
    typeof source === 'object' &&
    source !== null &&
    (Symbol.asyncIterator in source || Symbol.iterator in source)
  ) {
    yield* source as AsyncIterable<Uint8Array>;
    return;
  }
  throw new TypeError(
    `${where}: source expected an AsyncIterable, Iterable or ReadableStream of Uint8Array, got ${describe(source)}`,
  );
}

/**
 * Chunks a stream of byte pieces (`AsyncIterable<Uint8Array>`, `Iterable<Uint8Array>` or a Web
 * `ReadableStream<Uint8Array>`) into the same chunks {@link chunk} gives for the concatenated input. Chunks
 * that lie inside one piece are zero-copy views of it, so the source must not reuse a piece's memory after
 * handing it over (Node streams and `fetch` bodies do not). Holds at most `max` bytes besides the current piece.
 *
 * @example
 * ```ts
 * for await (const c of chunkStream(fs.createReadStream(path), { avg: 65536 })) await store(c.bytes);
 * ```
 * @throws TypeError (when iterated) if the source or one of its pieces is not bytes; RangeError/TypeError on
 *   bad options, as {@link chunk}.
 */
export async function* chunkStream(
  source: ByteSource,
  options?: FastCdcOptions,
): AsyncGenerator<Chunk, void> {
  const chunker = new Chunker(options);
  for await (const piece of pieces('fastcdc.chunkStream', source)) {
    assertBytes('fastcdc.chunkStream', 'piece', piece);
    yield* chunker.push(piece);
  }
  yield* chunker.finish();
}
