import { assertBytes, assertInteger, describe } from '@syncwire/bytes';
import { type ByteSource, type Chunk, Chunker, type FastCdcOptions } from '@syncwire/fastcdc';
import { type Hasher, MerkleAppender } from '@syncwire/merkle';
import { MAX_CHUNK_COUNT } from './header.ts';
import { LEAF_RECORD_SIZE, writeLeafRecord } from './leaf-record.ts';
import { Manifest } from './manifest.ts';
import { type BuildOptions, DEFAULT_PAGE_BITS, MAX_BUILD_PAGE_BITS, resolveHasher } from './options.ts';

/** A chunk produced while building: its index, position, bytes and the leaf record written for it. */
export interface BlobChunk {
  /** Chunk index in the blob. */
  readonly index: number;
  /** Offset of the chunk's first byte in the blob. */
  readonly offset: number;
  /** Chunk bytes: a view of the pushed input when it lies inside one push, else a copy (see `Chunker`). */
  readonly bytes: Uint8Array;
}

function chunkingOptions(where: string, c: FastCdcOptions | undefined): FastCdcOptions | undefined {
  if (c === undefined) return undefined;
  if (typeof c !== 'object' || c === null) {
    throw new TypeError(`${where}: options.chunking expected an object, got ${describe(c)}`);
  }
  // The gear hash of a chunk is not part of the manifest: never ask the chunker for it.
  return { ...c, hashes: false };
}

/**
 * Builds a manifest in one pass as the blob's bytes arrive: FastCDC cuts chunks, each chunk is hashed
 * once into its 36-byte leaf record and appended to an O(log n) Merkle frontier. Memory: at most one
 * FastCDC `max` of pending bytes plus 36 bytes per chunk for the records (the manifest itself); the
 * blob's bytes are never buffered.
 *
 * @example
 * ```ts
 * const b = new ManifestBuilder();
 * for await (const piece of source) for (const c of b.push(piece)) await store(c.index, c.bytes);
 * for (const c of b.finish()) await store(c.index, c.bytes);
 * const manifest = b.manifest(); // manifest.id is the BlobId
 * ```
 */
export class ManifestBuilder {
  readonly #hasher: Hasher;
  readonly #chunker: Chunker;
  readonly #appender: MerkleAppender;
  readonly #pageBits: number;
  #records = new Uint8Array(64 * LEAF_RECORD_SIZE);
  #count = 0;
  #bytes = 0;
  #result: Manifest | undefined;

  /** @throws TypeError/RangeError on bad options (hasher, chunking, pageBits 0..20). */
  constructor(options?: BuildOptions) {
    const where = 'ManifestBuilder';
    this.#hasher = resolveHasher(where, options);
    this.#pageBits = options?.pageBits ?? DEFAULT_PAGE_BITS;
    assertInteger(where, 'options.pageBits', this.#pageBits, 0, MAX_BUILD_PAGE_BITS);
    this.#chunker = new Chunker(chunkingOptions(where, options?.chunking));
    this.#appender = new MerkleAppender({ hasher: this.#hasher });
  }

  /** Chunks completed so far. */
  get chunkCount(): number {
    return this.#count;
  }

  /**
   * Adds blob bytes; returns the chunks they complete (possibly none), already recorded in the manifest.
   * @throws TypeError unless `bytes` is a Uint8Array; Error after {@link ManifestBuilder.finish}.
   */
  push(bytes: Uint8Array): BlobChunk[] {
    assertBytes('ManifestBuilder.push', 'bytes', bytes);
    this.#open('push');
    return this.#take(this.#chunker.push(bytes));
  }

  /** Ends the blob: returns the last chunks. Afterwards {@link ManifestBuilder.manifest} is available. */
  finish(): BlobChunk[] {
    this.#open('finish');
    const out = this.#take(this.#chunker.finish());
    this.#result = new Manifest(
      this.#hasher,
      this.#records.slice(0, this.#count * LEAF_RECORD_SIZE),
      this.#bytes,
      this.#appender.root(),
      this.#pageBits,
    );
    return out;
  }

  /** The finished manifest. @throws Error before {@link ManifestBuilder.finish}. */
  manifest(): Manifest {
    if (this.#result === undefined) throw new Error('ManifestBuilder.manifest: call finish() first');
    return this.#result;
  }

  #open(op: string): void {
    if (this.#result !== undefined) throw new Error(`ManifestBuilder.${op}: the builder is finished`);
  }

  #take(chunks: Chunk[]): BlobChunk[] {
    const out: BlobChunk[] = [];
    for (const c of chunks) {
      if (this.#count >= MAX_CHUNK_COUNT)
        throw new RangeError('ManifestBuilder: a blob holds at most 2^32 chunks');
      const at = this.#count * LEAF_RECORD_SIZE;
      if (at + LEAF_RECORD_SIZE > this.#records.length) {
        const grown = new Uint8Array(this.#records.length * 2);
        grown.set(this.#records);
        this.#records = grown;
      }
      const rec = this.#records.subarray(at, at + LEAF_RECORD_SIZE);
      writeLeafRecord(this.#hasher, c.bytes, this.#records, at);
      this.#appender.append(rec);
      out.push({ index: this.#count, offset: this.#bytes, bytes: c.bytes });
      this.#count++;
      this.#bytes += c.length;
    }
    return out;
  }
}

/** Manifest of `bytes` in one call. @throws as {@link ManifestBuilder}. */
export function buildManifest(bytes: Uint8Array, options?: BuildOptions): Manifest {
  assertBytes('buildManifest', 'bytes', bytes);
  const b = new ManifestBuilder(options);
  b.push(bytes);
  b.finish();
  return b.manifest();
}

async function* pieces(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (typeof (source as { getReader?: unknown }).getReader === 'function') {
    const reader = (
      source as {
        getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; releaseLock(): void };
      }
    ).getReader();
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) return;
        yield r.value as Uint8Array;
      }
    } finally {
      reader.releaseLock();
    }
  }
  yield* source as AsyncIterable<Uint8Array>;
}

/**
 * Manifest of a stream of byte pieces (`AsyncIterable<Uint8Array>`, `Iterable<Uint8Array>` or a Web
 * `ReadableStream`) in one pass with bounded memory. `onChunk`, when given, sees every chunk (for example to
 * store it) before the next piece is read; it may return a promise, which is awaited.
 * @throws TypeError when the source or a piece is not bytes; as {@link ManifestBuilder} on bad options.
 */
export async function buildManifestFromStream(
  source: ByteSource,
  options?: BuildOptions & { onChunk?: (chunk: BlobChunk) => unknown },
): Promise<Manifest> {
  const where = 'buildManifestFromStream';
  if (
    typeof source !== 'object' ||
    source === null ||
    !(Symbol.asyncIterator in source || Symbol.iterator in source || 'getReader' in source)
  ) {
    throw new TypeError(
      `${where}: source expected an AsyncIterable, Iterable or ReadableStream, got ${describe(source)}`,
    );
  }
  const onChunk = options?.onChunk;
  if (onChunk !== undefined && typeof onChunk !== 'function') {
    throw new TypeError(`${where}: options.onChunk expected a function, got ${describe(onChunk)}`);
  }
  const b = new ManifestBuilder(options);
  for await (const piece of pieces(source)) {
    assertBytes(where, 'piece', piece);
    for (const c of b.push(piece)) if (onChunk) await onChunk(c);
  }
  for (const c of b.finish()) if (onChunk) await onChunk(c);
  return b.manifest();
}
