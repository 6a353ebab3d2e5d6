/**
 * Retransmission timeout from measured round trips, RFC 6298 §2: SRTT and RTTVAR with α = 1/8, β = 1/4,
 * RTO = SRTT + max(G, 4·RTTVAR), clamped to [minRto, maxRto]. Only samples from requests answered on their
 * first attempt are taken (Karn's algorithm, §3).
 */
export class RttEstimator {
  #srtt = -1;
  #rttvar = 0;
  #rto: number;
  readonly #min: number;
  readonly #max: number;

  constructor(initialRto: number, minRto: number, maxRto: number) {
    this.#rto = initialRto;
    this.#min = minRto;
    this.#max = maxRto;
  }

  /** Current retransmission timeout in ms. */
  get rto(): number {
    return this.#rto;
  }

  /** Smoothed RTT in ms, or -1 before the first sample. */
  get srtt(): number {
    return this.#srtt;
  }

  /** Adds one round-trip sample (ms). */
  sample(rtt: number): void {
    const r = Math.max(0, rtt);
    if (this.#srtt < 0) {
      this.#srtt = r;
      this.#rttvar = r / 2;
    } else {
      this.#rttvar = 0.75 * this.#rttvar + 0.25 * Math.abs(this.#srtt - r);
      this.#srtt = 0.875 * this.#srtt + 0.125 * r;
    }
    this.#rto = Math.min(this.#max, Math.max(this.#min, this.#srtt + Math.max(1, 4 * this.#rttvar)));
  }
}
