import { assertBytes, assertInteger, CodecError, describe, isCodecError } from '@syncwire/bytes';
import { uvarint } from '@syncwire/varint';
import type { MerkleOptions } from './options.ts';
import { StreamVerifier } from './stream-verifier.ts';
import type { MerkleTree } from './tree.ts';

/** Options of {@link VerifiedStreamDecoder}. */
export interface VerifiedStreamOptions extends MerkleOptions {
  /** Largest leaf accepted, in bytes, checked when its length prefix arrives. Default 1 MiB. */
  maxLeafSize?: number;
}

/**
 * One record of a verified stream: `stream proof || uvarint(leaf.length) || leaf`. The receiver knows
 * how many proof hashes come next from the tree shape, so the proof needs no length.
 * @throws TypeError unless both are Uint8Array.
 */
export function encodeStreamRecord(streamProof: Uint8Array, leaf: Uint8Array): Uint8Array {
  assertBytes('encodeStreamRecord', 'streamProof', streamProof);
  assertBytes('encodeStreamRecord', 'leaf', leaf);
  const out = new Uint8Array(streamProof.length + uvarint.encodingLength(leaf.length) + leaf.length);
  out.set(streamProof, 0);
  const o = streamProof.length + uvarint.encodeInto(leaf.length, out, streamProof.length);
  out.set(leaf, o);
  return out;
}

/**
 * The whole verified stream of `tree`'s leaves: every record in order (see {@link encodeStreamRecord}).
 * `leaves` must be the leaves the tree was built from.
 * @throws TypeError/RangeError when `leaves` is not an array of `tree.size` Uint8Array.
 */
export function encodeStream(tree: MerkleTree, leaves: readonly Uint8Array[]): Uint8Array {
  if (!Array.isArray(leaves) || leaves.length !== tree.size) {
    throw new RangeError(
      `encodeStream: leaves expected an array of ${tree.size} Uint8Array, got ${describe(leaves)}`,
    );
  }
  const records = leaves.map((leaf, i) => encodeStreamRecord(tree.streamProof(i), leaf));
  let total = 0;
  for (const r of records) total += r.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const r of records) {
    out.set(r, o);
    o += r.length;
  }
  return out;
}

/**
 * Sans-IO receiver of a verified stream: feed it bytes as they come (any chunking) and it hands each
 * leaf to `onLeaf` the moment the leaf and its proof check out against the trusted root and size. A
 * tampered record throws a `CodecError` (`checksum_mismatch`, or a framing error such as
 * `limit_exceeded`/`not_minimal`) before any later leaf is delivered, and the decoder then stays failed:
 * every later `push`/`finish` rethrows the same error.
 *
 * Leaves are views (zero-copy) of the pushed chunk when a record lies within one chunk, otherwise
 * fresh copies; copy a view before the chunk's memory is reused. Memory is bounded by one record
 * (proof + maxLeafSize) plus the chunk being parsed.
 */
export class VerifiedStreamDecoder {
  readonly #v: StreamVerifier;
  readonly #size: number;
  readonly #maxLeaf: number;
  /** Unparsed bytes carried over between pushes (at most one partial record). */
  #carry = new Uint8Array(0);
  #carryLen = 0;
  #error: unknown;

  /** @throws TypeError/RangeError like {@link StreamVerifier}, or for a bad `maxLeafSize`. */
  constructor(root: Uint8Array, treeSize: number, options?: VerifiedStreamOptions) {
    this.#v = new StreamVerifier(root, treeSize, options);
    this.#size = root.length;
    const max = options?.maxLeafSize ?? 1 << 20;
    assertInteger('VerifiedStreamDecoder', 'options.maxLeafSize', max, 0, Number.MAX_SAFE_INTEGER);
    this.#maxLeaf = max;
  }

  /** Leaves verified and delivered so far. */
  get received(): number {
    return this.#v.received;
  }

  /** True once every leaf was delivered. */
  get done(): boolean {
    return this.#v.done;
  }

