import { assertBytes, CodecError, isCodecError } from '@syncwire/bytes';
import { uvarint } from '@syncwire/varint';
import { crc32c } from './crc32c.ts';
import { type FrameOptions, type ResolvedFrameOptions, resolveFrameOptions } from './frame-options.ts';

const EMPTY = new Uint8Array(0);

/** Options of {@link FrameDecoder}. */
export interface FrameDecoderOptions extends FrameOptions {
  /**
   * Return each whole frame (length varint ‖ payload ‖ trailer) instead of its payload, and leave the CRC-32C
   * trailer unchecked: for a consumer that takes frames as they are on the wire and checks them itself (a
   * sync session skips the CRC of a chunk whose SHA-256 verifies). Default `false`.
   */
  raw?: boolean;
}

/**
 * Streaming decoder for length-prefixed frames. `push` byte chunks split anywhere, then call `read` until
 * it returns `null` ("need more bytes"); `finish` at end of input. Memory is bounded: the declared length is
 * checked against `maxFrameSize` as its varint is read, before any buffering, and at most one partial frame
 * is held.
 *
 * Zero-copy: a frame that lies inside one pushed chunk is returned as a view into that chunk (do not reuse
 * the chunk's memory while you hold the frame); a frame spanning chunks is assembled into a fresh buffer.
 *
 * Bad bytes throw CodecError (`limit_exceeded`, `not_minimal`, `checksum_mismatch`, and `unexpected_eof`
 * from `finish`) with the stream offset; after an error the decoder stays failed. With `raw`, `read` returns
 * whole frames and never checks the trailer.
 *
 * @example
 * ```ts
 * const d = new FrameDecoder({ maxFrameSize: 64 * 1024 });
 * for await (const chunk of socket) {
 *   d.push(chunk);
 *   for (let f = d.read(); f !== null; f = d.read()) handle(f);
 * }
 * d.finish(); // throws if the stream stopped inside a frame
 * ```
 */
export class FrameDecoder {
  readonly #opts: ResolvedFrameOptions;
  readonly #raw: boolean;
  #chunk: Uint8Array = EMPTY;
  #pos = 0;
  readonly #queue: Uint8Array[] = [];
  /** Stream offset of `#chunk[0]`. */
  #base = 0;
  // Length varint being read across chunks.
  #header = 0;
  #groups = 0;
  #frameStart = 0;
  // Frame body (payload + trailer; raw: the whole frame) being assembled across chunks.
  #body: Uint8Array | null = null;
  #filled = 0;
  #failed: CodecError | null = null;

  /** @throws TypeError/RangeError for bad options. */
  constructor(options?: FrameDecoderOptions) {
    this.#opts = resolveFrameOptions('FrameDecoder', options);
    const raw = options?.raw ?? false;
    if (typeof raw !== 'boolean') throw new TypeError('FrameDecoder: raw expected a boolean');
    this.#raw = raw;
  }

  /** Queues a chunk of the byte stream (any size, empty included). */
  push(chunk: Uint8Array): void {
    assertBytes('FrameDecoder.push', 'chunk', chunk);
    if (this.#failed) throw this.#failed;
    if (chunk.length === 0) return;
    if (this.#pos >= this.#chunk.length && this.#queue.length === 0) {
      this.#base += this.#chunk.length;
      this.#chunk = chunk;
      this.#pos = 0;
    } else this.#queue.push(chunk);
  }

  /** The next whole frame's payload (with `raw`, the whole frame), or `null` when more bytes are needed. */
  read(): Uint8Array | null {
    if (this.#failed) throw this.#failed;
    try {
      return this.#read();
    } catch (e) {
      if (isCodecError(e)) this.#failed = e;
      throw e;
    }
  }

  /** True while part of a frame has been received but not yet returned. */
  get pending(): boolean {
    return this.#groups > 0 || this.#body !== null;
  }

  /**
   * Ends the stream: returns any frames still unread (usually none) and throws `unexpected_eof` if the
   * stream stopped inside a frame.
   */
  finish(): Uint8Array[] {
    const rest: Uint8Array[] = [];
    for (let f = this.read(); f !== null; f = this.read()) rest.push(f);
    if (this.pending) {
      this.#failed = new CodecError(
        'unexpected_eof',
        'FrameDecoder: stream ended inside a frame',
        this.#frameStart,
      );
      throw this.#failed;
    }
    return rest;
  }

  #nextChunk(): boolean {
    const next = this.#queue.shift();
    if (next === undefined) return false;
    this.#base += this.#chunk.length;
    this.#chunk = next;
    this.#pos = 0;
    return true;
  }

