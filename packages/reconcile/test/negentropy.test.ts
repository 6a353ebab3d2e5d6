import { CodecError, decode, encode, fromHex, isCodecError, toHex } from '@syncwire/bytes';
import {
  MAX_TIMESTAMP,
  Negentropy,
  NegentropyStorageVector,
  negentropyFingerprint,
  negentropyVarint,
} from '@syncwire/reconcile';
import { garbage, loadVectors, mutated, notBytes, Prng, u64 } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

interface Item {
  ts: bigint;
  id: Uint8Array;
}

function store(items: readonly Item[]): NegentropyStorageVector {
  const s = new NegentropyStorageVector();
  for (const it of items) s.insert(it.ts, it.id);
  s.seal();
  return s;
}

/** Runs a whole reconciliation in memory; returns deduplicated have/need, rounds and bytes each way. */
function run(clientItems: readonly Item[], serverItems: readonly Item[], frameSizeLimit = 0) {
  const client = new Negentropy(store(clientItems), { frameSizeLimit });
  const server = new Negentropy(store(serverItems), { frameSizeLimit });
  const have = new Set<string>();
  const need = new Set<string>();
  let up = 0;
  let down = 0;
  let rounds = 0;
  let msg: Uint8Array | null = client.initiate();
  while (msg) {
    if (frameSizeLimit) expect(msg.length).toBeLessThanOrEqual(frameSizeLimit);
    up += msg.length;
    const reply = server.reconcile(msg).output!;
    if (frameSizeLimit) expect(reply.length).toBeLessThanOrEqual(frameSizeLimit);
    down += reply.length;
    rounds++;
    const step = client.reconcile(reply);
    for (const id of step.have) have.add(toHex(id));
    for (const id of step.need) need.add(toHex(id));
    msg = step.output;
  }
  return { have, need, rounds, up, down };
}

/** Random sets sharing `common` items, each side with its own extra items. */
function randomSets(seed: number, common: number, onlyClient: number, onlyServer: number, tsMax = 2 ** 40) {
  const rng = new Prng(seed);
  const mk = (): Item => ({
    ts: BigInt(rng.below(Math.min(tsMax, 2 ** 32))) * BigInt(Math.max(1, Math.floor(tsMax / 2 ** 32))),
    id: rng.bytes(32),
  });
  const shared = Array.from({ length: common }, mk);
  const a = Array.from({ length: onlyClient }, mk);
  const b = Array.from({ length: onlyServer }, mk);
  return { client: [...shared, ...a], server: [...shared, ...b], a, b };
}

const hexSet = (items: readonly Item[]) => new Set(items.map((i) => toHex(i.id)));

describe('negentropyVarint', () => {
  it('round-trips, re-encodes canonically and consumes exactly', () => {
    fc.assert(
      fc.property(u64(), (n) => {
        const bytes = encode(negentropyVarint, n);
        const { value, end } = negentropyVarint.decode(bytes, 0);
        expect(value).toBe(n);
        expect(end).toBe(bytes.length);
        expect(end).toBe(negentropyVarint.encodingLength(n));
      }),
    );
  });

  it('is total on garbage: decodes canonically or throws CodecError', () => {
    fc.assert(
      fc.property(garbage(16), (bytes) => {
        try {
          const { value, end } = negentropyVarint.decode(bytes, 0);
          expect(toHex(encode(negentropyVarint, value))).toBe(toHex(bytes.subarray(0, end)));
        } catch (e) {
          expect(isCodecError(e)).toBe(true);
        }
      }),
    );
  });

  it('keeps 2^31, 2^32 and 2^64 - 1 exact (the reference JS breaks there)', () => {
    expect(toHex(encode(negentropyVarint, 2n ** 31n))).toBe('8880808000');
    expect(toHex(encode(negentropyVarint, 2n ** 32n))).toBe('9080808000');
    expect(decode(negentropyVarint, fromHex('9080808000'))).toBe(2n ** 32n);
    expect(decode(negentropyVarint, fromHex('81ffffffffffffffff7f'))).toBe(2n ** 64n - 1n);
  });

  it('rejects non-minimal, overlong and cut-off input', () => {
    expect(() => decode(negentropyVarint, fromHex('8001'))).toThrow(CodecError);
    expect(() => decode(negentropyVarint, fromHex('82ffffffffffffffff7f'))).toThrowError(/over 64 bits/);
    expect(() => decode(negentropyVarint, fromHex('8180'))).toThrowError(/ends inside/);
    expect(() => encode(negentropyVarint, -1n)).toThrow(RangeError);
    expect(() => encode(negentropyVarint, 2n ** 64n)).toThrow(RangeError);
  });
});

