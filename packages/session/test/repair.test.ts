import { K_MAX } from '@syncwire/raptorq';
import { ReedSolomon } from '@syncwire/reed-solomon';
import { notBytes, notUint, Prng } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkRepairParams,
  MAX_REPAIR_LENGTH,
  RepairCodec,
  type RepairCodecId,
  type RepairParams,
  repairIdLimit,
  repairParams,
} from '../src/repair.ts';
import { type RepairAddResult, RepairDecoder } from '../src/repair-decoder.ts';
import { RepairEncoder } from '../src/repair-encoder.ts';

const RS = RepairCodec.RS;
const RQ = RepairCodec.RAPTORQ;

function equalBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function shuffle<T>(prng: Prng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = prng.below(i + 1);
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
  return xs;
}

/** Changes one byte among the first `within` of `bytes` to a different value. */
function flipByte(prng: Prng, bytes: Uint8Array, within: number): void {
  const i = prng.below(within);
  bytes[i] = (bytes[i] as number) ^ (1 + prng.below(255));
}

/** `n` distinct ids from [0, limit) in random order (limit small enough to list). */
function pickIds(prng: Prng, limit: number, n: number): number[] {
  return shuffle(
    prng,
    Array.from({ length: limit }, (_, i) => i),
  ).slice(0, n);
}

/**
 * Chunk lengths: mostly 1 … 256 KiB, with the edges around the symbol size (1, T−1, T, T+1, exact multiples).
 * Returned with a symbol size so the pair can be shrunk together.
 */
const lengthAndSymbolSize = (minT: number, maxT: number, maxLength = 256 * 1024) =>
  fc.integer({ min: minT, max: maxT }).chain((t) =>
    fc.tuple(
      fc.oneof(
        fc.integer({ min: 1, max: maxLength }),
        fc.constantFrom(1, t - 1, t, t + 1).filter((n) => n >= 1),
        fc.integer({ min: 1, max: Math.floor(maxLength / t) }).map((m) => m * t),
      ),
      fc.constant(t),
    ),
  );

