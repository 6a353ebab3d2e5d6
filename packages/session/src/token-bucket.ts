/**
 * A token bucket on the caller's clock: `rate` tokens per ms up to `burst`. Deterministic (time only enters
 * through `now`), so a sans-IO machine can rate-limit without timers.
 */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #at = Number.NaN;

  constructor(ratePerMs: number, burst: number) {
    this.#rate = ratePerMs;
    this.#burst = burst;
    this.#tokens = burst;
  }

  /** Takes one token if there is one at time `now`. */
  take(now: number): boolean {
    if (!Number.isNaN(this.#at) && now > this.#at) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) * this.#rate);
    }
    if (Number.isNaN(this.#at) || now > this.#at) this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
