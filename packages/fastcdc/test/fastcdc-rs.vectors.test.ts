import { createHash } from 'node:crypto';
import { blake3 } from '@noble/hashes/blake3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { Chunker, chunk, cutPoints, type FastCdcOptions, logarithm2 } from '@syncwire/fastcdc';
import { loadFixture, loadVectors, Prng } from '@syncwire/testkit';
import { describe, expect, it } from 'vitest';
import { GEAR_WORDS, MASK_WORDS } from '../src/gear-table.ts';
import { resolveOptions } from '../src/options.ts';

// Vectors restated from nlfiedler/fastcdc-rs 4.0.1 unit tests (see test/vectors/published.json "source").
interface PublishedChunk {
  offset: number;
  length: number;
  hash: string;
  blake3?: string;
}
interface PublishedCase {
  test: string;
  input: string;
  min: number;
  avg: number;
  max: number;
  level: number;
  seed?: number;
  chunks?: PublishedChunk[];
}
interface Published {
  fixture: { length: number; sha256: string };
  v2020: {
    limits: Record<string, number>;
    defaultNormalizationLevel: number;
    maskSelection: {
      min: number;
      avg: number;
      max: number;
      level: number;
      mask_l_index: number;
      mask_s_index: number;
    }[];
    logarithm2: { values: Record<string, number> };
    cases: PublishedCase[];
    readmeExample: { output: PublishedChunk[] };
  };
  v2016: { cases: PublishedCase[] };
}

const pub = loadVectors<Published>(import.meta.url, 'published.json');
const gearJson = loadVectors<{ GEAR: string[]; GEAR_LS: string[]; MASKS: string[] }>(
  import.meta.url,
  'gear.json',
);
const sekien = loadFixture(import.meta.url, 'SekienAkashita.jpg');

function inputOf(c: PublishedCase): Uint8Array {
  if (c.input === 'SekienAkashita.jpg') return sekien;
  if (c.input === '10240 zero bytes') return new Uint8Array(10240);
  throw new Error(`unknown input ${c.input}`);
}

function optionsOf(c: PublishedCase, variant: 'v2020' | 'v2016'): FastCdcOptions {
  return { min: c.min, avg: c.avg, max: c.max, level: c.level, seed: c.seed ?? 0, variant, hashes: true };
}

const triples = (chunks: readonly { offset: number; length: number; hash?: bigint | string }[]) =>
  chunks.map((c) => [c.offset, c.length, String(c.hash)]);

/** Feeds `data` to a Chunker in pieces cut at PRNG-chosen points. */
function streamed(data: Uint8Array, options: FastCdcOptions, seed: number, maxPiece: number) {
  const prng = new Prng(seed);
  const chunker = new Chunker(options);
  const out = [];
  for (let i = 0; i < data.length; ) {
    const n = Math.min(data.length - i, prng.below(maxPiece + 1));
    out.push(...chunker.push(data.subarray(i, i + n)));
    i += n;
  }
  out.push(...chunker.finish());
  return out;
}

describe('fixture and tables', () => {
  it('SekienAkashita.jpg is the crate fixture', () => {
    expect(sekien.length).toBe(pub.fixture.length);
    expect(createHash('sha256').update(sekien).digest('hex')).toBe(pub.fixture.sha256);
  });

  it('GEAR is MD5-derived and matches gear.json; MASKS match', () => {
    for (let i = 0; i < 256; i++) {
      const md5 = createHash('md5').update(new Uint8Array(64).fill(i)).digest();
      const word = (GEAR_WORDS[2 * i]! * 2 ** 32 + GEAR_WORDS[2 * i + 1]!).toString(16).padStart(16, '0');
      expect(BigInt(`0x${md5.subarray(0, 8).toString('hex')}`)).toBe(BigInt(gearJson.GEAR[i]!));
      expect(
        BigInt(`0x${GEAR_WORDS[2 * i]!.toString(16)}${GEAR_WORDS[2 * i + 1]!.toString(16).padStart(8, '0')}`),
      ).toBe(BigInt(gearJson.GEAR[i]!));
      expect(word.length).toBe(16);
      expect((BigInt(gearJson.GEAR[i]!) << 1n) & ((1n << 64n) - 1n)).toBe(BigInt(gearJson.GEAR_LS[i]!));
    }
    for (let k = 0; k < 26; k++) {
      const m = (BigInt(MASK_WORDS[2 * k]!) << 32n) | BigInt(MASK_WORDS[2 * k + 1]!);
      expect(m).toBe(BigInt(gearJson.MASKS[k]!));
      expect(m >> 48n).toBe(0n); // why only 49 hash bits matter
    }
  });

  it('logarithm2 rounds (test_logarithm2)', () => {
    for (const [x, bits] of Object.entries(pub.v2020.logarithm2.values))
      expect(logarithm2(Number(x))).toBe(bits);
  });

  it('mask selection (test_masks) and default level 1', () => {
    for (const m of pub.v2020.maskSelection) {
      const p = resolveOptions('t', { min: m.min, avg: m.avg, max: m.max, level: m.level });
      expect([p.maskLIndex, p.maskSIndex]).toEqual([m.mask_l_index, m.mask_s_index]);
    }
    expect(resolveOptions('t', {}).level).toBe(pub.v2020.defaultNormalizationLevel);
  });
});