  #read(): Uint8Array | null {
    const { maxFrameSize, trailer } = this.#opts;
    for (;;) {
      if (this.#pos >= this.#chunk.length && !this.#nextChunk()) return null;
      if (this.#body !== null) {
        const body = this.#body;
        const take = Math.min(body.length - this.#filled, this.#chunk.length - this.#pos);
        body.set(this.#chunk.subarray(this.#pos, this.#pos + take), this.#filled);
        this.#filled += take;
        this.#pos += take;
        if (this.#filled < body.length) continue;
        this.#body = null;
        return this.#raw ? body : this.#verify(body, body.length - trailer);
      }
      // Length varint: one byte at a time so it may span chunks; the limit is checked on every group,
      // so a hostile 2^60 is refused after its first bytes and nothing is allocated for it.
      const c = this.#chunk;
      let p = this.#pos;
      if (this.#groups === 0) this.#frameStart = this.#base + p;
      let done = false;
      while (p < c.length) {
        const b = c[p++]!;
        this.#header += (b & 0x7f) * 2 ** (7 * this.#groups);
        this.#groups++;
        if (this.#header > maxFrameSize || (this.#groups >= 8 && b >= 0x80)) {
          throw new CodecError(
            'limit_exceeded',
            `FrameDecoder: declared length above maxFrameSize ${maxFrameSize}`,
            this.#frameStart,
          );
        }
        if (b < 0x80) {
          if (b === 0 && this.#groups > 1) {
            throw new CodecError(
              'not_minimal',
              'FrameDecoder: length varint is not minimal',
              this.#frameStart,
            );
          }
          done = true;
          break;
        }
      }
      this.#pos = p;
      if (!done) continue;
      const length = this.#header + trailer;
      const headerLength = this.#groups;
      const declared = this.#header;
      this.#header = 0;
      this.#groups = 0;
      if (c.length - p >= length) {
        this.#pos = p + length;
        if (!this.#raw) return this.#verify(c.subarray(p, p + length), length - trailer);
        // A view when the length varint is in this chunk too; otherwise its (minimal, so identical) bytes again.
        const start = this.#frameStart - this.#base;
        if (start >= 0) return c.subarray(start, p + length);
      }
      if (this.#raw) {
        const frame = new Uint8Array(headerLength + length);
        uvarint.encodeInto(declared, frame, 0);
        const take = Math.min(length, c.length - p);
        frame.set(c.subarray(p, p + take), headerLength);
        this.#pos = p + take;
        if (take === length) return frame;
        this.#body = frame;
        this.#filled = headerLength + take;
        continue;
      }
      this.#body = new Uint8Array(length);
      this.#filled = 0;
    }
  }

  #verify(body: Uint8Array, payloadLength: number): Uint8Array {
    const payload = body.subarray(0, payloadLength);
    if (this.#opts.trailer) {
      const t = payloadLength;
      const stored = (body[t]! | (body[t + 1]! << 8) | (body[t + 2]! << 16) | (body[t + 3]! << 24)) >>> 0;
      if (crc32c(payload) !== stored) {
        throw new CodecError(
          'checksum_mismatch',
          'FrameDecoder: CRC-32C does not match the payload',
          this.#frameStart,
        );
      }
    }
    return payload;
  }
}
