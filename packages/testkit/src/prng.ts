/**
 * Seeded PRNG (SplitMix32-style mixing over a Weyl sequence) for fixtures that must be the same on every run.
 * Not for cryptography.
 */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Next uniform 32-bit unsigned integer. */
  nextU32(): number {
    this.#state = (this.#state + 0x9e3779b9) >>> 0;
    let z = this.#state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform integer in [0, n) for n ≤ 2^32. */
  below(n: number): number {
    return Math.floor((this.nextU32() / 0x100000000) * n);
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.nextU32() / 0x100000000;
  }

  /** Fills `out` with pseudo-random bytes and returns it. */
  fill(out: Uint8Array): Uint8Array {
    let i = 0;
    for (; i + 4 <= out.length; i += 4) {
      const v = this.nextU32();
      out[i] = v;
      out[i + 1] = v >>> 8;
      out[i + 2] = v >>> 16;
      out[i + 3] = v >>> 24;
    }
    if (i < out.length) {
      const v = this.nextU32();
      for (let s = 0; i < out.length; i++, s += 8) out[i] = v >>> s;
    }
    return out;
  }

  /** `n` fresh pseudo-random bytes. */
  bytes(n: number): Uint8Array {
    return this.fill(new Uint8Array(n));
  }
}

/** `n` bytes from a PRNG seeded with `seed`. */
export function randomBytes(n: number, seed = 1): Uint8Array {
  return new Prng(seed).bytes(n);
}