for (const [variant, engine] of [
  ['v2020', 'js'],
  ['v2020', 'wasm'],
  ['v2016', 'js'],
  ['v2016', 'wasm'],
] as const) {
  describe(`fastcdc-rs ${variant} published chunks (${engine} engine)`, () => {
    for (const c of pub[variant].cases.filter((k) => k.chunks)) {
      const data = inputOf(c);
      const options = { ...optionsOf(c, variant), engine };
      it(`${c.test}: offsets, lengths and hashes (min ${c.min}, avg ${c.avg}, max ${c.max}, level ${c.level}, seed ${c.seed ?? 0})`, () => {
        expect(triples(chunk(data, options))).toEqual(triples(c.chunks!));
        expect(Array.from(cutPoints(data, options))).toEqual(c.chunks!.map((k) => k.offset + k.length));
      });
      it(`${c.test}: same through Chunker with random splits`, () => {
        for (let seed = 1; seed <= 12; seed++) {
          const got = streamed(data, options, seed, seed < 6 ? 97 : 40_000);
          expect(triples(got)).toEqual(triples(c.chunks!));
          expect(got.every((k, i) => k.bytes.length === c.chunks![i]!.length)).toBe(true);
        }
      });
      if (c.chunks!.some((k) => k.blake3)) {
        it(`${c.test}: BLAKE3 of every chunk's bytes`, () => {
          const got = chunk(data, options).map((k) =>
            bytesToHex(blake3(data.subarray(k.offset, k.offset + k.length))),
          );
          expect(got).toEqual(c.chunks!.map((k) => k.blake3));
        });
      }
    }
  });
}

describe('fastcdc-rs v2020 special cases', () => {
  it('all zeros: ten 1024-byte chunks with hash 14169102344523991076 (test_cut_all_zeros)', () => {
    const got = chunk(new Uint8Array(10240), { min: 64, avg: 256, max: 1024, hashes: true });
    expect(got).toHaveLength(10);
    for (const [i, k] of got.entries()) {
      expect([k.offset, k.length, k.hash]).toEqual([i * 1024, 1024, 14169102344523991076n]);
    }
  });

  it('README example (examples/v2020.rs --size 16384)', () => {
    const got = chunk(sekien, { min: 4096, avg: 16384, max: 65536, hashes: true });
    expect(triples(got)).toEqual(triples(pub.v2020.readmeExample.output));
  });

  it('limits are the crate constants', () => {
    const l = pub.v2020.limits;
    const ok = { min: l.MINIMUM_MIN!, avg: l.AVERAGE_MIN!, max: l.MAXIMUM_MIN! };
    expect(() => chunk(sekien, ok)).not.toThrow();
    expect(() =>
      chunk(sekien, { min: l.MINIMUM_MAX!, avg: l.AVERAGE_MAX!, max: l.MAXIMUM_MAX! }),
    ).not.toThrow();
    expect(() => chunk(sekien, { ...ok, min: l.MINIMUM_MIN! - 1 })).toThrow(RangeError);
    expect(() => chunk(sekien, { ...ok, avg: l.AVERAGE_MIN! - 1 })).toThrow(RangeError);
    expect(() => chunk(sekien, { ...ok, max: l.MAXIMUM_MIN! - 1 })).toThrow(RangeError);
    expect(() =>
      chunk(sekien, { min: l.MINIMUM_MAX! + 1, avg: l.AVERAGE_MAX!, max: l.MAXIMUM_MAX! }),
    ).toThrow(RangeError);
    expect(() => chunk(sekien, { min: 64, avg: l.AVERAGE_MAX! + 1, max: l.MAXIMUM_MAX! })).toThrow(
      RangeError,
    );
    expect(() => chunk(sekien, { min: 64, avg: 256, max: l.MAXIMUM_MAX! + 1 })).toThrow(RangeError);
  });
});
