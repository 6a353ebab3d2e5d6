import { assertBytes, assertInteger, CodecError, describe } from '@syncwire/bytes';
import { checkLength, readTrailer, TRAILER_BYTES, writeTrailer } from './framing.ts';
import { MAX_TOTAL_SHARDS } from './reed-solomon.ts';

/** Options for {@link joinBlob}. */
export interface JoinBlobOptions {
  /** Largest blob accepted, checked before the output is allocated. Default `Number.MAX_SAFE_INTEGER`. */
  maxLength?: number;
}

/** The shard length {@link splitBlob} uses for `length` bytes over `k` shards: ⌈(length + 8) / k⌉. */
export function blobShardLength(length: number, k: number): number {
  assertInteger('blobShardLength', 'length', length, 0, Number.MAX_SAFE_INTEGER - TRAILER_BYTES);
  assertInteger('blobShardLength', 'k', k, 1, MAX_TOTAL_SHARDS - 1);
  return Math.ceil((length + TRAILER_BYTES) / k);
}

/**
 * Splits `data` into `k` equal data shards with its length recorded: the shards hold
 * `data ‖ zeros ‖ u64le(data.length)`, each {@link blobShardLength} bytes. The shards are views of one new
 * buffer (`data` is copied, never aliased). Feed them with m parity slots to {@link ReedSolomon.encode}.
 *
 * @throws TypeError if `data` is not a Uint8Array or `k` not an integer.
 * @throws RangeError unless 1 ≤ k ≤ 255.
 */
export function splitBlob(data: Uint8Array, k: number): Uint8Array[] {
  assertBytes('splitBlob', 'data', data);
  assertInteger('splitBlob', 'k', k, 1, MAX_TOTAL_SHARDS - 1);
  const shardLength = Math.ceil((data.length + TRAILER_BYTES) / k);
  const framed = new Uint8Array(shardLength * k);
  framed.set(data);
  writeTrailer(framed, framed.length - TRAILER_BYTES, data.length);
  return Array.from({ length: k }, (_, i) => framed.subarray(i * shardLength, (i + 1) * shardLength));
}

/**
 * Joins the k data shards made by {@link splitBlob} (after reconstruction if some were lost) back into the
 * original bytes, a new array.
 *
 * @throws TypeError if `shards` is not a non-empty array of Uint8Arrays.
 * @throws RangeError if shards differ in length or there are more than 255.
 * @throws CodecError `unexpected_eof` (shards too short for a trailer), `out_of_range` (declared length larger
 *   than the shards), `not_minimal` (k or more padding bytes: shards longer than needed), `invalid_value` (non-zero padding),
 *   `overflow`, `limit_exceeded` (above `maxLength`).
 */
export function joinBlob(shards: readonly Uint8Array[], options: JoinBlobOptions = {}): Uint8Array {
  const where = 'joinBlob';
  if (!Array.isArray(shards))
    throw new TypeError(`${where}: shards expected an array, got ${describe(shards)}`);
  assertInteger(where, 'shards.length', shards.length, 1, MAX_TOTAL_SHARDS - 1);
  const maxLength = options.maxLength ?? Number.MAX_SAFE_INTEGER;
  assertInteger(where, 'options.maxLength', maxLength, 0, Number.MAX_SAFE_INTEGER);
  let shardLength = -1;
  shards.forEach((s, i) => {
    assertBytes(where, `shards[${i}]`, s);
    if (shardLength === -1) shardLength = s.length;
    else if (s.length !== shardLength) {
      throw new RangeError(`${where}: shards[${i}] has length ${s.length}, expected ${shardLength}`);
    }
  });
  const k = shards.length;
  const framed = k * shardLength;
  if (framed < TRAILER_BYTES) {
    throw new CodecError(
      'unexpected_eof',
      `${where}: ${framed} bytes of shards cannot hold the 8-byte trailer`,
      framed,
    );
  }
  // Read the trailer and check padding where they lie, without joining first: nothing is allocated until the
  // declared length has been checked against the bytes present and maxLength.
  const at = (pos: number): number =>
    (shards[Math.floor(pos / shardLength)] as Uint8Array)[pos % shardLength] as number;
  const trailer = new Uint8Array(TRAILER_BYTES);
  for (let i = 0; i < TRAILER_BYTES; i++) trailer[i] = at(framed - TRAILER_BYTES + i);
  const length = readTrailer(trailer, 0);
  checkLength(length, framed, k, maxLength, where);
  for (let pos = length; pos < framed - TRAILER_BYTES; pos++) {
    if (at(pos) !== 0) throw new CodecError('invalid_value', `${where}: non-zero padding byte`, pos);
  }
  const out = new Uint8Array(length);
  for (let i = 0, pos = 0; pos < length; i++, pos += shardLength) {
    const s = shards[i] as Uint8Array;
    out.set(pos + shardLength <= length ? s : s.subarray(0, length - pos), pos);
  }
  return out;
}
