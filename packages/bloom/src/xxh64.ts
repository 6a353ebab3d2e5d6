import { assertBytes } from '@syncwire/bytes';
import { joinU64, splitU64 } from './u64.ts';
import { xxh64Into } from './xxh64-into.generated.ts';

export { xxh64Into } from './xxh64-into.generated.ts';

const SCRATCH = new Uint32Array(2);

/**
 * XXH64 (xxHash, 64-bit) of `bytes` with an optional seed (default 0), as an unsigned bigint.
 *
 * @throws TypeError if `bytes` is not a Uint8Array or `seed` is not a non-negative safe integer / u64 bigint.
 * @throws RangeError if a bigint `seed` is outside [0, 2^64).
 * @example
 * ```ts
 * xxh64(new Uint8Array(0)).toString(16); // 'ef46db3751d8e999'
 * ```
 */
export function xxh64(bytes: Uint8Array, seed: bigint | number = 0): bigint {
  assertBytes('xxh64', 'bytes', bytes);
  const [lo, hi] = splitU64('xxh64', 'seed', seed);
  xxh64Into(bytes, lo, hi, SCRATCH, 0);
  return joinU64(SCRATCH[0]!, SCRATCH[1]!);
}
