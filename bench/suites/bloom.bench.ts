import { BloomFilter, SplitBlockBloomFilter } from '@syncwire/bloom';
import { randomBytes } from '@syncwire/testkit';
import BloomFilters from 'bloom-filters';
// @ts-expect-error bloomfilter ships no type declarations
import { BloomFilter as JdBloomFilterJs } from 'bloomfilter';
import type { CaseSpec, Suite } from '../src/registry.ts';

/** The part of jasondavies' bloomfilter 1.x API used here. */
interface JdBloom {
  m: number;
  k: number;
  add(v: string): void;
  test(v: string): boolean;
}
const JdBloomFilter = JdBloomFilterJs as new (m: number, k: number) => JdBloom;

// Issue 3's speed targets, same run, 1 M random 32-byte keys, 1 % target FPR:
// - BloomFilter add/has ≥ 3x `bloomfilter` (jasondavies; it takes strings, so it gets the lowercase hex of each key,
//   precomputed outside the timing) and ≥ 50x `bloom-filters` (given a Buffer view of the same bytes);
// - digest mode (the keys are uniform, as SHA-256 ids are) is the headline; xxh64 mode (any bytes) is shown too.
// Every call does BATCH operations on the next BATCH keys. `has` queries members (all k probes run).

export const N = 1_000_000;
export const BATCH = 1000;

/** 1 M pseudo-random 32-byte keys (views into one buffer) plus the same bytes as hex strings and Buffers. */
export function fixtureKeys(n: number, seed: number): Uint8Array[] {
  const all = randomBytes(32 * n, seed);
  return Array.from({ length: n }, (_, i) => all.subarray(32 * i, 32 * i + 32));
}

/** Runs `op` on keys[i .. i + BATCH) and advances i, wrapping at the end. */
export function batched<T>(keys: readonly T[], op: (k: T) => unknown): () => number {
  let at = 0;
  return () => {
    let x = 0;
    const end = at + BATCH;
    for (let i = at; i < end; i++) if (op(keys[i]!)) x++;
    at = end >= keys.length ? 0 : end;
    return x;
  };
}

/** Fraction of `queries` answered true. */
export function fprOf(has: (k: Uint8Array) => boolean, queries: readonly Uint8Array[]): number {
  let hits = 0;
  for (const q of queries) if (has(q)) hits++;
  return hits / queries.length;
}

const suite: Suite = () => {
  const keys = fixtureKeys(N, 0xb100);
  const hex = keys.map((k) => Buffer.from(k.buffer, k.byteOffset, 32).toString('hex'));
  const bufs = keys.map((k) => Buffer.from(k.buffer, k.byteOffset, 32));
  const probes = fixtureKeys(100_000, 0xb101);

  const jdLabel = 'bloomfilter (hex string of each key)';
  const bfLabel = 'bloom-filters (Buffer keys)';

  // Filled copies for the `has` cases and the measured-FPR metrics.
  const oursDigest = BloomFilter.create({ expectedItems: N, fpr: 0.01, hash: 'digest' });
  const oursXxh = BloomFilter.create({ expectedItems: N, fpr: 0.01 });
  const sbbf = SplitBlockBloomFilter.create({ expectedItems: N, fpr: 0.01, hash: 'digest' });
  const jd = new JdBloomFilter(oursDigest.bits, oursDigest.hashes);
  const bf = BloomFilters.BloomFilter.create(N, 0.01);
  for (let i = 0; i < N; i++) {
    oursDigest.add(keys[i]!);
    oursXxh.add(keys[i]!);
    sbbf.add(keys[i]!);
    jd.add(hex[i]!);
    bf.add(bufs[i]!);
  }
  const probeHex = probes.map((k) => Buffer.from(k.buffer, k.byteOffset, 32).toString('hex'));
  let j = 0;
  const metrics = {
    syncwire: {
      'bits/item': oursDigest.bits / N,
      fpr: fprOf((k) => oursDigest.has(k), probes),
      k: oursDigest.hashes,
    },
    [jdLabel]: { 'bits/item': jd.m / N, fpr: fprOf(() => jd.test(probeHex[j++]!), probes), k: jd.k },
    [bfLabel]: {
      'bits/item': bf.size / N,
      fpr: fprOf((k) => bf.has(Buffer.from(k.buffer, k.byteOffset, 32)), probes),
      k: bf._nbHashes,
    },
  };
  const xxhMetrics = {
    syncwire: { 'bits/item': oursXxh.bits / N, fpr: fprOf((k) => oursXxh.has(k), probes), k: oursXxh.hashes },
    [jdLabel]: metrics[jdLabel],
  };
  const sbbfMetrics = {
    syncwire: { 'bits/item': sbbf.bits / N, fpr: fprOf((k) => sbbf.has(k), probes) },
    [jdLabel]: metrics[jdLabel],
  };

  // Fresh filters for the `add` cases (adding a key twice costs the same as once: all probes are written).
  const addDigest = BloomFilter.create({ expectedItems: N, fpr: 0.01, hash: 'digest' });
  const addXxh = BloomFilter.create({ expectedItems: N, fpr: 0.01 });
  const addSbbf = SplitBlockBloomFilter.create({ expectedItems: N, fpr: 0.01, hash: 'digest' });
  const addJd = new JdBloomFilter(oursDigest.bits, oursDigest.hashes);
  const addBf = BloomFilters.BloomFilter.create(N, 0.01);

  const cases: CaseSpec[] = [
    {
      name: 'bloom/add/1M-keys-32B-digest',
      opsPerCall: BATCH,
      metrics,
      impls: {
        syncwire: batched(keys, (k) => addDigest.add(k)),
        [jdLabel]: batched(hex, (k) => addJd.add(k)),
        [bfLabel]: batched(bufs, (k) => addBf.add(k)),
      },
    },
    {
      name: 'bloom/has/1M-keys-32B-digest',
      opsPerCall: BATCH,
      metrics,
      impls: {
        syncwire: batched(keys, (k) => oursDigest.has(k)),
        [jdLabel]: batched(hex, (k) => jd.test(k)),
        [bfLabel]: batched(bufs, (k) => bf.has(k)),
      },
    },
    {
      name: 'bloom/add/1M-keys-32B-xxh64',
      opsPerCall: BATCH,
      metrics: xxhMetrics,
      impls: {
        syncwire: batched(keys, (k) => addXxh.add(k)),
        [jdLabel]: batched(hex, (k) => addJd.add(k)),
      },
    },
    {
      name: 'bloom/has/1M-keys-32B-xxh64',
      opsPerCall: BATCH,
      metrics: xxhMetrics,
      impls: {
        syncwire: batched(keys, (k) => oursXxh.has(k)),
        [jdLabel]: batched(hex, (k) => jd.test(k)),
      },
    },
    {
      name: 'bloom/sbbf-add/1M-keys-32B-digest',
      opsPerCall: BATCH,
      metrics: sbbfMetrics,
      impls: {
        syncwire: batched(keys, (k) => addSbbf.add(k)),
        [jdLabel]: batched(hex, (k) => addJd.add(k)),
      },
    },
    {
      name: 'bloom/sbbf-has/1M-keys-32B-digest',
      opsPerCall: BATCH,
      metrics: sbbfMetrics,
      impls: {
        syncwire: batched(keys, (k) => sbbf.has(k)),
        [jdLabel]: batched(hex, (k) => jd.test(k)),
      },
    },
  ];
  return cases;
};

export default suite;
