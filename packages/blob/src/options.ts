import { describe } from '@syncwire/bytes';
import type { FastCdcOptions } from '@syncwire/fastcdc';
import { type Hasher, sha256Hasher } from '@syncwire/merkle';

/** Options shared by manifest building and verification. */
export interface BlobOptions {
  /**
   * SHA-256 implementation used for chunk digests, the manifest tree and the BlobId. Default
   * `sha256Hasher` from `@syncwire/merkle` (`@noble/hashes`); pass `nodeSha256Hasher` from
   * `@syncwire/merkle/node` for OpenSSL speed. Must have `outputLen` 32 (leaf records hold 32-byte digests).
   */
  hasher?: Hasher;
}

/** Options for building a manifest. */
export interface BuildOptions extends BlobOptions {
  /**
   * FastCDC parameters (`min`, `avg`, `max`, `level`, `seed`, `variant`, `engine`). Default the
   * `@syncwire/fastcdc` defaults (4 KiB / 16 KiB / 64 KiB). Different parameters give different chunks and so a
   * different BlobId for the same bytes; receivers never need them (they verify by leaf record).
   */
  chunking?: FastCdcOptions;
  /** Manifest page size as a power of two: pages hold 2^pageBits leaf records. 0..20, default 10 (36 KiB pages). */
  pageBits?: number;
}

/** Default page size exponent: 2^10 records = 36 KiB per page. */
export const DEFAULT_PAGE_BITS = 10;
/** Largest page size exponent a builder accepts (2^20 records = 36 MiB pages). */
export const MAX_BUILD_PAGE_BITS = 20;

/** @internal Resolves and checks the hasher. */
export function resolveHasher(where: string, options: BlobOptions | undefined): Hasher {
  if (options === undefined) return sha256Hasher;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where}: options expected an object, got ${describe(options)}`);
  }
  const h = options.hasher;
  if (h === undefined) return sha256Hasher;
  if (typeof h !== 'object' || h === null || typeof h.hashInto !== 'function') {
    throw new TypeError(`${where}: options.hasher expected a Hasher, got ${describe(h)}`);
  }
  if (h.outputLen !== 32) {
    throw new RangeError(`${where}: options.hasher.outputLen expected 32, got ${describe(h.outputLen)}`);
  }
  return h;
}