describe('repairParams', () => {
  it('picks RS with 1024-byte symbols and 25 % repair by default', () => {
    expect(repairParams(65536)).toEqual({ codec: RS, length: 65536, symbolSize: 1024, k: 64, repair: 16 });
    expect(repairParams(1)).toEqual({ codec: RS, length: 1, symbolSize: 1024, k: 1, repair: 1 });
    expect(repairParams(1025)).toEqual({ codec: RS, length: 1025, symbolSize: 1024, k: 2, repair: 1 });
  });

  it('switches to RaptorQ exactly when k + repair would pass 256', () => {
    expect(repairParams(204 * 1024)).toMatchObject({ codec: RS, k: 204, repair: 51 }); // 255
    expect(repairParams(205 * 1024)).toMatchObject({ codec: RQ, k: 205, repair: 52 }); // 257
    expect(repairParams(1000, { symbolSize: 16, overhead: 0 })).toMatchObject({
      codec: RS,
      k: 63,
      repair: 1,
    });
  });

  it('plans at least one repair symbol', () => {
    expect(repairParams(10_000, { overhead: 0 }).repair).toBe(1);
    expect(repairParams(10_000, { overhead: 0.01 }).repair).toBe(1);
    expect(repairParams(10_000, { overhead: 4 }).repair).toBe(40);
  });

  it('raises the symbol size when the codec cannot hold k source symbols', () => {
    // Forced RS: 64 KiB at 25 % overhead fits in 204 + 51 shards of 322 → 336 bytes (a multiple of 16).
    const rs = repairParams(65536, { codec: RS, symbolSize: 16 });
    expect(rs).toMatchObject({ codec: RS, symbolSize: 336 });
    expect(rs.k + rs.repair).toBeLessThanOrEqual(256);
    // RaptorQ: 16 MiB in 16-byte symbols would be 2^20 > K_MAX source symbols.
    const rq = repairParams(MAX_REPAIR_LENGTH, { symbolSize: 16 });
    expect(rq).toMatchObject({ codec: RQ, symbolSize: 304 });
    expect(rq.k).toBeLessThanOrEqual(K_MAX);
    // Forced RS cannot carry 16 MiB in 255 symbols of at most 65535 bytes.
    expect(() => repairParams(MAX_REPAIR_LENGTH, { codec: RS })).toThrow(RangeError);
  });

  it('always returns params that checkRepairParams accepts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_REPAIR_LENGTH }),
        fc.integer({ min: 16, max: 65535 }),
        fc.double({ min: 0, max: 4, noNaN: true }),
        fc.constantFrom<RepairCodecId | undefined>(undefined, RS, RQ),
        (length, symbolSize, overhead, codec) => {
          let p: RepairParams;
          try {
            p = repairParams(
              length,
              codec === undefined ? { symbolSize, overhead } : { symbolSize, overhead, codec },
            );
          } catch (e) {
            // Only a forced-RS chunk too large for 255 × 65535-byte shards may be refused.
            expect(e).toBeInstanceOf(RangeError);
            expect(codec).toBe(RS);
            // At overhead ≤ 4 at least 51 data shards fit (51 + 204 ≤ 256), so below 51 × 65535 bytes RS always fits.
            expect(length).toBeGreaterThan(51 * 65535);
            return;
          }
          expect(checkRepairParams(p)).toBeUndefined();
          expect(p.length).toBe(length);
          expect(p.symbolSize).toBeGreaterThanOrEqual(symbolSize);
          if (codec !== undefined) expect(p.codec).toBe(codec);
          else expect(p.codec).toBe(p.k + p.repair <= 256 ? RS : RQ);
        },
      ),
    );
  });

  it('rejects bad arguments with TypeError or RangeError', () => {
    for (const [, bad] of notUint) expect(() => repairParams(bad as number)).toThrow(/repairParams: length/);
    expect(() => repairParams(0)).toThrow(RangeError);
    expect(() => repairParams(MAX_REPAIR_LENGTH + 1)).toThrow(RangeError);
    expect(() => repairParams(100, { symbolSize: 15 })).toThrow(RangeError);
    expect(() => repairParams(100, { symbolSize: 65536 })).toThrow(RangeError);
    expect(() => repairParams(100, { overhead: -0.1 })).toThrow(RangeError);
    expect(() => repairParams(100, { overhead: 4.5 })).toThrow(RangeError);
    expect(() => repairParams(100, { overhead: Number.NaN })).toThrow(RangeError);
    expect(() => repairParams(100, { overhead: '1' as unknown as number })).toThrow(TypeError);
    expect(() => repairParams(100, { codec: 2 as RepairCodecId })).toThrow(RangeError);
    expect(() => repairParams(100, null as unknown as object)).toThrow(TypeError);
  });
});

