import { encodeFilterEnvelope, FilterKind, HashId, xxh64 } from '@syncwire/bloom';
import { BinaryFuseFilter } from '@syncwire/fuse';
import { Prng } from '@syncwire/testkit';
import { describe, expect, it } from 'vitest';

// has() is hand-tuned for V8 (32-bit limbs, a float shortcut for h0, fields kept small integers), so it is checked
// here against a direct BigInt transcription of rfcs/0002-filters.md §Binary fuse, on both h0 paths (the float one
// for segmentCount·L < 2^21, 32-bit multiply-high above), both fingerprint widths and both key hashes.

const M64 = (1n << 64n) - 1n;

function fmix64(x: bigint): bigint {
  x ^= x >> 33n;
  x = (x * 0xff51afd7ed558ccdn) & M64;
  x ^= x >> 33n;
  x = (x * 0xc4ceb9fe1a85ec53n) & M64;
  return x ^ (x >> 33n);
}

interface Shape {
  f: 8 | 16;
  L: number;
  segmentCount: number;
  digest: boolean;
  seed: bigint;
}

/** Cells and fingerprint of `key` per the RFC. */
function cellsOf(s: Shape, key: Uint8Array): { cells: [number, number, number]; fp: number } {
  let h: bigint;
  if (s.digest) {
    let w = 0n;
    for (let i = 7; i >= 0; i--) w = (w << 8n) | BigInt(key[i]!);
    h = w ^ s.seed;
  } else h = xxh64(key, s.seed);
  h = fmix64(h);
  const lo = h & 0xffffffffn;
  const hi = h >> 32n;
  const L = BigInt(s.L);
  const h0 = (hi * BigInt(s.segmentCount) * L) >> 32n;
  const h1 = (h0 + L) ^ ((h >> 18n) & (L - 1n));
  const h2 = (h0 + 2n * L) ^ (h & (L - 1n));
  const fp = Number((lo ^ hi) & BigInt((1 << s.f) - 1));
  return { cells: [Number(h0), Number(h1), Number(h2)], fp };
}

function cellAt(table: Uint8Array, f: 8 | 16, i: number): number {
  return f === 8 ? table[i]! : table[2 * i]! | (table[2 * i + 1]! << 8);
}

function setCell(table: Uint8Array, f: 8 | 16, i: number, v: number): void {
  if (f === 8) table[i] = v;
  else {
    table[2 * i] = v & 0xff;
    table[2 * i + 1] = v >>> 8;
  }
}

function refHas(s: Shape, table: Uint8Array, key: Uint8Array): boolean {
  const { cells, fp } = cellsOf(s, key);
  return (cellAt(table, s.f, cells[0]) ^ cellAt(table, s.f, cells[1]) ^ cellAt(table, s.f, cells[2])) === fp;
}

/** A filter with the given shape and table, through fromBytes (keyCount is informational). */
function filterOf(s: Shape, table: Uint8Array): BinaryFuseFilter {
  const params = new Uint8Array(12);
  const dv = new DataView(params.buffer);
  dv.setUint32(0, s.L, true);
  dv.setUint32(4, s.segmentCount, true);
  dv.setUint32(8, 1, true);
  const bytes = encodeFilterEnvelope({
    kind: s.f === 8 ? FilterKind.binaryFuse8 : FilterKind.binaryFuse16,
    hash: s.digest ? HashId.digest : HashId.xxh64,
    seedLo: Number(s.seed & 0xffffffffn),
    seedHi: Number(s.seed >> 32n),
    params,
    table,
  });
  return BinaryFuseFilter.fromBytes(bytes);
}

function keysOf(prng: Prng, n: number, len: number): Uint8Array[] {
  return Array.from({ length: n }, () => prng.fill(new Uint8Array(len)));
}

describe('BinaryFuseFilter.has against a BigInt transcription of the RFC', () => {
  const shapes: Shape[] = [];
  for (const f of [8, 16] as const) {
    for (const digest of [true, false]) {
      // segmentCount·L = 2^21 - 2^12 (float h0) and 2^21 (multiply-high h0); seeds with the top bit set in both words.
      shapes.push({ f, L: 4096, segmentCount: 511, digest, seed: 0x9e3779b97f4a7c15n });
      shapes.push({ f, L: 2 ** 18, segmentCount: 8, digest, seed: 0xfedcba9876543210n });
    }
  }

  it.each(shapes)('f=$f L=$L segments=$segmentCount digest=$digest', (s) => {
    const prng = new Prng(s.f * 7 + s.L + (s.digest ? 1 : 0));
    const cells = (s.segmentCount + 2) * s.L;
    const table = prng.fill(new Uint8Array((cells * s.f) / 8));
    // Members by construction: for each key, the last of its cells is set so the three XOR to its fingerprint.
    const members = keysOf(prng, 2000, s.digest ? 32 : 11);
    for (const k of members) {
      const { cells: c, fp } = cellsOf(s, k);
      setCell(table, s.f, c[2], fp ^ cellAt(table, s.f, c[0]) ^ cellAt(table, s.f, c[1]));
    }
    const filter = filterOf(s, table);
    let hits = 0;
    for (const k of members) {
      const want = refHas(s, table, k);
      if (want) hits++;
      expect(filter.has(k)).toBe(want);
    }
    // A later key can overwrite an earlier one's cell; nearly all must still be members.
    expect(hits).toBeGreaterThan(1990);
    // Non-members against the random table: for 8-bit cells about 1 in 256 matches, and must match the same way.
    let agree = 0;
    for (const k of keysOf(prng, 20_000, s.digest ? 16 : 5))
      if (filter.has(k) === refHas(s, table, k)) agree++;
    expect(agree).toBe(20_000);
  });

  it('matches the reference on filters built from keys, members and non-members', () => {
    const prng = new Prng(77);
    for (const fingerprintBits of [8, 16] as const) {
      for (const hash of ['digest', 'xxh64'] as const) {
        const keys = keysOf(prng, 3000, 32);
        const f = BinaryFuseFilter.build(keys, { fingerprintBits, hash, seed: 0x8000000180000001n });
        const bytes = f.toBytes();
        const table = bytes.subarray(bytes.length - (f.arrayLength * fingerprintBits) / 8);
        const s: Shape = {
          f: fingerprintBits,
          L: f.segmentLength,
          segmentCount: f.segmentCount,
          digest: hash === 'digest',
          seed: f.seed,
        };
        for (const k of keys) expect(refHas(s, table, k)).toBe(true);
        for (const k of keysOf(prng, 5000, 32)) expect(f.has(k)).toBe(refHas(s, table, k));
      }
    }
  });
});