describe('Negentropy', () => {
  it('reconciles random sets exactly under frame limits from 4 KiB to 500 KiB', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom(0, 4096, 8192, 60_000, 500 * 1024),
        // Few distinct timestamps (prefix bounds inside equal timestamps) up to spreads past 2^62.
        fc.constantFrom(4, 1000, 2 ** 40, 2 ** 62),
        (seed, common, x, y, limit, tsMax) => {
          const { client, server, a, b } = randomSets(seed, common, x, y, tsMax);
          const r = run(client, server, limit);
          expect(r.have).toEqual(hexSet(a));
          expect(r.need).toEqual(hexSet(b));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reconciles 20 000 vs 20 000 items with 1 000 differences at a 4 KiB frame limit', () => {
    const { client, server, a, b } = randomSets(7, 19_500, 500, 500);
    const r = run(client, server, 4096);
    expect(r.have).toEqual(hexSet(a));
    expect(r.need).toEqual(hexSet(b));
    expect(r.rounds).toBeGreaterThan(3);
  });

  it('handles 64-bit timestamps: ≥ 2^31, 2^32 exactly, and up to 2^64 - 2', () => {
    const rng = new Prng(3);
    const stamps = [
      0n,
      2n ** 31n - 1n,
      2n ** 31n,
      2n ** 32n,
      2n ** 32n + 1n,
      2n ** 53n + 1n,
      2n ** 63n,
      MAX_TIMESTAMP,
    ];
    const items: Item[] = [];
    for (const ts of stamps) for (let k = 0; k < 40; k++) items.push({ ts, id: rng.bytes(32) });
    // Differences at the hostile timestamps, including 2^32 (which the reference JS encodes as infinity).
    const onlyClient = items.filter((_, i) => i % 7 === 0);
    const onlyServer = items.filter((_, i) => i % 11 === 1 && i % 7 !== 0);
    const shared = items.filter((_, i) => i % 7 !== 0 && i % 11 !== 1);
    for (const limit of [0, 4096]) {
      const r = run([...shared, ...onlyClient], [...shared, ...onlyServer], limit);
      expect(r.have).toEqual(hexSet(onlyClient));
      expect(r.need).toEqual(hexSet(onlyServer));
    }
  });

  it('identical sets finish after one round trip; an empty client needs everything', () => {
    const { client } = randomSets(9, 500, 0, 0);
    const same = run(client, client);
    expect(same.rounds).toBe(1);
    expect(same.have.size + same.need.size).toBe(0);
    const empty = run([], client);
    expect(empty.need).toEqual(hexSet(client));
  });

  it('a responder answers an unknown version with its own version byte; an initiator refuses it', () => {
    const server = new Negentropy(store([]));
    expect(toHex(server.reconcile(Uint8Array.of(0x62, 1, 2, 3)).output!)).toBe('61');
    const client = new Negentropy(store([]));
    client.initiate();
    expect(() => client.reconcile(Uint8Array.of(0x62))).toThrow(CodecError);
    expect(() => new Negentropy(store([])).reconcile(Uint8Array.of(0x10))).toThrow(CodecError);
  });

  it('hostile messages: garbage, mutated and truncated transcripts throw CodecError or answer, never hang', () => {
    const { client, server } = randomSets(11, 300, 30, 30);
    const c = new Negentropy(store(client));
    const first = c.initiate();
    const serverStore = store(server);
    const valid = fc.constant(first);
    fc.assert(
      fc.property(
        fc.oneof(garbage(200), mutated(valid), mutated(garbage(64).map((g) => Uint8Array.of(0x61, ...g)))),
        (msg) => {
          try {
            const out = new Negentropy(serverStore).reconcile(msg).output;
            expect(out).toBeInstanceOf(Uint8Array);
          } catch (e) {
            if (!isCodecError(e)) throw e;
          }
        },
      ),
      { numRuns: 300 },
    );
    // Every prefix of a valid message either parses or throws CodecError.
    for (let n = 0; n < first.length; n++) {
      try {
        new Negentropy(serverStore).reconcile(first.subarray(0, n));
      } catch (e) {
        expect(isCodecError(e)).toBe(true);
      }
    }
  });

  it('the initiator is total on hostile replies: CodecError or a next message, never a hang', () => {
    const { client, server } = randomSets(12, 400, 40, 40);
    const serverStore = store(server);
    const clientStore = store(client);
    const first = new Negentropy(clientStore).initiate();
    const reply = new Negentropy(serverStore).reconcile(first).output!;
    fc.assert(
      fc.property(fc.oneof(mutated(fc.constant(reply)), garbage(300)), (msg) => {
        const c = new Negentropy(clientStore);
        c.initiate();
        try {
          const step = c.reconcile(msg);
          expect(step.output === null || step.output instanceof Uint8Array).toBe(true);
        } catch (e) {
          if (!isCodecError(e)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('checks IdList counts against the bytes present and enforces message and round limits', () => {
    const server = new Negentropy(store([]), { maxRounds: 2, maxMessageBytes: 100 });
    // Bound: infinity, no prefix; IdList claiming 2^40 ids.
    const huge = Uint8Array.of(0x61, 0x00, 0x00, 0x02, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    expect(() => server.reconcile(huge)).toThrowError(/cut off/);
    expect(() => server.reconcile(new Uint8Array(101).fill(0x61))).toThrowError(/over 100/);
    expect(server.reconcile(Uint8Array.of(0x61)).output).toEqual(Uint8Array.of(0x61));
    expect(() => server.reconcile(Uint8Array.of(0x61))).toThrowError(/rounds/);
    // Bound past 2^64 - 2 and a prefix longer than 32 bytes.
    const s2 = new Negentropy(store([]));
    expect(() => s2.reconcile(fromHex('6181ffffffffffffffff7f0000020000'))).toThrow(CodecError);
    expect(() => new Negentropy(store([])).reconcile(fromHex('610121'))).toThrowError(/prefix/);
  });

  it('storage: insertMany ≡ insert, and range fingerprints from prefix sums ≡ the spec definition', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 0, max: 300 }),
        fc.nat(),
        fc.nat(),
        (seed, n, x, y) => {
          const rng = new Prng(seed);
          const ids = rng.bytes(32 * n);
          const stamps = Array.from({ length: n }, () => rng.below(50));
          const one = new NegentropyStorageVector();
          for (let i = 0; i < n; i++) one.insert(stamps[i]!, ids.subarray(32 * i, 32 * i + 32));
          one.seal();
          const many = new NegentropyStorageVector();
          many.insertMany(
            stamps.map((t, i) => (i % 2 ? BigInt(t) : t)),
            ids,
          );
          many.seal();
          for (let i = 0; i < n; i++) {
            expect(many.timestamp(i)).toBe(one.timestamp(i));
            expect(toHex(many.id(i))).toBe(toHex(one.id(i)));
            if (i > 0) expect(one.timestamp(i - 1) <= one.timestamp(i)).toBe(true);
          }
          const lo = n === 0 ? 0 : x % (n + 1);
          const hi = lo + (n === 0 ? 0 : y % (n + 1 - lo));
          const slice = Array.from({ length: hi - lo }, (_, k) => one.id(lo + k));
          expect(toHex(one.fingerprint(lo, hi))).toBe(toHex(negentropyFingerprint(slice)));
        },
      ),
      { numRuns: 50 },
    );
    const s = new NegentropyStorageVector();
    expect(() => s.insertMany([1, 2], new Uint8Array(32))).toThrow(RangeError);
    expect(() => s.insertMany([-1], new Uint8Array(32))).toThrow(RangeError);
    s.seal();
    expect(() => s.insertMany([], new Uint8Array(0))).toThrow(Error);
    expect(() => s.fingerprint(0, 1)).toThrow(RangeError);
  });

  it('rejects bad options and arguments', () => {
    expect(() => new Negentropy(store([]), { frameSizeLimit: 4095 })).toThrow(RangeError);
    expect(() => new Negentropy(store([]), { frameSizeLimit: -1 })).toThrow(RangeError);
    for (const [, bad] of notBytes) {
      expect(() => new Negentropy(store([])).reconcile(bad as Uint8Array)).toThrow(TypeError);
    }
    const s = new NegentropyStorageVector();
    expect(() => s.insert(-1, new Uint8Array(32))).toThrow(RangeError);
    expect(() => s.insert(2n ** 64n - 1n, new Uint8Array(32))).toThrow(RangeError);
    expect(() => s.insert(1, new Uint8Array(31))).toThrow(RangeError);
    expect(() => s.size).toThrow(Error);
    s.insert(1, new Uint8Array(32));
    s.insert(1n, new Uint8Array(32));
    expect(() => s.seal()).toThrowError(/duplicate/);
    expect(() => negentropyFingerprint([new Uint8Array(3)])).toThrow(RangeError);
  });

  it('copies the vector file it tests against (self-contained repo)', () => {
    expect(loadVectors<{ schema: string }>(import.meta.url, 'negentropy-v1.json').schema).toBe(
      'negentropy-v1-vectors/v1',
    );
  });
});
