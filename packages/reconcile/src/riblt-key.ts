import { sha256 } from '@noble/hashes/sha2.js';
import { assertBytes } from '@syncwire/bytes';

// ASCII "syncwire/reconcile/riblt-v1 key" (no TextEncoder: library code sees no DOM/Node types).
const LABEL = Uint8Array.from('syncwire/reconcile/riblt-v1 key', (c) => c.charCodeAt(0));

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * The 16-byte RIBLT item-hash key both peers derive from their HELLO nonces:
 * SHA-256(label ‖ len(lo) ‖ lo ‖ len(hi) ‖ hi)[0..16] with the two nonces in byte order, so either side gets the
 * same key without agreeing who is "first". Fresh nonces make the item hashes (and so the index mapping)
 * unpredictable to anyone choosing ids ahead of the session. Nonces: 8 … 255 bytes each.
 */
export function deriveRibltKey(nonceA: Uint8Array, nonceB: Uint8Array): Uint8Array {
  assertBytes('deriveRibltKey', 'nonceA', nonceA);
  assertBytes('deriveRibltKey', 'nonceB', nonceB);
  for (const [name, n] of [
    ['nonceA', nonceA],
    ['nonceB', nonceB],
  ] as const) {
    if (n.length < 8 || n.length > 255)
      throw new RangeError(`deriveRibltKey: ${name} expected 8 to 255 bytes, got ${n.length}`);
  }
  const [lo, hi] = compare(nonceA, nonceB) <= 0 ? [nonceA, nonceB] : [nonceB, nonceA];
  const input = new Uint8Array(LABEL.length + 2 + lo.length + hi.length);
  input.set(LABEL, 0);
  input[LABEL.length] = lo.length;
  input.set(lo, LABEL.length + 1);
  input[LABEL.length + 1 + lo.length] = hi.length;
  input.set(hi, LABEL.length + 2 + lo.length);
  return sha256(input).slice(0, 16);
}
