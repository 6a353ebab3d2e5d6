/**
 * How repair packets are labelled on the wire.
 * - `'rfc6330'` (default): the FEC Payload ID carries the ESI; repair ESIs start at K (RFC 6330 §3.2, §5.3.1).
 * - `'raptorq-1.x'`: the label is the internal symbol ID (ISI = ESI + K' − K), as the `raptorq` npm package 1.7.x
 *   and cberner/raptorq ≤ 1.8 send it; repair labels then start at K'. Source packets are the same in both.
 *   The two agree only when K = K'; mixing them otherwise decodes wrong data without any error, so a peer's
 *   convention must be chosen explicitly.
 */
export type Compat = 'rfc6330' | 'raptorq-1.x';

/** Throws TypeError unless `c` is a known convention. */
export function assertCompat(where: string, c: unknown): asserts c is Compat {
  if (c !== 'rfc6330' && c !== 'raptorq-1.x') {
    throw new TypeError(`${where}: compat expected 'rfc6330' or 'raptorq-1.x', got ${String(c)}`);
  }
}
