/**
 * The RIBLT index mapping (Yang, Gilad, Alizadeh, SIGCOMM 2024, §4.2): an item lands in coded symbol 0 and then
 * in each later index i with probability ρ(i) = 1/(1 + α·i), α = 1/2. Instead of a coin per index, the gap to
 * the next index is sampled exactly in closed form: from index i, P(next > j) = ∏_{k=i+1..j} (1 − ρ(k))
 * = (i + 1)(i + 2) / ((j + 1)(j + 2)), so with u uniform in (0, 1] and c = (i + 1)(i + 2)/u the next index is
 * the least j with (j + 1)(j + 2) > c, i.e. ⌊√(c + 1/4) − 3/2⌋ + 1 (at least i + 1).
 *
 * The state of one item's walk is three u32 words `[index, a, b]` in a Uint32Array, seeded from the item's
 * keyed 64-bit hash; `a`/`b` are Weyl sequences mixed with murmur3's finaliser into 52 uniform bits per step.
 * Both peers must step identically, so this function is part of the wire contract (RFC 0007 §Mapping).
 */

/** Index value meaning "beyond any symbol we will ever produce" (the walk saturates there). */
export const NEVER = 0xffffffff;

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Starts an item's walk at index 0 from its hash words. */
export function startMapping(state: Uint32Array, o: number, hashLo: number, hashHi: number): void {
  state[o] = 0;
  state[o + 1] = hashLo;
  state[o + 2] = hashHi;
}

/** Moves an item's walk to its next coded-symbol index (saturating at {@link NEVER}). */
export function advanceMapping(state: Uint32Array, o: number): void {
  const a = (state[o + 1]! + 0x9e3779b9) >>> 0;
  const b = (state[o + 2]! + 0x632be5ab) >>> 0;
  state[o + 1] = a;
  state[o + 2] = b;
  const x = fmix32(a ^ Math.imul(b, 0x85ebca6b));
  const y = fmix32(b ^ Math.imul(x, 0xc2b2ae35));
  // 52 uniform bits, shifted into (0, 1] so 1/√u is finite.
  const u = (x * 1048576 + (y >>> 12) + 1) / 4503599627370496;
  const i = state[o]!;
  let next = Math.floor(Math.sqrt(((i + 1) * (i + 2)) / u + 0.25) - 1.5) + 1;
  if (next <= i) next = i + 1;
  state[o] = Math.min(next, NEVER);
}
