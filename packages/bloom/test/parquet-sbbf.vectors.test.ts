import { SPLIT_BLOCK_SALT, SplitBlockBloomFilter, splitBlockBitsPerKey, xxh64 } from '@syncwire/bloom';
import { fromHex, toHex } from '@syncwire/bytes';
import { loadVectors } from '@syncwire/testkit';
import { describe, expect, it } from 'vitest';

interface SbbfVectors {
  salt: string[];
  bits_per_key_for_fpp: { bits: number; fpp: number }[];
  xxh64: { input_utf8: string; xxh64_seed0: string }[];
  mask: { x: string; mask_words: string[] }[];
  block_index: { h: string; z: number; block_index: number }[];
  fixture_parquet_mr: { z: number; inserted_utf8: string[]; bitset_hex: string };
}

const v = loadVectors<SbbfVectors>(import.meta.url, 'sbbf-parquet.json');
const utf8 = (s: string) => new TextEncoder().encode(s);

/** The 8 little-endian words of block `b` of a Parquet bitset. */
function blockWords(bitset: Uint8Array, b: number): number[] {
  const view = new DataView(bitset.buffer, bitset.byteOffset + 32 * b, 32);
  return Array.from({ length: 8 }, (_, i) => view.getUint32(4 * i, true));
}

describe('Parquet split-block Bloom filter vectors (parquet-format BloomFilter.md, arrow-rs fixture)', () => {
  it('uses the spec salts', () => {
    expect(SPLIT_BLOCK_SALT).toEqual(v.salt.map((s) => Number(s)));
  });

  it.each(v.xxh64)('XXH64("$input_utf8", seed 0) = $xxh64_seed0', ({ input_utf8, xxh64_seed0 }) => {
    expect(xxh64(utf8(input_utf8)).toString(16).padStart(16, '0')).toBe(xxh64_seed0);
  });

  it('xxh64("") is 17241709254077376921 (arrow-rs)', () => {
    expect(xxh64(new Uint8Array(0))).toBe(17241709254077376921n);
  });

  it.each(v.mask)('mask($x) sets exactly the listed bit in each word', ({ x, mask_words }) => {
    const f = new SplitBlockBloomFilter({ blocks: 1 });
    f.addHash(BigInt(x)); // high 32 bits 0 → block 0 of 1
    expect(blockWords(f.toParquet(), 0)).toEqual(mask_words.map((w) => Number(w)));
  });

  it.each(v.block_index)('block index of $h with z = $z is $block_index', ({ h, z, block_index }) => {
    const f = new SplitBlockBloomFilter({ blocks: z });
    f.addHash(BigInt(`0x${h}`));
    const bits = f.toParquet();
    const hit: number[] = [];
    for (let b = 0; b < z; b++) if (blockWords(bits, b).some((w) => w !== 0)) hit.push(b);
    expect(hit).toEqual([block_index]);
  });

  it('reproduces the parquet-mr bitset for a0..a9 bit for bit', () => {
    const fx = v.fixture_parquet_mr;
    const f = new SplitBlockBloomFilter({ blocks: fx.z });
    for (const s of fx.inserted_utf8) f.add(utf8(s));
    expect(toHex(f.toParquet())).toBe(fx.bitset_hex);
  });

  it('reads the parquet-mr bitset and finds every inserted value', () => {
    const fx = v.fixture_parquet_mr;
    const f = SplitBlockBloomFilter.fromParquet(fromHex(fx.bitset_hex));
    for (const s of fx.inserted_utf8) expect(f.has(utf8(s))).toBe(true);
    expect(toHex(SplitBlockBloomFilter.fromBytes(f.toBytes()).toParquet())).toBe(fx.bitset_hex);
  });

  it.each(v.bits_per_key_for_fpp)('sizes from the spec table: $fpp → $bits bits/key', ({ bits, fpp }) => {
    expect(splitBlockBitsPerKey(fpp)).toBeCloseTo(bits, 9);
  });
});
