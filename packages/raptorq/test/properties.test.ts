import { equals, isCodecError } from '@syncwire/bytes';
import {
  Decoder,
  decode,
  decodeStream,
  Encoder,
  encodeStream,
  kPrimeFor,
  type Oti,
  otiCodec,
  payloadIdCodec,
  systematicParams,
} from '@syncwire/raptorq';
import { garbage, mutated, Prng, splits } from '@syncwire/testkit';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { forceKernels } from '../src/kernels.ts';
import { buildPlan } from '../src/solver.ts';

const esiOf = (p: Uint8Array): number => (p[1]! << 16) | (p[2]! << 8) | p[3]!;

/** Arbitrary valid OTI for small objects, covering several blocks, sub-blocks and alignments. */
const otiArb: fc.Arbitrary<Oti> = fc
  .record({
    al: fc.constantFrom(1, 2, 4, 8),
    units: fc.integer({ min: 1, max: 24 }),
    symbols: fc.integer({ min: 1, max: 120 }),
    tail: fc.integer({ min: 0, max: 7 }),
    z: fc.integer({ min: 1, max: 4 }),
    n: fc.integer({ min: 1, max: 4 }),
  })
  .map(({ al, units, symbols, tail, z, n }) => {
    const T = al * units;
    const F = Math.max(1, symbols * T - (tail % T));
    const kt = Math.ceil(F / T);
    return {
      transferLength: F,
      symbolSize: T,
      sourceBlocks: Math.min(z, kt),
      subBlocks: Math.min(n, units),
      alignment: al,
    };
  });

