// A deliberately naive transcription of the RFC 9162 §2.1 definitions (recursive, array-based, slow),
// used as the oracle for the flat-array implementation.
import { concat } from '@syncwire/bytes';
import { emptyRoot, hashLeaf, hashNode } from '@syncwire/merkle';

function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

export function mth(d: readonly Uint8Array[]): Uint8Array {
  if (d.length === 0) return emptyRoot();
  if (d.length === 1) return hashLeaf(d[0]!);
  const s = k(d.length);
  return hashNode(mth(d.slice(0, s)), mth(d.slice(s)));
}

export function path(m: number, d: readonly Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const s = k(d.length);
  if (m < s) return [...path(m, d.slice(0, s)), mth(d.slice(s))];
  return [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
}

function subproof(m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  if (m <= s) return [...subproof(m, d.slice(0, s), b), mth(d.slice(s))];
  return [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}

export function proof(m: number, d: readonly Uint8Array[]): Uint8Array[] {
  return subproof(m, d, true);
}

export const flat = (items: Uint8Array[]): Uint8Array => concat(items);
