import { describe } from '@syncwire/bytes';
import type { Hasher } from './hasher.ts';
import { TreeHasher, treeHasherFor } from './tree-hasher.ts';

/** Options shared by every tree, proof and verifier function. */
export interface MerkleOptions {
  /** Hash function; default {@link sha256Hasher} (SHA-256 from `@noble/hashes`). */
  hasher?: Hasher;
}

function checkHasher(where: string, options: MerkleOptions | undefined): Hasher | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where}: options expected an object, got ${describe(options)}`);
  }
  const h = options.hasher;
  if (h === undefined) return undefined;
  if (typeof h !== 'object' || h === null || typeof h.hashInto !== 'function') {
    throw new TypeError(`${where}: options.hasher expected a Hasher, got ${describe(h)}`);
  }
  if (!Number.isInteger(h.outputLen) || h.outputLen < 16 || h.outputLen > 64) {
    throw new RangeError(
      `${where}: options.hasher.outputLen expected an integer in [16, 64], got ${h.outputLen}`,
    );
  }
  return h;
}

/** The shared TreeHasher for one-shot functions (their calls never nest). */
export function sharedTreeHasher(where: string, options: MerkleOptions | undefined): TreeHasher {
  return treeHasherFor(checkHasher(where, options));
}

/** A TreeHasher owned by one object (trees, appenders, verifiers keep their own scratch). */
export function ownTreeHasher(where: string, options: MerkleOptions | undefined): TreeHasher {
  return new TreeHasher(treeHasherFor(checkHasher(where, options)).hasher);
}

/** Throws unless `value` is a safe non-negative integer. */
export function assertSize(where: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${where}: ${name} expected a non-negative safe integer, got ${describe(value)}`);
  }
  if (value < 0 || value > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`${where}: ${name} expected a non-negative safe integer, got ${value}`);
  }
}

/**
 * For verifiers: false when `value` is an integer above 2^53 - 1 (a claim no double can hold exactly,
 * e.g. a uint64 from elsewhere, so it cannot verify: invalid, not a caller mistake); otherwise the same
 * checks as {@link assertSize}.
 */
export function claimedSize(where: string, name: string, value: unknown): value is number {
  if (typeof value === 'number' && Number.isInteger(value) && value > Number.MAX_SAFE_INTEGER) return false;
  assertSize(where, name, value);
  return true;
}
