import { Prng } from '@syncwire/testkit';

/** `n` integers whose bit lengths are uniform in 1..maxBits (so small and large encodings are equally common). */
export function fixtureValues(n: number, maxBits: number, seed: number): number[] {
  const prng = new Prng(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const bits = 1 + prng.below(maxBits);
    const hi = bits > 32 ? prng.below(2 ** (bits - 32)) : 0;
    const lo = bits >= 32 ? prng.nextU32() : prng.below(2 ** bits);
    out.push(hi * 2 ** 32 + lo);
  }
  return out;
}

/** Memoises `make`: suites build fixtures on an impl's first (untimed) call, so other suites' runs never pay. */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/** `n` pseudo-random bytes from a fixed seed. */
export { randomBytes } from '@syncwire/testkit';