describe('fountain law', () => {
  it('any K + 2 distinct symbols of a block decode it (random ESIs, source and repair mixed)', () => {
    fc.assert(
      fc.property(otiArb, fc.integer(), (oti, seed) => {
        const rng = new Prng(seed);
        const data = rng.bytes(oti.transferLength);
        const enc = new Encoder(data, oti);
        const packets: Uint8Array[] = [];
        for (let sbn = 0; sbn < oti.sourceBlocks; sbn++) {
          const k = enc.sourceSymbols(sbn);
          const chosen = new Set<number>();
          while (chosen.size < k + 2) chosen.add(rng.below(rng.below(2) ? 2 * k + 8 : 1 << 24));
          for (const esi of chosen) packets.push(enc.packet(sbn, esi));
        }
        const shuffled = packets.map((p) => [rng.float(), p] as const).sort((a, b) => a[0] - b[0]);
        expect(
          equals(
            decode(
              oti,
              shuffled.map(([, p]) => p),
            ),
            data,
          ),
        ).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('failure rate with exactly K and K + 1 random symbols meets RFC 6330 §5.8 (≥ 1000 trials each)', () => {
    // The decoder fails exactly when the constraint matrix of the received ISIs has rank < L, which the plan
    // builder reports without touching symbols.
    const rows: string[] = [];
    for (const k of [10, 101]) {
      const p = systematicParams(k);
      expect(p.Kp).toBe(k);
      const rng = new Prng(0xfa11 + k);
      const fails = [0, 0, 0];
      const trials = 1500;
      for (let t = 0; t < trials; t++) {
        for (let extra = 0; extra <= 2; extra++) {
          const isis = new Set<number>();
          while (isis.size < k + extra) isis.add(rng.below(1 << 24));
          // Received ESIs map to ISIs (ESI = ISI here since K = K').
          if (!buildPlan(p, Int32Array.from(isis))) fails[extra]!++;
        }
      }
      rows.push(`K=${k}: K ${fails[0]}/${trials}, K+1 ${fails[1]}/${trials}, K+2 ${fails[2]}/${trials}`);
      expect(fails[0]! / trials).toBeLessThanOrEqual(0.02); // RFC target 1/100 (binomial slack)
      expect(fails[1]! / trials).toBeLessThanOrEqual(0.002); // RFC target 1/10^4
      expect(fails[2]).toBe(0); // RFC target 1/10^6
    }
    console.log(`raptorq failure rates: ${rows.join('; ')}`);
  });

  it('decodes from repair symbols only, far into the ESI space', () => {
    const oti: Oti = { transferLength: 5000, symbolSize: 64, sourceBlocks: 2, subBlocks: 2, alignment: 4 };
    const data = new Prng(5).bytes(5000);
    const enc = new Encoder(data, oti);
    const dec = new Decoder(oti);
    for (let esi = 0xfff000; !dec.done; esi++)
      for (let sbn = 0; sbn < 2; sbn++) dec.add(enc.packet(sbn, esi));
    expect(equals(dec.result(), data)).toBe(true);
  });
});

describe('packets with several symbols', () => {
  it('a receiver accepts G consecutive symbols per packet (RFC 6330 §4.4.2)', () => {
    const oti: Oti = { transferLength: 1000, symbolSize: 20, sourceBlocks: 1, subBlocks: 1, alignment: 4 };
    const data = new Prng(11).bytes(1000);
    const enc = new Encoder(data, oti);
    const group = (esi: number, g: number): Uint8Array => {
      const out = new Uint8Array(4 + g * 20);
      out.set(enc.packet(0, esi).subarray(0, 4));
      for (let j = 0; j < g; j++) out.set(enc.packet(0, esi + j).subarray(4), 4 + j * 20);
      return out;
    };
    const dec = new Decoder(oti);
    // Source ESIs 0..39 in groups of 4 except 8..11, then repair ESIs 50..55 in groups of 3.
    for (let esi = 0; esi < 50; esi += 4) if (esi !== 8) dec.add(group(esi, Math.min(4, 50 - esi)));
    expect(dec.done).toBe(false);
    dec.add(group(50, 3));
    dec.add(group(53, 3));
    expect(dec.done).toBe(true);
    expect(equals(dec.result(), data)).toBe(true);
  });
});

describe('kernels', () => {
  afterEach(() => forceKernels(undefined));
  it('the JS fallback and the wasm SIMD kernels give the same packets and decode the same', () => {
    const oti: Oti = {
      transferLength: 200_000,
      symbolSize: 1000,
      sourceBlocks: 2,
      subBlocks: 3,
      alignment: 4,
    };
    const data = new Prng(9).bytes(oti.transferLength);
    const a = new Encoder(data, oti).packets(30);
    forceKernels('js');
    const b = new Encoder(data, oti).packets(30);
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(equals(a[i]!, b[i]!)).toBe(true);
    const lossy = b.filter((_, i) => i % 9 !== 0);
    expect(equals(decode(oti, lossy), data)).toBe(true);
  });
});

describe('streaming', () => {
  it('encodeStream gives the same packets however the input is split; decodeStream rebuilds it', async () => {
    await fc.assert(
      fc.asyncProperty(
        otiArb.chain((oti) =>
          fc.tuple(fc.constant(oti), splits(new Prng(oti.transferLength).bytes(oti.transferLength))),
        ),
        async ([oti, parts]) => {
          const data = new Prng(oti.transferLength).bytes(oti.transferLength);
          const got: Uint8Array[] = [];
          for await (const p of encodeStream(parts, oti, { repairPerBlock: 4 })) got.push(p);
          const want = new Encoder(data, oti).packets(4);
          expect(got.length).toBe(want.length);
          for (let i = 0; i < got.length; i++) expect(equals(got[i]!, want[i]!)).toBe(true);
          const lossy = got.filter((p) => esiOf(p) !== 0 && esiOf(p) !== 2); // ≥ K + 2 left per block
          const out: Uint8Array[] = [];
          async function* arrive(): AsyncGenerator<Uint8Array> {
            for (const p of lossy) yield p;
          }
          for await (const chunk of decodeStream(arrive(), oti)) out.push(chunk);
          const joined = new Uint8Array(oti.transferLength);
          let o = 0;
          for (const c of out) {
            joined.set(c, o);
            o += c.length;
          }
          expect(o).toBe(oti.transferLength);
          expect(equals(joined, data)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('decodeStream throws unexpected_eof when packets run out; encodeStream checks the length', async () => {
    const oti: Oti = { transferLength: 100, symbolSize: 10, sourceBlocks: 1, subBlocks: 1, alignment: 1 };
    const packets = new Encoder(new Uint8Array(100), oti).packets(0).slice(0, 5);
    const run = async () => {
      for await (const _ of decodeStream(packets, oti)) void _;
    };
    await expect(run()).rejects.toSatisfy((e) => isCodecError(e, 'unexpected_eof'));
    const short = async () => {
      for await (const _ of encodeStream([new Uint8Array(99)], oti)) void _;
    };
    await expect(short()).rejects.toThrow(RangeError);
    const long = async () => {
      for await (const _ of encodeStream([new Uint8Array(101)], oti)) void _;
    };
    await expect(long()).rejects.toThrow(RangeError);
  });
});

describe('codecs', () => {
  it('OTI: round trip, canonical re-encoding, exact consumption', () => {
    fc.assert(
      fc.property(otiArb, (oti) => {
        const bytes = new Uint8Array(12);
        expect(otiCodec.encodeInto(oti, bytes, 0)).toBe(12);
        const { value, end } = otiCodec.decode(bytes);
        expect(end).toBe(12);
        expect(value).toEqual(oti);
        const again = new Uint8Array(12);
        otiCodec.encodeInto(value, again, 0);
        expect(again).toEqual(bytes);
      }),
    );
  });
  it('OTI and payload ID: garbage and mutations decode or throw CodecError, nothing else', () => {
    const validOti = otiArb.map((oti) => {
      const b = new Uint8Array(12);
      otiCodec.encodeInto(oti, b, 0);
      return b;
    });
    fc.assert(
      fc.property(fc.oneof(garbage(16), mutated(validOti)), (bytes) => {
        for (const codec of [otiCodec, payloadIdCodec] as const) {
          try {
            const { value, end } = (codec as typeof otiCodec).decode(bytes);
            expect(end).toBeLessThanOrEqual(bytes.length);
            const again = new Uint8Array(end);
            (codec as typeof otiCodec).encodeInto(value, again, 0);
            expect(again).toEqual(bytes.subarray(0, end)); // canonical
          } catch (e) {
            expect(isCodecError(e)).toBe(true);
          }
        }
      }),
    );
  });
  it('payload ID: round trip over the whole range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 0xffffff }), (sbn, esi) => {
        const b = new Uint8Array(4);
        payloadIdCodec.encodeInto({ sbn, esi }, b, 0);
        expect(payloadIdCodec.decode(b)).toEqual({ value: { sbn, esi }, end: 4 });
      }),
    );
  });
});

describe('decoder totality', () => {
  it('random and mutated packets are accepted or rejected with CodecError, never anything else', () => {
    const oti: Oti = { transferLength: 3000, symbolSize: 40, sourceBlocks: 2, subBlocks: 2, alignment: 4 };
    const enc = new Encoder(new Prng(1).bytes(3000), oti);
    const valid = fc
      .tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 200 }))
      .map(([sbn, esi]) => enc.packet(sbn, esi));
    fc.assert(
      fc.property(fc.array(fc.oneof(garbage(100), mutated(valid), valid), { maxLength: 60 }), (packets) => {
        const dec = new Decoder(oti, { maxOverhead: 8 });
        for (const p of packets) {
          try {
            dec.add(p);
          } catch (e) {
            expect(isCodecError(e)).toBe(true);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
  it("K' lookup is consistent with the systematic parameters", () => {
    for (let k = 1; k < 3000; k += 7) expect(systematicParams(k).Kp).toBe(kPrimeFor(k));
  });
});
