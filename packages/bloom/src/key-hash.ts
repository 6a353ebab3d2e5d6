import { describe } from '@syncwire/bytes';
import { HashId, type HashIdValue, type KeyHashName } from './filter-header.ts';
import { readU32LE, splitU64 } from './u64.ts';
import { xxh64Into } from './xxh64.ts';

/** Shortest key accepted in digest mode: fewer bytes cannot be a collision-resistant digest. */
export const DIGEST_MIN_BYTES = 16;

/**
 * Hashes `key` to the 64-bit value every filter kind works from, written as `[lo, hi]` into `out`:
 * digest mode takes the key's first 8 bytes (little-endian) XOR the seed, with no hashing at all; xxh64 mode is
 * `XXH64(key, seed)`.
 *
 * @throws TypeError if `key` is not a Uint8Array; RangeError for a digest key shorter than {@link DIGEST_MIN_BYTES}.
 */
export function hashKeyInto(
  where: string,
  key: Uint8Array,
  digest: boolean,
  seedLo: number,
  seedHi: number,
  out: Uint32Array,
): void {
  if (!(key instanceof Uint8Array))
    throw new TypeError(`${where}: key expected a Uint8Array, got ${describe(key)}`);
  if (digest) {
    if (key.length < DIGEST_MIN_BYTES) {
      throw new RangeError(
        `${where}: digest keys need at least ${DIGEST_MIN_BYTES} bytes, got ${key.length}`,
      );
    }
    out[0] = readU32LE(key, 0) ^ seedLo;
    out[1] = readU32LE(key, 4) ^ seedHi;
  } else {
    xxh64Into(key, seedLo, seedHi, out, 0);
  }
}

/**
 * True when `key` can take the digest fast path (a Uint8Array of at least {@link DIGEST_MIN_BYTES} bytes). Filters
 * test this inline and read the two words with {@link digestWord} instead of calling {@link hashKeyInto}: the
 * round trip through a scratch array measured ~15 % of a digest-mode lookup.
 */
export function isDigestKey(key: unknown): key is Uint8Array {
  return key instanceof Uint8Array && key.length >= DIGEST_MIN_BYTES;
}

/** Word `i` (0 = lo, 1 = hi) of a digest key's 64-bit value: LE32 of bytes 4i..4i+3 XOR the seed word. */
export function digestWord(key: Uint8Array, i: 0 | 1, seedWord: number): number {
  return (readU32LE(key, 4 * i) ^ seedWord) >>> 0;
}

/** Key-hashing options shared by every filter constructor. */
export interface KeyHashOptions {
  /**
   * `'xxh64'` (default): keys of any length are hashed with XXH64. `'digest'`: keys are already uniform digests
   * (e.g. SHA-256 content ids, ≥ 16 bytes) and their own bits are used: no second hash, several times faster.
   */
  hash?: KeyHashName;
  /** 64-bit seed (default 0), as a bigint or a non-negative safe integer. Stored in the wire header. */
  seed?: bigint | number;
}

/** Resolved key-hashing settings. */
export interface KeyHashConfig {
  hash: HashIdValue;
  seedLo: number;
  seedHi: number;
}

/** Validates {@link KeyHashOptions}. @throws TypeError/RangeError for a bad `hash` or `seed`. */
export function keyHashConfig(where: string, options: KeyHashOptions | undefined): KeyHashConfig {
  const name = options?.hash ?? 'xxh64';
  if (name !== 'xxh64' && name !== 'digest') {
    throw new TypeError(`${where}: options.hash expected 'xxh64' or 'digest', got ${describe(name)}`);
  }
  const [seedLo, seedHi] = splitU64(where, 'options.seed', options?.seed ?? 0);
  return { hash: HashId[name], seedLo, seedHi };
}

/** The option name of a hash id. */
export function hashName(id: HashIdValue): KeyHashName {
  return id === HashId.digest ? 'digest' : 'xxh64';
}
