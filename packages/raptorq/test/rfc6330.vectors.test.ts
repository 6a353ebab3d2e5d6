import { createHash } from 'node:crypto';
import { decode as decodeWith, fromHex, toHex } from '@syncwire/bytes';
import {
  constraintMatrix,
  Decoder,
  deg,
  Encoder,
  intermediateSymbols,
  kPrimeFor,
  type Oti,
  otiCodec,
  partition,
  rand,
  systematicParams,
  tuple,
  withDefaults,
} from '@syncwire/raptorq';
import { loadVectors, Prng } from '@syncwire/testkit';
import { describe, expect, it } from 'vitest';
import { OCT_EXP, OCT_LOG } from '../src/gf256.ts';
import { DEG_F, T2_H, T2_J, T2_KPRIME, T2_S, T2_W, V0, V1, V2, V3 } from '../src/tables.generated.ts';

interface Case {
  F: number;
  T: number;
  Z: number;
  N: number;
  Al: number;
  R: number;
  oti: string;
  packets?: string[];
  intermediate?: string[];
  farRepair?: string[];
  allPacketsSha256?: string;
  repairSha256?: string;
  firstRepair?: string[];
  lastRepair?: string;
  intermediateSha256?: string;
  c0?: string;
  c1?: string;
}
interface Worked {
  rand: [number, number, number, number][];
  deg: [number, number, number][];
  tuple: Record<string, number[][]>;
  kPrime: [number, number][];
  partition: number[][];
  matrix10: string[];
  matrixSha256: Record<string, string>;
  cases: Record<string, Case>;
  withDefaults: { F: number; mtu: number; T: number; Z: number; N: number; Al: number; oti: string }[];
}
interface Tables {
  V0: number[];
  V1: number[];
  V2: number[];
  V3: number[];
  table2: number[][];
  deg: number[];
  octExp: number[];
  octLog: number[];
}

const W = loadVectors<Worked>(import.meta.url, 'rfc6330-digest-worked-values.json');
const tables = loadVectors<Tables>(import.meta.url, 'rfc6330-tables.json');
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const objectOf = (F: number): Uint8Array => Uint8Array.from({ length: F }, (_, i) => (7 * i + 3) & 255);

describe('RFC 6330 tables', () => {
  it('the generated tables equal the JSON tables', () => {
    expect(Array.from(V0)).toEqual(tables.V0);
    expect(Array.from(V1)).toEqual(tables.V1);
    expect(Array.from(V2)).toEqual(tables.V2);
    expect(Array.from(V3)).toEqual(tables.V3);
    expect(Array.from(DEG_F)).toEqual(tables.deg);
    expect(tables.table2.map((_r, i) => [T2_KPRIME[i], T2_J[i], T2_S[i], T2_H[i], T2_W[i]])).toEqual(
      tables.table2,
    );
  });
  it('GF(256) tables computed from 0x11D equal OCT_EXP / OCT_LOG', () => {
    expect(Array.from(OCT_EXP)).toEqual(tables.octExp);
    expect(Array.from(OCT_LOG).slice(1)).toEqual(tables.octLog.slice(1));
  });
});

describe('digest §20.1–§20.4', () => {
  it('Rand', () => {
    for (const [y, i, m, want] of W.rand) expect(rand(y, i, m), `Rand[${y},${i},${m}]`).toBe(want);
  });
  it('Deg (W = 1000 and W = 17)', () => {
    for (const [v, d1000, d17] of W.deg) {
      expect(deg(v, 1000)).toBe(d1000);
      expect(deg(v, 17)).toBe(d17);
    }
  });
  it('Tuple for K′ = 10, 12, 18, 101, 1002, 10017, 56403', () => {
    expect(Object.keys(W.tuple)).toHaveLength(7);
    for (const [kp, rows] of Object.entries(W.tuple)) {
      const p = systematicParams(Number(kp));
      for (const [x, ...want] of rows) expect(tuple(p, x!), `Tuple[${kp}, ${x}]`).toEqual(want);
    }
  });
  it("K → K' and Partition", () => {
    for (const [k, kp] of W.kPrime) expect(kPrimeFor(k!)).toBe(kp);
    for (const [i, j, ...want] of W.partition) expect(partition(i!, j!)).toEqual(want);
  });
  it('derived parameters of the digest §5 table', () => {
    const p = systematicParams(1000);
    expect([p.Kp, p.J, p.S, p.H, p.W, p.L, p.P, p.P1, p.U, p.B]).toEqual([
      1002, 299, 59, 10, 1021, 1071, 50, 53, 40, 962,
    ]);
    const q = systematicParams(56403);
    expect([q.L, q.P, q.P1, q.U, q.B]).toEqual([57326, 375, 379, 359, 56044]);
  });
});

