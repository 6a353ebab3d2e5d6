import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatherDashboardData, jsonForHtml } from '../build/gather.ts';
import { filesToPrune, historyFileName, mergeHistory, toHistoryEntry } from '../build/history.ts';
import { validateHistoryEntry, validateResults } from '../build/validate.ts';
import type { BenchResults, HistoryEntry } from '../src/types.ts';

function results(gitSha: string, date: string, hz = 123456.789): BenchResults {
  return {
    schema: 1,
    node: 'v20.20.2',
    cpu: 'cpu x2',
    date,
    gitSha,
    mode: 'quick',
    rows: [
      { name: 'varint/encode/x', impl: 'syncwire', hz, rme: 1, samples: 10 },
      { name: 'varint/encode/x', impl: 'varint', hz: hz / 2, rme: 1, samples: 10, metrics: { a: 1 } },
    ],
  };
}

const entry = (gitSha: string, date: string, mode = 'quick'): HistoryEntry => ({
  ...toHistoryEntry(results(gitSha, date)),
  mode,
});

describe('history entries', () => {
  it('keep only rounded speeds per case and impl', () => {
    const e = toHistoryEntry(results('abc1234', '2026-11-22T01:02:03.456Z'));
    expect(e.hz).toEqual({ 'varint/encode/x': { syncwire: 123500, varint: 61730 } });
    expect(historyFileName(e)).toBe('20261122T010203Z-abc1234.json');
    expect(JSON.stringify(e).length).toBeLessThan(300);
  });

  it('merge: sorted by date, latest appended once, capped to the newest', () => {
    const a = entry('a', '2026-01-02T00:00:00Z');
    const b = entry('b', '2026-01-01T00:00:00Z');
    const latest = results('c', '2026-01-03T00:00:00Z');
    expect(mergeHistory([a, b], latest).map((e) => e.gitSha)).toEqual(['b', 'a', 'c']);
    // already recorded: not duplicated
    expect(mergeHistory([a, b, toHistoryEntry(latest)], latest).map((e) => e.gitSha)).toEqual([
      'b',
      'a',
      'c',
    ]);
    expect(mergeHistory([a, b], latest, 2).map((e) => e.gitSha)).toEqual(['a', 'c']);
    expect(mergeHistory([], null)).toEqual([]);
  });

  it('prune: a re-recorded commit replaces its older entry, then the oldest beyond the cap go', () => {
    const files = ['x1', 'x2', 'x3'].map((sha, i) => {
      const e = entry(sha, `2026-01-0${i + 1}T00:00:00Z`);
      return { file: historyFileName(e), entry: e };
    });
    const again = entry('x2', '2026-01-09T00:00:00Z');
    expect(filesToPrune(files, again, 10)).toEqual([files[1]!.file]);
    expect(filesToPrune(files, again, 2)).toEqual([files[1]!.file, files[0]!.file]);
    expect(filesToPrune(files, entry('x2', '2026-01-09T00:00:00Z', 'full'), 10)).toEqual([]);
    expect(filesToPrune(files, entry('y', '2026-01-09T00:00:00Z'), 3)).toEqual([files[0]!.file]);
  });
});

describe('validation', () => {
  it('accepts the bench schema and rejects malformed files naming the field', () => {
    expect(validateResults(results('a', 'd'), 'r.json').rows).toHaveLength(2);
    expect(() => validateResults({ ...results('a', 'd'), schema: 2 }, 'r.json')).toThrow(
      'dashboard: r.json: schema expected 1, got 2',
    );
    const bad = results('a', 'd') as unknown as { rows: Record<string, unknown>[] };
    bad.rows[1]!.hz = 'fast';
    expect(() => validateResults(bad, 'r.json')).toThrow(
      'r.json rows[1]: hz expected a finite number, got fast',
    );
    bad.rows[1]!.hz = 1;
    bad.rows[1]!.metrics = { fpr: null };
    expect(() => validateResults(bad, 'r.json')).toThrow('metrics.fpr expected a finite number');
    bad.rows[1]!.metrics = {};
    bad.rows[1]!.name = 'nopackage';
    expect(() => validateResults(bad, 'r.json')).toThrow('is not <package>/<op>/<fixture>');
    expect(() => validateResults([], 'r.json')).toThrow('expected a JSON object');
    expect(() => validateHistoryEntry({ ...entry('a', 'd'), hz: [] }, 'h.json')).toThrow(
      '"hz" expected an object',
    );
  });

  it('gathers a missing results file as the empty state and reads the history folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dash-'));
    expect(
      gatherDashboardData(join(dir, 'none.json'), join(dir, 'nohistory'), join(dir, 'none.json')),
    ).toEqual({
      latest: null,
      history: [],
      libraries: [],
    });
    writeFileSync(join(dir, 'latest.json'), JSON.stringify(results('b', '2026-01-02T00:00:00Z')));
    const hist = join(dir, 'history');
    mkdirSync(hist);
    const h = entry('a', '2026-01-01T00:00:00Z');
    writeFileSync(join(hist, historyFileName(h)), JSON.stringify(h));
    writeFileSync(join(hist, 'README.txt'), 'not json: ignored');
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        dependencies: { b: '1' },
        devDependencies: { a: '1', '@syncwire/x': '*', '@types/y': '1' },
      }),
    );
    const data = gatherDashboardData(join(dir, 'latest.json'), hist, join(dir, 'package.json'));
    expect(data.libraries).toEqual(['a', 'b']);
    expect(data.latest?.gitSha).toBe('b');
    expect(data.history.map((e) => e.gitSha)).toEqual(['a', 'b']);
    writeFileSync(join(hist, 'broken.json'), '{');
    expect(() => gatherDashboardData(join(dir, 'latest.json'), hist, '')).toThrow(
      /cannot read .*broken\.json/,
    );
  });

  it('inlined JSON cannot close its script element', () => {
    const s = jsonForHtml({ x: '</script><script>alert(1)</script>' });
    expect(s).not.toContain('</script');
    expect(JSON.parse(s)).toEqual({ x: '</script><script>alert(1)</script>' });
  });
});