describe('checkRepairParams', () => {
  const good = repairParams(65536);
  const hostile: [string, unknown][] = [
    ['length 2^60', { ...good, length: 2 ** 60, k: Math.ceil(2 ** 60 / 1024) }],
    ['length 0', { ...good, length: 0, k: 0 }],
    ['length negative', { ...good, length: -1024, k: -1 }],
    ['length fractional', { ...good, length: 1.5, k: 1 }],
    ['length NaN', { ...good, length: Number.NaN }],
    ['length a string', { ...good, length: '65536' }],
    ['length a bigint', { ...good, length: 65536n }],
    ['symbolSize 0', { ...good, symbolSize: 0, k: Number.POSITIVE_INFINITY }],
    ['symbolSize 15', { ...good, symbolSize: 15, k: Math.ceil(65536 / 15) }],
    ['symbolSize 65536', { ...good, symbolSize: 65536, k: 1 }],
    ['k one too small', { ...good, k: 63 }],
    ['k one too large', { ...good, k: 65 }],
    ['k 2^53', { ...good, k: 2 ** 53 }],
    ['repair 0', { ...good, repair: 0 }],
    ['repair past 4·k', { ...good, codec: RQ, repair: 257 }],
    ['repair 2^60', { ...good, codec: RQ, repair: 2 ** 60 }],
    ['RS with k + repair = 257', { ...good, k: 64, repair: 193 }],
    ['RaptorQ with k > 56403', { codec: RQ, length: 2 ** 24, symbolSize: 16, k: 2 ** 20, repair: 1 }],
    ['codec 2', { ...good, codec: 2 }],
    ['codec "0"', { ...good, codec: '0' }],
    ['null', null],
    ['a number', 5],
  ];

  it.each(hostile)('rejects %s, and the constructors throw RangeError before allocating', (_, p) => {
    const problem = checkRepairParams(p as RepairParams);
    expect(typeof problem).toBe('string');
    expect(() => new RepairDecoder(p as RepairParams)).toThrow(RangeError);
    expect(() => new RepairEncoder(new Uint8Array(16), p as RepairParams)).toThrow(RangeError);
  });

  it('accepts the extremes', () => {
    expect(checkRepairParams({ codec: RS, length: 1, symbolSize: 16, k: 1, repair: 4 })).toBeUndefined();
    expect(
      checkRepairParams({ codec: RS, length: 255 * 16, symbolSize: 16, k: 255, repair: 1 }),
    ).toBeUndefined();
    expect(
      checkRepairParams({ codec: RQ, length: 2 ** 24, symbolSize: 304, k: 55189, repair: 1 }),
    ).toBeUndefined();
    expect(checkRepairParams({ codec: RS, length: 2 ** 24, symbolSize: 65535, k: 257, repair: 1 })).toMatch(
      /k \+ repair/,
    );
  });

  it('applies the session’s own limits', () => {
    expect(checkRepairParams(good, { maxLength: 65535 })).toMatch(/length/);
    expect(checkRepairParams(good, { maxLength: 65536 })).toBeUndefined();
    expect(checkRepairParams(good, { minSymbolSize: 2048 })).toMatch(/symbolSize/);
    expect(checkRepairParams(good, { maxSymbolSize: 512 })).toMatch(/symbolSize/);
    expect(checkRepairParams(good, { maxOverhead: 0.2 })).toMatch(/repair expected an integer in \[1, 13\]/);
    expect(() => checkRepairParams(good, { maxLength: 2 ** 25 })).toThrow(RangeError);
    expect(() => checkRepairParams(good, { maxOverhead: -1 })).toThrow(RangeError);
    expect(() => checkRepairParams(good, { maxSymbolSize: 8 })).toThrow(RangeError);
  });
});

describe('RepairEncoder', () => {
  it('source symbols are the chunk, zero-padded; parity is ReedSolomon’s', () => {
    const chunk = new Prng(1).bytes(1000);
    const p = repairParams(chunk.length, { symbolSize: 64 }); // k = 16, the last symbol 40 bytes + 24 zeros
    const enc = new RepairEncoder(chunk, p);
    expect(enc.count).toBe(p.k + p.repair);
    expect(enc.idLimit).toBe(enc.count);
    const shards = Array.from({ length: p.k }, (_, i) => {
      const s = new Uint8Array(64);
      s.set(chunk.subarray(i * 64, i * 64 + 64));
      return s;
    });
    for (let i = 0; i < p.k; i++) expect(enc.symbol(i)).toEqual(shards[i]);
    const parity = new ReedSolomon(p.k, p.repair).encodeParity(shards);
    for (let j = 0; j < p.repair; j++) expect(enc.symbol(p.k + j)).toEqual(parity[j]);
    const out = new Uint8Array(100).fill(7);
    for (let id = 0; id < enc.count; id++) {
      expect(enc.symbolInto(id, out, 3)).toBe(64);
      expect(out.subarray(3, 67)).toEqual(enc.symbol(id));
    }
  });

  it('RaptorQ: repair symbols for any id below 2^24, symbolInto agrees with symbol', () => {
    const chunk = new Prng(2).bytes(5000);
    const p = repairParams(chunk.length, { codec: RQ, symbolSize: 256 });
    const enc = new RepairEncoder(chunk, p);
    expect(enc.idLimit).toBe(2 ** 24);
    const out = new Uint8Array(256);
    for (const id of [0, p.k - 1, p.k, enc.count, 2 ** 24 - 1]) {
      enc.symbolInto(id, out, 0);
      expect(out).toEqual(enc.symbol(id));
    }
    expect(() => enc.symbol(2 ** 24)).toThrow(RangeError);
  });

  it('rejects bad arguments', () => {
    const p = repairParams(100);
    for (const [, bad] of notBytes) expect(() => new RepairEncoder(bad as Uint8Array, p)).toThrow(TypeError);
    expect(() => new RepairEncoder(new Uint8Array(99), p)).toThrow(/differs from chunk.length/);
    const enc = new RepairEncoder(new Uint8Array(100), p);
    for (const id of [-1, 1.5, Number.NaN, enc.count]) expect(() => enc.symbol(id)).toThrow(RangeError);
    expect(() => enc.symbolInto(0, new Uint8Array(1024), 1)).toThrow(RangeError);
    expect(() => enc.symbolInto(0, 'x' as unknown as Uint8Array, 0)).toThrow(TypeError);
  });
});