describe('digest §20.5–§20.6 constraint matrix', () => {
  it("K' = 10, byte for byte", () => {
    const a = constraintMatrix(10);
    const rows = [];
    for (let r = 0; r < 27; r++) rows.push(toHex(a.subarray(r * 27, r * 27 + 27)));
    expect(rows).toEqual(W.matrix10);
  });
  it("sha256 for K' = 10, 18, 101, 1002", () => {
    for (const [kp, want] of Object.entries(W.matrixSha256))
      expect(sha256(constraintMatrix(Number(kp)))).toBe(want);
  });
});

function otiOf(c: Case): Oti {
  return { transferLength: c.F, symbolSize: c.T, sourceBlocks: c.Z, subBlocks: c.N, alignment: c.Al };
}

describe('digest §20.7–§20.9 end-to-end cases E0–E9', () => {
  it('covers ten cases', () =>
    expect(Object.keys(W.cases).sort()).toEqual([
      'E0',
      'E1',
      'E2',
      'E3',
      'E4',
      'E5',
      'E6',
      'E7',
      'E8',
      'E9',
    ]));
  for (const [name, c] of Object.entries(W.cases)) {
    it(`${name}: OTI, packets byte for byte, and decoding from repair-heavy subsets`, () => {
      const oti = otiOf(c);
      expect(toHex(encodeOti(oti))).toBe(c.oti);
      expect(decodeWith(otiCodec, fromHex(c.oti))).toEqual(oti);
      const data = objectOf(c.F);
      const enc = new Encoder(data, oti);
      const packets = enc.packets(c.R);
      if (c.packets) expect(packets.map(toHex)).toEqual(c.packets);
      else {
        const all = new Uint8Array(packets.reduce((n, p) => n + p.length, 0));
        let o = 0;
        for (const p of packets) {
          all.set(p, o);
          o += p.length;
        }
        expect(sha256(all)).toBe(c.allPacketsSha256);
        const repair = packets.slice(1000).map((p) => p.subarray(4));
        const rj = new Uint8Array(repair.length * c.T);
        for (const [i, r] of repair.entries()) rj.set(r, i * c.T);
        expect(sha256(rj)).toBe(c.repairSha256);
        expect(toHex(packets[1000]!)).toBe(c.firstRepair![0]);
        expect(toHex(packets[1001]!)).toBe(c.firstRepair![1]);
        expect(toHex(packets[1049]!)).toBe(c.lastRepair);
      }
      // Decode from K + 1 symbols per block: R − 1 random source packets dropped, every repair packet kept.
      const rng = new Prng(c.F);
      for (let trial = 0; trial < 5; trial++) {
        const drop = new Set<Uint8Array>();
        for (let sbn = 0; sbn < c.Z; sbn++) {
          const k = enc.sourceSymbols(sbn);
          const src = packets.filter((p) => p[0] === sbn).slice(0, k);
          while (drop.size < (c.R - 1) * (sbn + 1)) drop.add(src[rng.below(k)]!);
        }
        const kept = packets.filter((p) => !drop.has(p));
        const dec = new Decoder(oti);
        for (const p of rng.below(2) ? kept.reverse() : kept) dec.add(p);
        expect(dec.done).toBe(true);
        expect(dec.result()).toEqual(data);
      }
    });
  }
  it('E0: intermediate symbols and far repair ESIs', () => {
    const c = W.cases.E0!;
    const im = intermediateSymbols(objectOf(16), 4, 4);
    const got = [];
    for (let j = 0; j < 27; j++) got.push(toHex(im.subarray(j * 4, j * 4 + 4)));
    expect(got).toEqual(c.intermediate);
    const enc = new Encoder(objectOf(16), otiOf(c));
    for (const hex of c.farRepair!) {
      const esi = Number.parseInt(hex.slice(2, 8), 16);
      expect(toHex(enc.packet(0, esi))).toBe(hex);
    }
    // raptorq-1.x labels ESI 4 as ISI 10.
    const compat = new Encoder(objectOf(16), otiOf(c), { compat: 'raptorq-1.x' });
    expect(toHex(compat.packet(0, 4))).toBe(`0000000a${c.farRepair![0]!.slice(8)}`);
  });
  it('E9: intermediate symbols hash, C[0], C[1]', () => {
    const c = W.cases.E9!;
    const im = intermediateSymbols(objectOf(16000), 1000, 16);
    expect(sha256(im)).toBe(c.intermediateSha256);
    expect(toHex(im.subarray(0, 16))).toBe(c.c0);
    expect(toHex(im.subarray(16, 32))).toBe(c.c1);
  });
  it('E0: decodes from repair packets only', () => {
    const c = W.cases.E0!;
    const enc = new Encoder(objectOf(16), otiOf(c));
    const dec = new Decoder(otiOf(c));
    for (let esi = 1000; !dec.done; esi += 7) dec.add(enc.packet(0, esi));
    expect(dec.result()).toEqual(objectOf(16));
  });
});

