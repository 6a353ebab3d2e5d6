import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fmtMBs, fmtMetric, fmtOps, fmtRatio, fmtRme, metricLabel } from '../src/format.ts';
import { allPackages, buildPackages, geomean, historyRatio, ImplKinds, ratio, speed } from '../src/model.ts';
import type { BenchResults } from '../src/types.ts';

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/results.json', import.meta.url), 'utf8'),
) as BenchResults;

const kinds = new ImplKinds(
  Object.keys(
    (
      JSON.parse(readFileSync(new URL('./fixtures/bench-package.json', import.meta.url), 'utf8')) as {
        devDependencies: Record<string, string>;
      }
    ).devDependencies,
  ),
);

describe('buildPackages', () => {
  const pkgs = buildPackages(fixture, kinds);

  it('groups cases by package in run order, syncwire first', () => {
    expect(pkgs.map((p) => p.name)).toEqual(['varint', 'bloom', 'reed-solomon', 'riblt']);
    const varint = pkgs[0]!;
    expect(varint.impls).toEqual([
      'syncwire',
      'varint',
      'protobufjs',
      'unrolled loop (lower bound, no checks)',
    ]);
    expect(varint.baselines).toEqual(['unrolled loop (lower bound, no checks)']);
    expect(varint.cases.map((c) => c.label)).toEqual(['encode/u32-mixed', 'decode/u32-mixed']);
    for (const p of pkgs) for (const c of p.cases) expect(c.rows[0]!.impl).toBe('syncwire');
  });

  it('splits a package by unit: MB/s only when every impl of the case has bytesPerOp', () => {
    const rs = pkgs.find((p) => p.name === 'reed-solomon')!;
    expect(rs.speedGroups.map((g) => [g.unit, g.cases.map((c) => c.label)])).toEqual([
      ['MB/s', ['encode/10+4x4KiB', 'recover/10+4x4KiB-4lost']],
      ['ops/s', ['init/10+4']],
    ]);
    const row = rs.cases[0]!.rows[0]!;
    expect(speed(row, 'MB/s')).toBeCloseTo((21450 * 40960) / 1e6, 9);
    expect(speed(row, 'ops/s')).toBe(21450);
  });

  it('tells syncwire, its variants, peer libraries and baselines apart', () => {
    expect(kinds.kind('syncwire')).toBe('ours');
    expect(kinds.kind('syncwire (TS tables, no WASM)')).toBe('variant');
    expect(kinds.kind('bloom-filters BloomFilter (Buffer keys)')).toBe('library');
    expect(kinds.kind('@ronomon/reed-solomon')).toBe('library');
    expect(kinds.kind('@syncwire/fuse Fuse8 (reference)')).toBe('baseline');
    expect(kinds.kind('unrolled loop (lower bound, no checks)')).toBe('baseline');
    // without a dependency list: one npm-style name before an optional note
    const guess = new ImplKinds();
    expect(guess.kind('merkletreejs (same sha256; not RFC 6962)')).toBe('library');
    expect(guess.kind('bare 65536 + 65535 sha256 calls (same hasher)')).toBe('baseline');
    const rs = pkgs.find((p) => p.name === 'reed-solomon')!;
    expect(rs.impls).toEqual(['syncwire', 'syncwire (TS tables, no WASM)', '@ronomon/reed-solomon']);
    expect(rs.variants).toEqual(['syncwire (TS tables, no WASM)']);
    const bloom = pkgs.find((p) => p.name === 'bloom')!;
    expect(bloom.libraries).toEqual(['bloom-filters BloomFilter (Buffer keys)', 'bloomfilter']);
    expect(bloom.baselines).toEqual(['@syncwire/fuse Fuse8 (reference)']);
  });

  it('collects the metrics columns of a package', () => {
    expect(pkgs.find((p) => p.name === 'bloom')!.metricKeys).toEqual([
      'bitsPerItem',
      'fpr',
      'falseNegatives',
    ]);
    expect(pkgs.find((p) => p.name === 'riblt')!.metricKeys).toEqual(['symbolsPerDiff']);
    expect(pkgs[0]!.metricKeys).toEqual([]);
  });

  it('ratios are syncwire ÷ peer; the headline is the geometric mean over cases vs the fastest peer', () => {
    const varint = pkgs[0]!;
    const [enc] = varint.cases;
    expect(enc!.fastest!.impl).toBe('protobufjs');
    expect(ratio(enc!.ours, enc!.rows[1])).toBeCloseTo(48210000 / 21870000, 12);
    expect(varint.vsFastest).toBeCloseTo(Math.sqrt((48210000 / 30550000) * (61230000 / 67820000)), 12);
    // a case without a peer does not count
    const bloom = pkgs.find((p) => p.name === 'bloom')!;
    expect(bloom.vsFastest).toBeCloseTo(Math.sqrt((9120000 / 5830000) * (12650000 / 7410000)), 12);
    expect(ratio(undefined, enc!.rows[1])).toBeNull();
    expect(geomean([])).toBeNull();
  });

  it('lists packages found only in history after the latest ones', () => {
    const extra = {
      schema: 1 as const,
      gitSha: 'x',
      date: '2026-01-01T00:00:00Z',
      node: '',
      cpu: '',
      mode: 'quick',
    };
    expect(allPackages(fixture, [{ ...extra, hz: { 'cuckoo/add/1k': { syncwire: 1 } } }])).toEqual([
      'varint',
      'bloom',
      'reed-solomon',
      'riblt',
      'cuckoo',
    ]);
    expect(allPackages(null, [])).toEqual([]);
    expect(
      historyRatio(
        { ...extra, hz: { 'a/b/c': { syncwire: 6, varint: 2, bloomfilter: 3, 'bare loop': 12 } } },
        'a/b/c',
        kinds,
      ),
    ).toBe(2);
    expect(historyRatio({ ...extra, hz: { 'a/b/c': { syncwire: 6 } } }, 'a/b/c', kinds)).toBeNull();
    expect(historyRatio({ ...extra, hz: {} }, 'a/b/c', kinds)).toBeNull();
  });
});

