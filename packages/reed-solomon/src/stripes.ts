import { assertBytes, assertInteger, CodecError, describe } from '@syncwire/bytes';
import { checkLength, readTrailer, TRAILER_BYTES, writeTrailer } from './framing.ts';
import { type MaybeShards, ReedSolomon, type ReedSolomonOptions } from './reed-solomon.ts';

/** Options for {@link StripeEncoder} and {@link encodeStream}. */
export interface StripeEncoderOptions extends ReedSolomonOptions {
  /** Bytes per shard in each stripe; a stripe carries k × shardSize bytes of the stream. Default 65536. */
  shardSize?: number;
}

/** Options for {@link StripeDecoder} and {@link decodeStream}. */
export interface StripeDecoderOptions extends ReedSolomonOptions {
  /** Largest stream accepted; exceeding it throws `limit_exceeded` as soon as it is certain. Default 2^53 − 1. */
  maxLength?: number;
}

/**
 * Striped streaming encoder for inputs larger than memory. The stream is framed as
 * `data ‖ zero padding ‖ u64le(length)` (the blob framing of rfcs/0004) and cut into stripes of k × shardSize
 * bytes; each stripe becomes k data + m parity shards of `shardSize` bytes. Memory: one stripe being filled,
 * (k + m) × shardSize bytes; every emitted stripe is a new buffer the caller owns.
 *
 * @example
 * ```ts
 * const enc = new StripeEncoder(4, 2, { shardSize: 4096 });
 * for (const chunk of chunks) for (const stripe of enc.push(chunk)) store(stripe);
 * for (const stripe of enc.finish()) store(stripe);
 * ```
 */
export class StripeEncoder {
  readonly #rs: ReedSolomon;
  readonly #shardSize: number;
  readonly #stripeBytes: number;
  #cur: Uint8Array | undefined;
  #fill = 0;
  #total = 0;
  #done = false;

  /**
   * @throws TypeError / RangeError for a bad k, m or option (shardSize is an integer in [1, 2^30]).
   */
  constructor(dataShards: number, parityShards: number, options: StripeEncoderOptions = {}) {
    this.#rs = new ReedSolomon(dataShards, parityShards, options);
    const shardSize = options.shardSize ?? 65536;
    assertInteger('StripeEncoder', 'options.shardSize', shardSize, 1, 2 ** 30);
    this.#shardSize = shardSize;
    this.#stripeBytes = dataShards * shardSize;
  }