describe('systematic property', () => {
  it("for every Table 2 K' ≤ 1200 the system solves and Enc(ISI X) reproduces source symbol X (zero for padding)", () => {
    const rng = new Prng(42);
    let checked = 0;
    for (const kp of T2_KPRIME) {
      if (kp > 1200) break;
      const k = Math.max(1, kp - rng.below(3)); // K ≤ K': some padding symbols too
      if (systematicParams(k).Kp !== kp) continue;
      const src = rng.bytes(k * 8);
      const c = intermediateSymbols(src, k, 8);
      const p = systematicParams(k);
      // Re-encode ISIs 0..K'−1 from C with the tuple rule, straight from the RFC text.
      for (let x = 0; x < kp; x++) {
        const [d, a, b0, d1, a1, b10] = tuple(p, x);
        const sym = new Uint8Array(8);
        const add = (j: number) => {
          for (let i = 0; i < 8; i++) sym[i]! ^= c[j * 8 + i]!;
        };
        let b = b0;
        let b1 = b10;
        add(b);
        for (let j = 1; j < d; j++) add((b = (b + a) % p.W));
        while (b1 >= p.P) b1 = (b1 + a1) % p.P1;
        add(p.W + b1);
        for (let j = 1; j < d1; j++) {
          b1 = (b1 + a1) % p.P1;
          while (b1 >= p.P) b1 = (b1 + a1) % p.P1;
          add(p.W + b1);
        }
        const want = x < k ? src.subarray(x * 8, x * 8 + 8) : new Uint8Array(8);
        expect(toHex(sym), `K'=${kp} ISI ${x}`).toBe(toHex(want));
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(80);
  });
});

describe('digest §20.10 withDefaults', () => {
  it('matches the reference OTIs', () => {
    for (const w of W.withDefaults) {
      const oti = withDefaults(w.F, w.mtu);
      expect(oti).toEqual({
        transferLength: w.F,
        symbolSize: w.T,
        sourceBlocks: w.Z,
        subBlocks: w.N,
        alignment: w.Al,
      });
      expect(toHex(encodeOti(oti))).toBe(w.oti);
    }
  });
});

function encodeOti(oti: Oti): Uint8Array {
  const out = new Uint8Array(12);
  otiCodec.encodeInto(oti, out, 0);
  return out;
}