describe('format', () => {
  it('prints speeds, ratios and metrics readably', () => {
    expect(fmtOps(48210000)).toBe('48.2 M ops/s');
    expect(fmtOps(1843)).toBe('1.84 k ops/s');
    expect(fmtOps(412)).toBe('412 ops/s');
    expect(fmtOps(2.5e9)).toBe('2.5 G ops/s');
    expect(fmtMBs(878.6)).toBe('879 MB/s');
    expect(fmtMBs(1234)).toBe('1.23 GB/s');
    expect(fmtRatio(1.8512)).toBe('1.85×');
    expect(fmtRatio(23.4)).toBe('23×');
    expect(fmtRme(1.44)).toBe('±1.4%');
    expect(fmtMetric(0)).toBe('0');
    expect(fmtMetric(12345)).toBe('12,345');
    expect(fmtMetric(0.00987)).toBe('0.00987');
    expect(fmtMetric(0.0000123)).toBe('1.23e-5');
    expect(fmtMetric(9.58512)).toBe('9.585');
    expect(fmtMetric(0.00001)).toBe('1e-5');
    expect(fmtMetric(1359.44)).toBe('1,359');
    expect(metricLabel('bitsPerItem')).toBe('bits/item');
    expect(metricLabel('peakHeapBytes')).toBe('peak heap bytes');
  });
});

describe('wrapLabel', () => {
  it('wraps at slashes, then hyphens, within the width, with at most four lines', async () => {
    const { wrapLabel } = await import('../src/charts/axes.ts');
    expect(wrapLabel('encode/u32-mixed', 400)).toEqual(['encode/u32-mixed']);
    expect(wrapLabel('root/64Ki-leaves-32B/noble', 120)).toEqual(['root/', '64Ki-leaves-32B/', 'noble']);
    expect(wrapLabel('root/64Ki-leaves-32B/noble', 100)).toEqual(['root/', '64Ki-leaves-', '32B/noble']);
    expect(wrapLabel('add/1M-keys-32B-digest', 70)).toEqual(['add/', '1M-keys-', '32B-digest']);
    for (const l of wrapLabel('inclusion-prove+verify/64Ki-leaves-32B/node-crypto', 70))
      expect(l.length).toBeLessThanOrEqual(10);
    expect(wrapLabel('a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q', 28)).toHaveLength(4);
  });
});