  /**
   * Adds bytes; returns the stripes they completed (often none), each k + m shards.
   * @throws TypeError if `chunk` is not a Uint8Array; Error after {@link StripeEncoder.finish}.
   */
  push(chunk: Uint8Array): Uint8Array[][] {
    assertBytes('StripeEncoder.push', 'chunk', chunk);
    if (this.#done) throw new Error('StripeEncoder.push: called after finish()');
    const out: Uint8Array[][] = [];
    this.#write(chunk, chunk.length, out);
    this.#total += chunk.length;
    return out;
  }

  /** Writes the padding and length trailer; returns the last stripes (one, or more when stripes are tiny). */
  finish(): Uint8Array[][] {
    if (this.#done) throw new Error('StripeEncoder.finish: called twice');
    this.#done = true;
    const out: Uint8Array[][] = [];
    const used = (this.#total + TRAILER_BYTES) % this.#stripeBytes;
    const padding = used === 0 ? 0 : this.#stripeBytes - used;
    this.#write(undefined, padding, out);
    const trailer = new Uint8Array(TRAILER_BYTES);
    writeTrailer(trailer, 0, this.#total);
    this.#write(trailer, TRAILER_BYTES, out);
    return out;
  }

  /** Appends `n` bytes of `bytes` (zeros when undefined: fresh stripes are zeroed), emitting full stripes. */
  #write(bytes: Uint8Array | undefined, n: number, out: Uint8Array[][]): void {
    let at = 0;
    while (at < n) {
      if (this.#cur === undefined) this.#cur = this.#newStripe();
      const step = Math.min(n - at, this.#stripeBytes - this.#fill);
      if (bytes !== undefined) this.#cur.set(bytes.subarray(at, at + step), this.#fill);
      this.#fill += step;
      at += step;
      if (this.#fill === this.#stripeBytes) out.push(this.#emit());
    }
  }

  #newStripe(): Uint8Array {
    return new Uint8Array(this.#rs.totalShards * this.#shardSize);
  }

  #emit(): Uint8Array[] {
    const buf = this.#cur as Uint8Array;
    const s = this.#shardSize;
    const shards = Array.from({ length: this.#rs.totalShards }, (_, i) => buf.subarray(i * s, (i + 1) * s));
    this.#rs.encode(shards);
    this.#cur = undefined;
    this.#fill = 0;
    return shards;
  }
}

/**
 * Streaming decoder for {@link StripeEncoder}'s stripes: rebuilds each stripe's data from any k of its shards
 * and returns the stream bytes as soon as they cannot be padding or trailer. Memory: one stripe of data plus
 * 7 bytes. The shard size is taken from the first stripe.
 */
export class StripeDecoder {
  readonly #rs: ReedSolomon;
  readonly #maxLength: number;
  #shardSize = -1;
  #tail: Uint8Array = new Uint8Array(0);
  #seen = 0;
  #done = false;

  /** @throws TypeError / RangeError for a bad k, m or option. */
  constructor(dataShards: number, parityShards: number, options: StripeDecoderOptions = {}) {
    this.#rs = new ReedSolomon(dataShards, parityShards, options);
    const maxLength = options.maxLength ?? Number.MAX_SAFE_INTEGER;
    assertInteger('StripeDecoder', 'options.maxLength', maxLength, 0, Number.MAX_SAFE_INTEGER);
    this.#maxLength = maxLength;
  }

  /**
   * Takes one stripe (k + m entries, `null`/`undefined` for lost shards; the array is not modified) and
   * returns the stream bytes now certain to be data (possibly empty).
   * @throws TypeError / RangeError as {@link ReedSolomon.reconstruct}, or if the shard size changes.
   * @throws CodecError `limit_exceeded` once the stream is certainly longer than `maxLength`.
   */
  push(stripe: MaybeShards): Uint8Array {
    const where = 'StripeDecoder.push';
    if (this.#done) throw new Error(`${where}: called after finish()`);
    if (!Array.isArray(stripe))
      throw new TypeError(`${where}: stripe expected an array, got ${describe(stripe)}`);
    const data = this.#rs.reconstructData(stripe.slice());
    const s = (data[0] as Uint8Array).length;
    if (this.#shardSize === -1) {
      if (s === 0) throw new RangeError(`${where}: shards must not be empty`);
      this.#shardSize = s;
    } else if (s !== this.#shardSize) {
      throw new RangeError(`${where}: shard size ${s} differs from the first stripe's ${this.#shardSize}`);
    }
    const stripeBytes = data.length * s;
    // Padding (< one stripe) plus trailer can span into the previous stripe by at most 7 bytes.
    const hold = stripeBytes + TRAILER_BYTES - 1;
    const combined = new Uint8Array(this.#tail.length + stripeBytes);
    combined.set(this.#tail);
    data.forEach((d, i) => {
      combined.set(d, this.#tail.length + i * s);
    });
    this.#seen += stripeBytes;
    const minLength = this.#seen - hold;
    if (minLength > this.#maxLength) {
      throw new CodecError('limit_exceeded', `${where}: stream longer than maxLength ${this.#maxLength}`);
    }
    const release = Math.max(0, combined.length - hold);
    this.#tail = combined.slice(release);
    return combined.subarray(0, release);
  }

  /**
   * Ends the stream: checks the trailer and padding and returns the last data bytes.
   * @throws CodecError `unexpected_eof` (under 8 bytes of stripes), `out_of_range`, `not_minimal`, `invalid_value`
   *   (non-zero padding), `overflow`, `limit_exceeded`.
   */
  finish(): Uint8Array {
    const where = 'StripeDecoder.finish';
    if (this.#done) throw new Error(`${where}: called twice`);
    this.#done = true;
    if (this.#seen < TRAILER_BYTES) {
      throw new CodecError(
        'unexpected_eof',
        `${where}: ${this.#seen} bytes of stripes cannot hold the trailer`,
        0,
      );
    }
    const tail = this.#tail;
    const length = readTrailer(tail, tail.length - TRAILER_BYTES);
    checkLength(length, this.#seen, this.#rs.dataShards * this.#shardSize, this.#maxLength, where);
    const start = this.#seen - tail.length;
    for (let i = length - start; i < tail.length - TRAILER_BYTES; i++) {
      if (tail[i] !== 0) throw new CodecError('invalid_value', `${where}: non-zero padding byte`, start + i);
    }
    return tail.slice(0, length - start);
  }
}

/** Async adapter: encodes a byte stream into stripes. Options as {@link StripeEncoder}. */
export async function* encodeStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  dataShards: number,
  parityShards: number,
  options: StripeEncoderOptions = {},
): AsyncGenerator<Uint8Array[]> {
  const enc = new StripeEncoder(dataShards, parityShards, options);
  for await (const chunk of source) yield* enc.push(chunk);
  yield* enc.finish();
}

/** Async adapter: decodes stripes (lost shards `null`) back into the byte stream. Options as {@link StripeDecoder}. */
export async function* decodeStream(
  source: AsyncIterable<MaybeShards> | Iterable<MaybeShards>,
  dataShards: number,
  parityShards: number,
  options: StripeDecoderOptions = {},
): AsyncGenerator<Uint8Array> {
  const dec = new StripeDecoder(dataShards, parityShards, options);
  for await (const stripe of source) {
    const bytes = dec.push(stripe);
    if (bytes.length > 0) yield bytes;
  }
  const last = dec.finish();
  if (last.length > 0) yield last;
}
