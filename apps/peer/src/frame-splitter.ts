import { CodecError } from '@syncwire/bytes';

/** The CRC-32C trailer every session frame carries after its payload (RFC 0008 §Session). */
const TRAILER = 4;

/**
 * Splits a byte stream (TCP) into whole session frames, `uvarint length ‖ payload ‖ CRC-32C LE32`, exactly as
 * `SyncSession.handleFrame` takes them: header and trailer included, the CRC left for the session to check.
 *
 * Why not `FrameDecoder` from `@syncwire/tlv`: it returns the payload only and (with `checksum`) verifies the
 * CRC itself, so the session would get a re-wrapped copy and the CRC would be computed twice, although the
 * session skips it for a CHUNK whose data verifies against its SHA-256 record (the bulk of the bytes).
 *
 * Memory is bounded: the declared length is checked against `maxFrame` (the whole frame's size, the session's
 * own limit) as each varint byte arrives, before anything is buffered, and at most one partial frame is held.
 * A frame inside one pushed chunk is a zero-copy view of it; a frame spanning chunks is assembled into a buffer
 * of exactly its size.
 */
export class FrameSplitter {
  readonly maxFrame: number;
  // Length varint being read, possibly across chunks.
  #value = 0;
  #groups = 0;
  readonly #header = new Uint8Array(8);
  // Frame being assembled across chunks.
  #frame: Uint8Array | null = null;
  #filled = 0;
  #failed: CodecError | null = null;
  /** Bytes taken so far (for error offsets). */
  #offset = 0;

  /** @throws RangeError unless `maxFrame` is an integer 16..2^31. */
  constructor(maxFrame: number) {
    if (!Number.isInteger(maxFrame) || maxFrame < 16 || maxFrame > 2 ** 31) {
      throw new RangeError(`FrameSplitter: maxFrame expected an integer 16..2^31, got ${maxFrame}`);
    }
    this.maxFrame = maxFrame;
  }

  /** True while part of a frame has arrived but not all of it. */
  get pending(): boolean {
    return this.#groups > 0 || this.#frame !== null;
  }

  /** Bytes held for a partial frame (at most `maxFrame`). */
  get buffered(): number {
    return this.#frame === null ? this.#groups : this.#filled;
  }

  /**
   * Takes the next chunk of the stream and returns the whole frames it completes, in order (often none).
   * @throws CodecError `limit_exceeded` (a declared length makes the frame larger than `maxFrame`) or
   *   `not_minimal` (a length varint with a redundant zero group). The splitter stays failed afterwards.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failed) throw this.#failed;
    const out: Uint8Array[] = [];
    let p = 0;
    const n = chunk.length;
    while (p < n) {
      if (this.#frame !== null) {
        const f = this.#frame;
        const take = Math.min(f.length - this.#filled, n - p);
        f.set(chunk.subarray(p, p + take), this.#filled);
        this.#filled += take;
        p += take;
        if (this.#filled === f.length) {
          out.push(f);
          this.#frame = null;
        }
        continue;
      }
      // The length varint, one byte at a time: it may span chunks, and the limit is checked on every byte so a
      // hostile 2^60 is refused after its first bytes with nothing buffered.
      const start = p;
      let done = false;
      while (p < n) {
        const b = chunk[p++]!;
        if (this.#groups < this.#header.length) this.#header[this.#groups] = b;
        this.#value += (b & 0x7f) * 2 ** (7 * this.#groups);
        this.#groups++;
        if (this.#value + this.#groups + TRAILER > this.maxFrame || (b >= 0x80 && this.#groups >= 5)) {
          this.#fail('limit_exceeded', `frame declares ${this.#value}+ bytes, limit ${this.maxFrame}`, p);
        }
        if (b < 0x80) {
          if (b === 0 && this.#groups > 1) this.#fail('not_minimal', 'frame length varint is not minimal', p);
          done = true;
          break;
        }
      }
      if (!done) break;
      const headerLength = this.#groups;
      const total = headerLength + this.#value + TRAILER;
      this.#value = 0;
      this.#groups = 0;
      // Whole frame inside this chunk: a view, no copy.
      if (headerLength === p - start && n - start >= total) {
        out.push(chunk.subarray(start, start + total));
        p = start + total;
        continue;
      }
      const f = new Uint8Array(total);
      f.set(this.#header.subarray(0, headerLength), 0);
      this.#frame = f;
      this.#filled = headerLength;
    }
    this.#offset += n;
    return out;
  }

  #fail(code: 'limit_exceeded' | 'not_minimal', message: string, at: number): never {
    this.#failed = new CodecError(code, `FrameSplitter: ${message}`, this.#offset + at);
    this.#frame = null;
    throw this.#failed;
  }
}
