import { ReedSolomon } from '@syncwire/reed-solomon';
import { Prng } from '@syncwire/testkit';
import { describe, it } from 'vitest';
import { expectSameShards } from './helpers.ts';
import { loadReference, referenceParity } from './reference.ts';

/** (k, m, length) triples: random ones plus the edges the issue names. */
function cases(): [number, number, number][] {
  const prng = new Prng(0x5eed);
  const out: [number, number, number][] = [
    [1, 1, 1],
    [4, 2, 1],
    [10, 4, 1],
    [255, 1, 1],
    [1, 255, 1],
    [128, 128, 3],
    [200, 56, 33],
    [17, 239, 65],
    [10, 4, 65_537],
    [3, 2, 1_000_003],
  ];
  while (out.length < 160) {
    const total = 2 + prng.below(prng.below(4) === 0 ? 255 : 24);
    const k = 1 + prng.below(total - 1);
    const len = prng.below(3) === 0 ? 1 + 2 * prng.below(300) : 1 + prng.below(5000); // many odd lengths
    out.push([k, total - k, len]);
  }
  return out;
}

describe('differential vs reed-solomon-erasure (Rust crate as WASM)', () => {
  it('parity is byte-identical for many (k, m, length), SIMD and table alike', () => {
    const prng = new Prng(77);
    for (const [k, m, len] of cases()) {
      const data = Array.from({ length: k }, () => prng.bytes(len));
      const want = referenceParity(loadReference(), data, m);
      expectSameShards(new ReedSolomon(k, m, { kernel: 'simd' }).encodeParity(data), want);
      // The table path is slow for huge codes; k+m = 256 cases still run it at small lengths.
      if (k * m * len < 4_000_000)
        expectSameShards(new ReedSolomon(k, m, { kernel: 'table' }).encodeParity(data), want);
    }
  });

  it('reconstruction matches the reference for random erasures', () => {
    const prng = new Prng(78);
    for (const [k, m, len] of cases().slice(0, 80)) {
      const data = Array.from({ length: k }, () => prng.bytes(len));
      const rse = loadReference();
      const full = [...data, ...referenceParity(rse, data, m)];
      const lost = new Set<number>();
      const nLost = 1 + prng.below(m);
      while (lost.size < nLost) lost.add(prng.below(k + m));
      // Reference: flat buffer with lost shards zeroed and an availability mask.
      const flat = new Uint8Array((k + m) * len);
      full.forEach((s, i) => {
        if (!lost.has(i)) flat.set(s, i * len);
      });
      const avail = full.map((_, i) => !lost.has(i));
      const rc = rse.reconstruct(flat, k, m, avail);
      if (rc !== 0) throw new Error(`reference reconstruct failed ${rc}`);
      const refData = Array.from({ length: k }, (_, i) => flat.slice(i * len, (i + 1) * len));
      const ours = full.map((s, i) => (lost.has(i) ? null : s));
      new ReedSolomon(k, m).reconstruct(ours);
      expectSameShards(ours.slice(0, k), refData);
      expectSameShards(ours, full);
    }
  });
});