  /**
   * Parses and verifies whatever whole records `chunk` completes, calling `onLeaf(leaf, index)` for each.
   * @throws CodecError for a tampered or malformed record (and on every call after one);
   *   `trailing_bytes` for bytes after the last leaf; TypeError for a non-bytes chunk.
   */
  push(chunk: Uint8Array, onLeaf: (leaf: Uint8Array, index: number) => void): void {
    assertBytes('VerifiedStreamDecoder.push', 'chunk', chunk);
    if (this.#error !== undefined) throw this.#error;
    try {
      if (this.#carryLen === 0) {
        const used = this.#parse(chunk, onLeaf, false);
        this.#keep(chunk, used);
      } else {
        this.#append(chunk);
        const buf = this.#carry.subarray(0, this.#carryLen);
        const used = this.#parse(buf, onLeaf, true);
        this.#carry.copyWithin(0, used, this.#carryLen);
        this.#carryLen -= used;
      }
    } catch (e) {
      this.#error = e;
      throw e;
    }
  }

  /**
   * Confirms the stream is complete.
   * @throws CodecError `unexpected_eof` when leaves or bytes of a record are missing.
   */
  finish(): void {
    if (this.#error !== undefined) throw this.#error;
    if (!this.#v.done || this.#carryLen !== 0) {
      this.#error = new CodecError(
        'unexpected_eof',
        `VerifiedStreamDecoder.finish: ${this.#v.received} of ${this.#v.treeSize} leaves, ${this.#carryLen} bytes pending`,
      );
      throw this.#error;
    }
  }

  /** Parses whole records from `bytes`; returns the bytes consumed. */
  #parse(bytes: Uint8Array, onLeaf: (leaf: Uint8Array, index: number) => void, copy: boolean): number {
    const v = this.#v;
    let o = 0;
    while (o < bytes.length) {
      if (v.done)
        throw new CodecError('trailing_bytes', 'VerifiedStreamDecoder: bytes after the last leaf', o);
      const proofLen = v.nextProofLength() * this.#size;
      if (bytes.length - o <= proofLen) break;
      let len: number;
      let at: number;
      try {
        const d = uvarint.decode(bytes, o + proofLen);
        len = d.value;
        at = d.end;
      } catch (e) {
        if (isCodecError(e, 'unexpected_eof')) break;
        throw e;
      }
      // Limit before waiting for (and buffering) the leaf bytes.
      if (len > this.#maxLeaf) {
        throw new CodecError(
          'limit_exceeded',
          `VerifiedStreamDecoder: leaf of ${len} bytes, limit ${this.#maxLeaf}`,
          o + proofLen,
        );
      }
      if (bytes.length - at < len) break;
      const leaf = copy ? bytes.slice(at, at + len) : bytes.subarray(at, at + len);
      const index = v.received;
      v.push(leaf, bytes.subarray(o, o + proofLen));
      o = at + len;
      onLeaf(leaf, index);
    }
    return o;
  }

  #keep(chunk: Uint8Array, used: number): void {
    this.#carryLen = 0;
    this.#append(chunk.subarray(used));
  }

  #append(bytes: Uint8Array): void {
    const need = this.#carryLen + bytes.length;
    if (need > this.#carry.length) {
      const grown = new Uint8Array(Math.max(need, 2 * this.#carry.length, 256));
      grown.set(this.#carry.subarray(0, this.#carryLen));
      this.#carry = grown;
    }
    this.#carry.set(bytes, this.#carryLen);
    this.#carryLen = need;
  }
}

/**
 * Async-iterable adapter: yields the leaves of a verified stream as they check out.
 * @throws CodecError as {@link VerifiedStreamDecoder} does, including `unexpected_eof` at a short end.
 */
export async function* verifyStream(
  source: AsyncIterable<Uint8Array>,
  root: Uint8Array,
  treeSize: number,
  options?: VerifiedStreamOptions,
): AsyncGenerator<Uint8Array> {
  const dec = new VerifiedStreamDecoder(root, treeSize, options);
  const ready: Uint8Array[] = [];
  for await (const chunk of source) {
    let failure: unknown;
    try {
      dec.push(chunk, (leaf) => ready.push(leaf.slice()));
    } catch (e) {
      failure = e;
    }
    // Leaves that checked out before a bad record in the same chunk are still delivered, then the error.
    yield* ready.splice(0);
    if (failure !== undefined) throw failure;
  }
  dec.finish();
}
