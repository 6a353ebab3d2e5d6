import { assertInteger, CodecError } from '@syncwire/bytes';
import { RibltDecoder, type RibltDecoderState, type RibltResult } from './riblt-decoder.ts';
import type { CodedSymbolSource } from './riblt-source.ts';
import {
  DEFAULT_RIBLT_LIMITS,
  decodeRibltMessage,
  encodeDone,
  encodeGiveUp,
  encodeSymbols,
  encodeWant,
  type RibltWireLimits,
} from './riblt-wire.ts';

/** Options of {@link RibltResponder}. */
export interface RibltResponderOptions extends RibltWireLimits {
  /** Symbols per SYMBOLS message. Default 64 (≈ 2.7 KB frames). */
  batchSize?: number;
}

/**
 * The answering side of a RIBLT exchange, sans-IO: `receive()` the requester's WANT / DONE / GIVE_UP messages,
 * `poll()` SYMBOLS batches while the transport is writable. Served from a cached {@link RibltSketch} this is a
 * memory copy per batch; the stream ends at the requested count, the source's capacity, or DONE.
 */
export class RibltResponder {
  readonly #source: CodedSymbolSource;
  readonly #limits: Required<RibltWireLimits>;
  readonly #batchSize: number;
  #next = 0;
  #end = 0;
  #finished = false;
  #sent = 0;

  constructor(source: CodedSymbolSource, options: RibltResponderOptions = {}) {
    this.#source = source;
    this.#limits = { ...DEFAULT_RIBLT_LIMITS, ...options };
    const batchSize = options.batchSize ?? 64;
    assertInteger('RibltResponder', 'batchSize', batchSize, 1, this.#limits.maxBatchSymbols);
    this.#batchSize = batchSize;
  }

  /** True once the requester said DONE or GIVE_UP. */
  get finished(): boolean {
    return this.#finished;
  }

  /** Symbols sent so far. */
  get sent(): number {
    return this.#sent;
  }

  /** Handles one message from the requester. Throws {@link CodecError} for malformed or unexpected ones. */
  receive(message: Uint8Array): void {
    const msg = decodeRibltMessage(message, this.#limits);
    if (msg.type === 'want') {
      const cap = Math.min(this.#limits.maxSymbols, this.#source.maxSymbols);
      this.#next = Math.min(msg.start, cap);
      this.#end = Math.min(msg.start + msg.count, cap);
    } else if (msg.type === 'done' || msg.type === 'give-up') {
      this.#finished = true;
      this.#end = this.#next;
    } else {
      throw new CodecError('invalid_tag', `RibltResponder: unexpected ${msg.type} message`, 0);
    }
  }

  /** The next SYMBOLS message to send, or `undefined` when nothing is owed. */
  poll(): Uint8Array | undefined {
    if (this.#finished || this.#next >= this.#end) return undefined;
    const count = Math.min(this.#batchSize, this.#end - this.#next);
    const { cells, offset } = this.#source.symbolCells(this.#next, count);
    const out = encodeSymbols(cells, offset, this.#next, count, this.#source.size);
    this.#next += count;
    this.#sent += count;
    return out;
  }
}

/** Options of {@link RibltRequester}. */
export interface RibltRequesterOptions extends RibltWireLimits {}

/**
 * The decoding side of a RIBLT exchange, sans-IO. `start()` returns one WANT for the whole stream up to the
 * symbol cap (one round trip: the responder streams until told to stop); each `receive(batch)` decodes and
 * returns DONE once the difference is known, GIVE_UP at the cap (fall back to Negentropy), else `undefined`.
 */
export class RibltRequester {
  readonly #decoder: RibltDecoder;

  /** @param local this side's symbols under the session key. */
  constructor(local: CodedSymbolSource, options: RibltRequesterOptions = {}) {
    this.#decoder = new RibltDecoder(local, options);
  }

  /** `running`, `decoded` or `failed`. */
  get state(): RibltDecoderState {
    return this.#decoder.state;
  }

  /** Why it failed, if it did. */
  get failure(): string | undefined {
    return this.#decoder.failure;
  }

  /** Coded symbols consumed. */
  get received(): number {
    return this.#decoder.received;
  }

  /** The WANT message opening the exchange. */
  start(): Uint8Array {
    return encodeWant(0, this.#decoder.maxSymbols);
  }

  /**
   * Handles one SYMBOLS message; returns DONE / GIVE_UP bytes to send when the exchange ends, else `undefined`.
   * Throws {@link CodecError} for malformed input (the caller may then give up and fall back).
   */
  receive(message: Uint8Array): Uint8Array | undefined {
    if (this.#decoder.state !== 'running') return undefined;
    const state = this.#decoder.push(message);
    if (state === 'decoded') return encodeDone();
    if (state === 'failed') return encodeGiveUp();
    return undefined;
  }

  /** The difference once decoded; `undefined` before ("not yet") or after a failure. */
  result(): RibltResult | undefined {
    return this.#decoder.result();
  }
}
