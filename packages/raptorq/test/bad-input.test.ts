import { isCodecError } from '@syncwire/bytes';
import {
  Decoder,
  decode,
  deriveOti,
  Encoder,
  encode,
  type Oti,
  otiCodec,
  payloadIdCodec,
  systematicParams,
  withDefaults,
} from '@syncwire/raptorq';
import { notBytes, Prng } from '@syncwire/testkit';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../src/solver.ts';

const oti: Oti = { transferLength: 1000, symbolSize: 16, sourceBlocks: 2, subBlocks: 2, alignment: 4 };
const data = new Prng(3).bytes(1000);
const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isCodecError(e)) return e.code;
    throw e;
  }
  return 'none';
};

describe('caller mistakes throw TypeError / RangeError', () => {
  it('non-bytes', () => {
    for (const [, v] of notBytes) {
      expect(() => new Encoder(v as Uint8Array, oti)).toThrow(TypeError);
      expect(() => new Decoder(oti).add(v as Uint8Array)).toThrow(TypeError);
      expect(() => otiCodec.decode(v as Uint8Array)).toThrow(TypeError);
      expect(() => payloadIdCodec.decode(v as Uint8Array)).toThrow(TypeError);
    }
  });
  it('invalid OTIs and options', () => {
    const bad: Partial<Oti>[] = [
      { transferLength: 0 },
      { transferLength: 942_574_504_276 },
      { symbolSize: 0 },
      { symbolSize: 65536 },
      { sourceBlocks: 0 },
      { sourceBlocks: 256 },
      { alignment: 0 },
      { alignment: 3 }, // 16 % 3 ≠ 0
      { subBlocks: 0 },
      { subBlocks: 5 }, // > T / Al = 4
      { sourceBlocks: 100 }, // more blocks than the 63 symbols
      { transferLength: 16 * 56404, sourceBlocks: 1 }, // > K'max symbols per block
    ];
    for (const b of bad) {
      const o = { ...oti, ...b };
      expect(() => new Decoder(o), JSON.stringify(b)).toThrow(RangeError);
      expect(() => otiCodec.encodeInto(o, new Uint8Array(12), 0)).toThrow(RangeError);
    }
    expect(() => new Encoder(data.subarray(1), oti)).toThrow(/differs from data.length/);
    expect(() => new Encoder(data, oti, { compat: 'raptorq-2' as 'rfc6330' })).toThrow(TypeError);
    expect(() => new Decoder(oti, { maxOverhead: -1 })).toThrow(RangeError);
    expect(() => new Encoder(data, oti).packet(0, -1)).toThrow(RangeError);
    expect(() => new Encoder(data, oti).packet(0, 1 << 24)).toThrow(RangeError);
    expect(() => new Encoder(data, oti).packet(2, 0)).toThrow(RangeError);
    expect(() => new Encoder(data, oti).repair(0, 5)).toThrow(/≥ K/);
    expect(() => new Encoder(data, oti).source(0, 40)).toThrow(RangeError);
    expect(() => withDefaults(0, 1280)).toThrow(RangeError);
    expect(() => withDefaults(1000, 0)).toThrow(RangeError);
    expect(() => withDefaults(1000, 65536)).toThrow(RangeError);
    expect(() => deriveOti({ transferLength: 1000, maxPayloadSize: 30, alignment: 4 })).toThrow(RangeError);
    expect(() => withDefaults(300 * 56403 * 1280, 1280)).toThrow(/source blocks/);
  });
  it('messages name the function and the argument', () => {
    expect(() => withDefaults(1000, -1)).toThrow(
      'raptorq.withDefaults: mtu expected an integer in [1, 65535], got -1',
    );
  });
});

