/**
 * FastCDC content-defined chunking, cut for cut identical with the `fastcdc` Rust crate 4.0.1 (`v2020` module
 * by default, `v2016` on request): one-shot {@link chunk}, incremental {@link Chunker}, and {@link chunkStream}
 * for async iterables and Web streams. The gear loop runs in pure TypeScript or in an embedded WebAssembly kernel
 * (`engine` option), with identical cut points.
 *
 * @example
 * ```ts
 * import { chunk } from '@syncwire/fastcdc';
 * const refs = chunk(bytes, { min: 4096, avg: 16384, max: 65536 });
 * // [{ offset: 0, length: 21325 }, { offset: 21325, length: 17140 }, …]
 * ```
 * @module
 */
export { type ChunkRef, chunk, cutPoints } from './chunk.ts';
export { type Chunk, Chunker } from './chunker.ts';
export {
  DEFAULTS,
  type FastCdcEngine,
  type FastCdcOptions,
  type FastCdcVariant,
  LIMITS,
  logarithm2,
} from './options.ts';
export { type ByteSource, chunkStream, type ReadableStreamLike } from './stream.ts';
