import { assertBytes } from '@syncwire/bytes';

/**
 * A proof as the verifiers accept it: either the hashes back to back in one buffer (what the trees
 * produce and the codecs decode, zero-copy) or an array of separate hashes (what JSON vectors hold).
 */
export type ProofInput = Uint8Array | readonly Uint8Array[];

/**
 * Checks a proof's shape against the exact length the verifier expects, before any hashing or
 * allocation, and returns it as one flat buffer, or `null` when it has the wrong number of items or an
 * item of the wrong size. Throws TypeError only for values that are not bytes at all.
 */
export function flattenProof(
  where: string,
  proof: ProofInput,
  expected: number,
  size: number,
): Uint8Array | null {
  if (proof instanceof Uint8Array) {
    return proof.length === expected * size ? proof : null;
  }
  if (!Array.isArray(proof)) assertBytes(where, 'proof', proof);
  const items = proof as readonly Uint8Array[];
  for (let i = 0; i < items.length; i++) assertBytes(where, `proof[${i}]`, items[i]);
  if (items.length !== expected) return null;
  for (const item of items) if (item.length !== size) return null;
  const flat = new Uint8Array(expected * size);
  for (let i = 0; i < items.length; i++) flat.set(items[i]!, i * size);
  return flat;
}

/** True when `a[aAt .. aAt+n)` equals `b[bAt .. bAt+n)`. */
export function equalAt(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number, n: number): boolean {
  let diff = 0;
  for (let i = 0; i < n; i++) diff |= a[aAt + i]! ^ b[bAt + i]!;
  return diff === 0;
}