describe('bad packets throw CodecError', () => {
  const good = new Encoder(data, oti).packet(0, 3);
  it('too short, wrong sizes, out-of-range SBN and ESI', () => {
    const dec = new Decoder(oti);
    expect(codeOf(() => dec.add(new Uint8Array(4)))).toBe('unexpected_eof');
    expect(codeOf(() => dec.add(good.subarray(0, 10)))).toBe('invalid_value');
    const extra = new Uint8Array(good.length + 1);
    extra.set(good);
    expect(codeOf(() => dec.add(extra))).toBe('invalid_value');
    const sbn = Uint8Array.from(good);
    sbn[0] = 2;
    expect(codeOf(() => dec.add(sbn))).toBe('out_of_range');
    const two = new Uint8Array(4 + 32);
    two.set([0, 0xff, 0xff, 0xff]); // two symbols from ESI 2^24−1
    expect(codeOf(() => dec.add(two))).toBe('out_of_range');
  });
  it('raptorq-1.x mode rejects repair labels between K and K′', () => {
    const small: Oti = { transferLength: 40, symbolSize: 8, sourceBlocks: 1, subBlocks: 1, alignment: 1 }; // K=5, K'=10
    const dec = new Decoder(small, { compat: 'raptorq-1.x' });
    const p = new Uint8Array(12);
    p[3] = 7;
    expect(codeOf(() => dec.add(p))).toBe('out_of_range');
    p[3] = 10;
    expect(codeOf(() => dec.add(p))).toBe('none');
  });
  it('transfer length above maxTransferLength is refused before allocating', () => {
    const big = withDefaults(100 * 1024 * 1024, 1280);
    expect(codeOf(() => new Decoder(big))).toBe('limit_exceeded');
    expect(codeOf(() => new Decoder(oti, { maxTransferLength: 999 }))).toBe('limit_exceeded');
    expect(() => new Decoder(big, { maxTransferLength: 200 * 1024 * 1024 })).not.toThrow();
  });
  it('a block that stays undecodable past K + maxOverhead symbols is refused', () => {
    // Find K = 10 random ESIs whose constraint matrix is singular (≈ 0.5 % of sets).
    const p = systematicParams(10);
    const rng = new Prng(77);
    let esis: number[] = [];
    for (;;) {
      const s = new Set<number>();
      while (s.size < 10) s.add(rng.below(1000));
      esis = [...s];
      if (!buildPlan(p, Int32Array.from(esis))) break; // K = K' = 10: ESI = ISI
    }
    const o: Oti = { transferLength: 40, symbolSize: 4, sourceBlocks: 1, subBlocks: 1, alignment: 1 };
    const enc = new Encoder(new Prng(1).bytes(40), o);
    const dec = new Decoder(o, { maxOverhead: 0 });
    for (const e of esis) dec.add(enc.packet(0, e));
    expect(dec.done).toBe(false);
    const fresh = [...Array(2000).keys()].find((e) => !esis.includes(e))!;
    expect(codeOf(() => dec.add(enc.packet(0, fresh)))).toBe('limit_exceeded');
  });
  it('decode() of too few packets throws unexpected_eof; a short final source symbol is zero-extended', () => {
    const o: Oti = { transferLength: 37, symbolSize: 4, sourceBlocks: 1, subBlocks: 1, alignment: 1 };
    const d = new Prng(4).bytes(37);
    const packets = encode(d, o, { repairPerBlock: 2 });
    expect(codeOf(() => decode(o, packets.slice(0, 9)))).toBe('unexpected_eof');
    const last = packets[9]!.subarray(0, 4 + 1); // ESI 9 carries 1 data octet + 3 padding octets
    const dec = new Decoder(o);
    for (const p of [...packets.slice(0, 9), last]) dec.add(p);
    expect(dec.result()).toEqual(d);
    expect(codeOf(() => new Decoder(o).add(packets[9]!.subarray(0, 4)))).toBe('unexpected_eof');
    expect(codeOf(() => new Decoder(o).add(packets[8]!.subarray(0, 6)))).toBe('invalid_value');
  });
  it('OTI decode checks reserved octet and limits', () => {
    const b = new Uint8Array(12);
    otiCodec.encodeInto(oti, b, 0);
    const r = Uint8Array.from(b);
    r[5] = 1;
    expect(codeOf(() => otiCodec.decode(r))).toBe('invalid_value');
    const z = Uint8Array.from(b);
    z[8] = 0; // Z = 0 (OpenRQ reads it as 256; the RFC does not)
    expect(codeOf(() => otiCodec.decode(z))).toBe('out_of_range');
    expect(codeOf(() => otiCodec.decode(b.subarray(0, 11)))).toBe('unexpected_eof');
  });
});
