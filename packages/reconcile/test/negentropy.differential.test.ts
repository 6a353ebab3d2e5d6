import { encode, fromHex, toHex } from '@syncwire/bytes';
import { Negentropy, NegentropyStorageVector, negentropyVarint } from '@syncwire/reconcile';
import { Prng } from '@syncwire/testkit';
import fc from 'fast-check';
import { nip77 } from 'nostr-tools';
import { describe, expect, it } from 'vitest';

const { Negentropy: TheirNegentropy, NegentropyStorageVector: TheirStorage } = nip77;

// nostr-tools' nip77 is an independent TypeScript port of the reference JS, initiator side only (its IdList
// branch always answers as a client) and frame-limited (≥ 4096). So: drive our client and theirs in lockstep
// against our server and require byte-identical client messages and the same have/need every round.
// Timestamps stay below 2^31 because its varint uses 32-bit operations.

describe('Negentropy client vs nostr-tools nip77 (differential, byte-for-byte)', () => {
  it('produces identical client messages and have/need on random sets under frame limits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 0, max: 4000 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.constantFrom(4096, 10_000, 60_000, 500 * 1024),
        fc.constantFrom(3, 1000, 2 ** 31 - 1),
        (seed, common, x, y, limit, tsMax) => {
          const rng = new Prng(seed);
          const mk = () => ({ ts: rng.below(tsMax), id: rng.bytes(32) });
          const shared = Array.from({ length: common }, mk);
          const onlyC = Array.from({ length: x }, mk);
          const onlyS = Array.from({ length: y }, mk);
          const ours = new NegentropyStorageVector();
          const theirs = new TheirStorage();
          for (const it of [...shared, ...onlyC]) {
            ours.insert(it.ts, it.id);
            theirs.insert(it.ts, toHex(it.id));
          }
          ours.seal();
          theirs.seal();
          const serverStore = new NegentropyStorageVector();
          for (const it of [...shared, ...onlyS]) serverStore.insert(it.ts, it.id);
          serverStore.seal();

          const client = new Negentropy(ours, { frameSizeLimit: limit });
          const ref = new TheirNegentropy(theirs, limit);
          const server = new Negentropy(serverStore, { frameSizeLimit: limit });
          let msg: Uint8Array | null = client.initiate();
          let refMsg: string | null = ref.initiate();
          for (let round = 0; msg; round++) {
            expect(toHex(msg)).toBe(refMsg);
            const reply = server.reconcile(msg).output!;
            const step = client.reconcile(reply);
            const refHave: string[] = [];
            const refNeed: string[] = [];
            refMsg = ref.reconcile(
              toHex(reply),
              (id) => refHave.push(id),
              (id) => refNeed.push(id),
            );
            expect(step.have.map(toHex).sort()).toEqual(refHave.sort());
            expect(step.need.map(toHex).sort()).toEqual(refNeed.sort());
            msg = step.output;
            expect(round).toBeLessThan(200);
          }
          expect(refMsg).toBeNull();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('nostr-tools mis-encodes timestamp 2^32 (32-bit varint); ours keeps it exact', () => {
    const ref = new TheirNegentropy(new TheirStorage(), 4096);
    ref.lastTimestampOut = 0;
    // 1 + (2^32 − 0) should be 2^32 + 1 = 90 80 80 80 01; the 32-bit port emits 01 (= timestamp 0).
    expect(toHex(ref.encodeTimestampOut(2 ** 32).unwrap())).toBe('01');
    expect(toHex(encode(negentropyVarint, 2n ** 32n + 1n))).toBe('9080808001');
    // Our server places a bound at 2^32 between items at 2^32 − 1 and 2^32.
    const ours = new NegentropyStorageVector();
    ours.insert(2 ** 32 - 1, fromHex('11'.repeat(32)));
    ours.insert(2 ** 32, fromHex('22'.repeat(32)));
    ours.seal();
    expect(ours.findLowerBound(0, 2, { timestamp: 2n ** 32n, id: new Uint8Array(0) })).toBe(1);
    // Bound ts = 2^32 (varint 2^32 + 1), Skip, then infinity IdList with the client's one item at 2^32.
    const msg = Uint8Array.of(
      0x61,
      0x90,
      0x80,
      0x80,
      0x80,
      0x01,
      0x00,
      0x00,
      0x00,
      0x00,
      0x02,
      0x01,
      ...fromHex('22'.repeat(32)),
    );
    const out = new Negentropy(ours).reconcile(msg).output!;
    // The server answers the IdList range [2^32, ∞) with its own single id there: 22…22.
    expect(toHex(out).endsWith(`0201${'22'.repeat(32)}`)).toBe(true);
  });
});
