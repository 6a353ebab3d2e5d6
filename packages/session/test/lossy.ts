import { type SessionEvent, type SessionOptions, SyncSession } from '@syncwire/session';
import { Prng, randomBytes } from '@syncwire/testkit';

/** Two sessions with fixed nonces, and the events each emitted. */
export interface Pair {
  a: SyncSession;
  b: SyncSession;
  ev: { a: SessionEvent[]; b: SessionEvent[] };
}

export function pair(oa: SessionOptions = {}, ob: SessionOptions = {}): Pair {
  return {
    a: new SyncSession({ nonce: randomBytes(16, 1), ...oa }),
    b: new SyncSession({ nonce: randomBytes(16, 2), ...ob }),
    ev: { a: [], b: [] },
  };
}

/**
 * Runs both sessions until `done()` over a link that drops, duplicates and reorders with probability `loss`
 * each (seeded), advancing time when nothing moves so retransmissions fire. Returns the frames sent.
 */
export function run(
  p: Pair,
  done: () => boolean,
  loss = 0,
  seed = 1,
  maxSteps = 20_000,
  onEvent?: (side: 'a' | 'b', e: SessionEvent) => void,
): number {
  const rng = new Prng(seed);
  const inFlight: { to: 'a' | 'b'; f: Uint8Array }[] = [];
  let now = 0;
  let frames = 0;
  for (let step = 0; step < maxSteps && !done(); step++) {
    for (const [from, to] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      for (let f = p[from].pollTransmit(now); f; f = p[from].pollTransmit(now)) {
        frames++;
        if (rng.float() < loss) continue; // dropped
        inFlight.push({ to, f });
        if (rng.float() < loss) inFlight.push({ to, f }); // duplicated
      }
    }
    if (inFlight.length === 0) {
      const t = Math.min(p.a.pollTimeout() ?? Infinity, p.b.pollTimeout() ?? Infinity);
      if (t === Infinity) break;
      now = Math.max(now, t);
      p.a.handleTimeout(now);
      p.b.handleTimeout(now);
    } else {
      const k = rng.float() < loss ? Math.floor(rng.float() * inFlight.length) : 0; // reordered
      const { to, f } = inFlight.splice(k, 1)[0]!;
      p[to].handleFrame(f, now);
    }
    for (const side of ['a', 'b'] as const) {
      for (let e = p[side].pollEvent(); e; e = p[side].pollEvent()) {
        p.ev[side].push(e);
        onEvent?.(side, e);
      }
    }
  }
  return frames;
}
