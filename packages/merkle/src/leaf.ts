import { assertBytes } from '@syncwire/bytes';
import { type MerkleOptions, sharedTreeHasher } from './options.ts';

/** RFC 9162 leaf hash `HASH(0x00 || leaf)`. @throws TypeError unless `leaf` is a Uint8Array. */
export function hashLeaf(leaf: Uint8Array, options?: MerkleOptions): Uint8Array {
  assertBytes('hashLeaf', 'leaf', leaf);
  const th = sharedTreeHasher('hashLeaf', options);
  const out = new Uint8Array(th.size);
  th.leafInto(leaf, out, 0);
  return out;
}

/**
 * RFC 9162 interior node hash `HASH(0x01 || left || right)`. Any lengths are hashed as given (the
 * RFC 6962 test suites hash short strings this way); tree code only ever passes full hashes.
 * @throws TypeError unless both are Uint8Array.
 */
export function hashNode(left: Uint8Array, right: Uint8Array, options?: MerkleOptions): Uint8Array {
  assertBytes('hashNode', 'left', left);
  assertBytes('hashNode', 'right', right);
  const th = sharedTreeHasher('hashNode', options);
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  const out = new Uint8Array(th.size);
  th.hasher.hashInto(input, out, 0);
  return out;
}

/** Root of the empty tree, `HASH()` (RFC 9162 §2.1.1). */
export function emptyRoot(options?: MerkleOptions): Uint8Array {
  const th = sharedTreeHasher('emptyRoot', options);
  const out = new Uint8Array(th.size);
  th.emptyInto(out, 0);
  return out;
}