/** Feeds `ids` (symbols from `enc`, or `override` where given) and returns every status. */
function feed(
  dec: RepairDecoder,
  enc: RepairEncoder,
  ids: number[],
  override = new Map<number, Uint8Array>(),
) {
  const statuses: RepairAddResult[] = [];
  for (const id of ids) statuses.push(dec.add(id, override.get(id) ?? enc.symbol(id)));
  return statuses;
}

describe('RepairDecoder: Reed-Solomon', () => {
  it('any k of the k + repair symbols, in any order, decode to exactly the chunk', () => {
    fc.assert(
      fc.property(
        lengthAndSymbolSize(16, 4096).filter(([n, t]) => Math.ceil(n / t) <= 200),
        fc.double({ min: 0, max: 0.25, noNaN: true }),
        fc.integer(),
        ([length, symbolSize], overhead, seed) => {
          const prng = new Prng(seed);
          const chunk = prng.bytes(length);
          const p = repairParams(length, { codec: RS, symbolSize, overhead });
          const enc = new RepairEncoder(chunk, p);
          const dec = new RepairDecoder(p);
          const ids = pickIds(prng, enc.count, p.k);
          const statuses = feed(dec, enc, ids);
          expect(statuses.slice(0, -1).every((s) => s === 'more')).toBe(true);
          expect(statuses.at(-1)).toBe('decoded');
          expect(dec.state).toBe('decoded');
          expect(dec.received).toBe(p.k);
          expect(equalBytes(dec.result(), chunk)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('ignores duplicates, out-of-range ids, wrong sizes and anything after decoding', () => {
    const chunk = new Prng(3).bytes(10_000);
    const p = repairParams(chunk.length, { symbolSize: 1000 }); // k = 10, repair = 3
    const enc = new RepairEncoder(chunk, p);
    const dec = new RepairDecoder(p);
    expect(dec.add(12, enc.symbol(12))).toBe('more');
    expect(dec.add(12, enc.symbol(12))).toBe('ignored');
    expect(dec.add(12, new Uint8Array(1000))).toBe('ignored'); // same id, other bytes: first one wins
    for (const id of [-1, 13, 2 ** 24, 2 ** 53, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(dec.add(id, new Uint8Array(1000))).toBe('ignored');
    }
    expect(dec.add(0, new Uint8Array(999))).toBe('ignored');
    expect(dec.add(0, new Uint8Array(1001))).toBe('ignored');
    expect(dec.received).toBe(1);
    expect(dec.result()).toBeUndefined();
    for (let id = 0; id < 8; id++) expect(dec.add(id, enc.symbol(id))).toBe('more');
    expect(dec.add(11, enc.symbol(11))).toBe('decoded');
    expect(dec.result()).toEqual(chunk);
    expect(dec.add(8, enc.symbol(8))).toBe('ignored');
    expect(dec.add(9, new Uint8Array(1000))).toBe('ignored');
    expect(dec.result()).toEqual(chunk);
  });

  it('a corrupted symbol among the k used yields a chunk that differs (the leaf hash catches it)', () => {
    fc.assert(
      fc.property(
        lengthAndSymbolSize(16, 2048).filter(([n, t]) => Math.ceil(n / t) <= 200),
        fc.integer(),
        ([length, symbolSize], seed) => {
          const prng = new Prng(seed);
          const chunk = prng.bytes(length);
          const p = repairParams(length, { symbolSize });
          const enc = new RepairEncoder(chunk, p);
          const ids = pickIds(prng, enc.count, p.k);
          const bad = ids[prng.below(ids.length)] as number;
          const corrupted = enc.symbol(bad).slice();
          // A byte every data symbol holds (not the last one's padding), so the error must reach the chunk.
          const lastLen = length - (p.k - 1) * p.symbolSize;
          flipByte(prng, corrupted, lastLen);
          const dec = new RepairDecoder(p);
          expect(feed(dec, enc, ids, new Map([[bad, corrupted]])).at(-1)).toBe('decoded');
          expect(dec.result()?.length).toBe(length);
          expect(equalBytes(dec.result(), chunk)).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the cap: maxSymbols ≥ k is enforced and RS never needs more than k', () => {
    const p = repairParams(4096, { symbolSize: 256 });
    expect(() => new RepairDecoder(p, { maxSymbols: p.k - 1 })).toThrow(RangeError);
    expect(() => new RepairDecoder(p, { maxSymbols: 1.5 })).toThrow(RangeError);
    expect(() => new RepairDecoder(p, { maxDecodeAttempts: 0 })).toThrow(RangeError);
    expect(() => new RepairDecoder(p, { maxSymbols: '9' as unknown as number })).toThrow(TypeError);
    expect(new RepairDecoder(p).maxSymbols).toBe(p.k + p.repair); // k + 2·repair, clamped to the ids that exist
    const enc = new RepairEncoder(new Prng(4).bytes(4096), p);
    const dec = new RepairDecoder(p, { maxSymbols: p.k });
    expect(feed(dec, enc, pickIds(new Prng(5), enc.count, p.k)).at(-1)).toBe('decoded');
  });

  it('rejects a symbol that is not bytes (a caller mistake) with TypeError', () => {
    const dec = new RepairDecoder(repairParams(100));
    for (const [, bad] of notBytes) expect(() => dec.add(0, bad as Uint8Array)).toThrow(TypeError);
  });
});

describe('RepairDecoder: RaptorQ', () => {
  it('k + a couple of symbols, in random order, decode to exactly the chunk', () => {
    fc.assert(
      fc.property(
        lengthAndSymbolSize(256, 4096),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.integer(),
        ([length, symbolSize], overhead, seed) => {
          const prng = new Prng(seed);
          const chunk = prng.bytes(length);
          const p = repairParams(length, { codec: RQ, symbolSize, overhead });
          const enc = new RepairEncoder(chunk, p);
          const dec = new RepairDecoder(p);
          // Ids from the planned k + repair plus a few fresh repair symbols past them (a fountain).
          const ids = pickIds(prng, enc.count + 8, enc.count + 8);
          let last: RepairAddResult = 'more';
          for (const id of ids) {
            last = dec.add(id, enc.symbol(id));
            if (last !== 'more') break;
          }
          expect(last).toBe('decoded');
          expect(dec.received).toBeGreaterThanOrEqual(p.k);
          expect(dec.received).toBeLessThanOrEqual(p.k + 7); // default maxDecodeAttempts = 8
          expect(equalBytes(dec.result(), chunk)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('ignores duplicates, out-of-range ids and wrong sizes; accepts fresh repair ids up to 2^24 − 1', () => {
    const chunk = new Prng(9).bytes(3000);
    const p = repairParams(chunk.length, { codec: RQ, symbolSize: 512 }); // k = 6
    const enc = new RepairEncoder(chunk, p);
    const dec = new RepairDecoder(p, { maxSymbols: 1000 });
    expect(dec.add(0, enc.symbol(0))).toBe('more');
    expect(dec.add(0, enc.symbol(0))).toBe('ignored');
    expect(dec.add(2 ** 24 - 1, enc.symbol(2 ** 24 - 1))).toBe('more');
    expect(dec.add(2 ** 24 - 1, new Uint8Array(512))).toBe('ignored');
    for (const id of [-1, 2 ** 24, 2 ** 53, 0.5, Number.NaN])
      expect(dec.add(id, new Uint8Array(512))).toBe('ignored');
    expect(dec.add(1, new Uint8Array(511))).toBe('ignored');
    expect(dec.add(1, new Uint8Array(513))).toBe('ignored');
    expect(dec.received).toBe(2);
    for (const id of [1, 2, 3]) expect(dec.add(id, enc.symbol(id))).toBe('more');
    expect(dec.received).toBe(5);
    let last: RepairAddResult = dec.state;
    for (const id of [1000, 4, 5, 6, 7]) {
      last = dec.add(id, enc.symbol(id)); // the k-th symbol decodes, or rarely one or two more
      if (last !== 'more') break;
    }
    expect(last).toBe('decoded');
    expect(dec.result()).toEqual(chunk);
    expect(dec.add(5000, enc.symbol(5000))).toBe('ignored');
  });

  it('decodes from exactly k symbols at least 97 % of the time, and by k + 2 always (seeded, 400 runs)', () => {
    const prng = new Prng(20240611);
    const extra = [0, 0, 0, 0];
    for (let run = 0; run < 400; run++) {
      const length = 1 + prng.below(20_000);
      const p = repairParams(length, { codec: RQ, symbolSize: 16 * (1 + prng.below(64)) });
      const chunk = prng.bytes(length);
      const enc = new RepairEncoder(chunk, p);
      const dec = new RepairDecoder(p);
      // Random distinct ids over a wide range: loss patterns of all shapes.
      const seen = new Set<number>();
      while (dec.state === 'more') {
        const id = prng.below(4 * enc.count);
        if (seen.has(id)) continue;
        seen.add(id);
        dec.add(id, enc.symbol(id));
      }
      expect(dec.state).toBe('decoded');
      expect(equalBytes(dec.result(), chunk)).toBe(true);
      extra[Math.min(3, dec.received - p.k)]! += 1;
    }
    // RFC 6330 §5.8: < 1/100 failures with K symbols, < 1/10^4 with K + 1, < 1/10^6 with K + 2.
    expect(extra[0]).toBeGreaterThanOrEqual(388);
    expect(extra[3]).toBe(0);
  });

  it('the caps: maxDecodeAttempts and maxSymbols end an undecodable transfer with "exhausted"', () => {
    // Find a set of k = 10 ids that does not determine the block (≈ 1 in 130): with one attempt allowed the
    // decoder gives up there, and keeps answering 'exhausted' without accepting anything else.
    const chunk = new Prng(6).bytes(160);
    const p = repairParams(chunk.length, { codec: RQ, symbolSize: 16 }); // k = 10
    expect(p.k).toBe(10);
    const enc = new RepairEncoder(chunk, p);
    const prng = new Prng(7);
    let ids: number[] | undefined;
    for (let trial = 0; trial < 10_000 && ids === undefined; trial++) {
      const cand = pickIds(prng, 200, p.k);
      const probe = new RepairDecoder(p, { maxDecodeAttempts: 1 });
      const statuses = feed(probe, enc, cand);
      if (statuses.at(-1) === 'exhausted') ids = cand;
      else expect(statuses.at(-1)).toBe('decoded');
    }
    expect(ids).toBeDefined();
    const set = ids as number[];
    const spare = Array.from({ length: 200 }, (_, i) => i).filter((i) => !set.includes(i));

    const one = new RepairDecoder(p, { maxDecodeAttempts: 1 });
    expect(feed(one, enc, set).at(-1)).toBe('exhausted');
    for (const id of spare.slice(0, 20)) expect(one.add(id, enc.symbol(id))).toBe('exhausted');
    expect(one.received).toBe(p.k);
    expect(one.result()).toBeUndefined();

    const capped = new RepairDecoder(p, { maxSymbols: p.k });
    expect(feed(capped, enc, set).at(-1)).toBe('exhausted');
    expect(capped.received).toBe(p.k);

    // With the defaults, more symbols decode it.
    const dec = new RepairDecoder(p);
    expect(feed(dec, enc, set).at(-1)).toBe('more');
    let last: RepairAddResult = 'more';
    for (const id of spare) {
      last = dec.add(id, enc.symbol(id));
      if (last !== 'more') break;
    }
    expect(last).toBe('decoded');
    expect(dec.result()).toEqual(chunk);
  });

  it('a corrupted symbol yields a different chunk (when decoded from exactly k) or "exhausted", never a throw', () => {
    fc.assert(
      fc.property(lengthAndSymbolSize(256, 2048, 64 * 1024), fc.integer(), ([length, symbolSize], seed) => {
        const prng = new Prng(seed);
        const chunk = prng.bytes(length);
        const p = repairParams(length, { codec: RQ, symbolSize });
        const enc = new RepairEncoder(chunk, p);
        const ids = pickIds(prng, enc.count + 8, enc.count + 8);
        const bad = ids[prng.below(p.k)] as number; // among the first k fed
        const corrupted = enc.symbol(bad).slice();
        flipByte(prng, corrupted, length - (p.k - 1) * symbolSize);
        const dec = new RepairDecoder(p);
        let last: RepairAddResult = 'more';
        for (const id of ids) {
          last = dec.add(id, id === bad ? corrupted : enc.symbol(id));
          if (last !== 'more') break;
        }
        expect(['decoded', 'exhausted']).toContain(last);
        if (last === 'decoded') {
          expect(dec.result()?.length).toBe(length);
          // With exactly k symbols the system is square, so the bad one was used. Past k it may be outvoted.
          if (dec.received === p.k) expect(equalBytes(dec.result(), chunk)).toBe(false);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('decodes a 16 MiB chunk (the largest) with 100 source symbols lost', () => {
    const chunk = new Prng(8).bytes(MAX_REPAIR_LENGTH);
    const p = repairParams(chunk.length);
    expect(p).toMatchObject({ codec: RQ, symbolSize: 1024, k: 16384, repair: 4096 });
    const enc = new RepairEncoder(chunk, p);
    const dec = new RepairDecoder(p);
    let last: RepairAddResult = 'more';
    for (let id = 100; id < enc.count && last === 'more'; id++) last = dec.add(id, enc.symbol(id));
    expect(last).toBe('decoded');
    expect(equalBytes(dec.result(), chunk)).toBe(true);
  });
});

describe('RepairDecoder: garbage', () => {
  it('random ids and bytes never throw, never exceed the cap, and end in a consistent state', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(RS, RQ),
        fc.integer({ min: 1, max: 4096 }),
        fc.integer({ min: 16, max: 64 }),
        fc.array(
          fc.tuple(
            fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: -5, max: 2 ** 25 }), fc.double()),
            fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 70 })),
            fc.integer(),
          ),
          { maxLength: 400 },
        ),
        (codec, length, symbolSize, adds) => {
          const p = repairParams(length, { codec, symbolSize, overhead: 0.5 });
          const dec = new RepairDecoder(p);
          let decodedAt = -1;
          adds.forEach(([id, size, seed], i) => {
            const bytes = new Prng(seed).bytes(size === -1 ? p.symbolSize : size);
            const r = dec.add(id, bytes);
            expect(['more', 'decoded', 'ignored', 'exhausted']).toContain(r);
            if (r === 'decoded') decodedAt = i;
            expect(dec.received).toBeLessThanOrEqual(dec.maxSymbols);
          });
          if (decodedAt >= 0) {
            expect(dec.state).toBe('decoded');
            expect(dec.result()?.length).toBe(length);
          } else expect(dec.result()).toBeUndefined();
          if (dec.state === 'more') expect(dec.received).toBeLessThan(repairIdLimit(p));
        },
      ),
      { numRuns: 60 },
    );
  });
});
