import type { BenchResults, HistoryEntry } from '../src/types.ts';

/** Most history files kept in apps/dashboard/history: about 1 kB each, so the folder stays under ~50 kB. */
export const HISTORY_CAP = 40;

/** Rounds to 4 significant digits: benchmark noise is far above that, and it halves the file size. */
function round4(v: number): number {
  return Number(v.toPrecision(4));
}

/** The compact history form of a full results file. */
export function toHistoryEntry(results: BenchResults): HistoryEntry {
  const hz: Record<string, Record<string, number>> = {};
  for (const r of results.rows) (hz[r.name] ??= {})[r.impl] = round4(r.hz);
  const { gitSha, date, node, cpu, mode } = results;
  return { schema: 1, gitSha, date, node, cpu, mode, hz };
}

/** `20261122T014503Z-1a2b3c4.json`: sorts by date as plain text. */
export function historyFileName(entry: HistoryEntry): string {
  const stamp = entry.date.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  const sha = entry.gitSha.replace(/[^0-9a-zA-Z]/g, '') || 'unknown';
  return `${stamp}-${sha}.json`;
}

/** Same run: a history entry recorded from the very results file we also show as latest. */
export function sameRun(a: Pick<HistoryEntry, 'gitSha' | 'date'>, b: Pick<HistoryEntry, 'gitSha' | 'date'>) {
  return a.gitSha === b.gitSha && a.date === b.date;
}

/**
 * Orders entries oldest first, appends the latest run unless it is already recorded, and keeps the newest
 * `cap` entries.
 */
export function mergeHistory(
  entries: HistoryEntry[],
  latest: BenchResults | null,
  cap = HISTORY_CAP,
): HistoryEntry[] {
  const all = [...entries].sort((a, b) => a.date.localeCompare(b.date));
  if (latest && !all.some((e) => sameRun(e, latest))) all.push(toHistoryEntry(latest));
  return all.slice(-cap);
}

/**
 * Files to delete after adding `added` to a folder holding `existing` entries (by file name): an older
 * recording of the same commit and mode is replaced, then the oldest beyond `cap` go.
 */
export function filesToPrune(
  existing: { file: string; entry: HistoryEntry }[],
  added: HistoryEntry,
  cap = HISTORY_CAP,
): string[] {
  const addedFile = historyFileName(added);
  const replaced = existing.filter(
    (e) => e.file !== addedFile && e.entry.gitSha === added.gitSha && e.entry.mode === added.mode,
  );
  const kept = existing
    .filter((e) => e.file !== addedFile && !replaced.includes(e))
    .sort((a, b) => a.entry.date.localeCompare(b.entry.date));
  const overflow = Math.max(0, kept.length + 1 - cap);
  return [...replaced, ...kept.slice(0, overflow)].map((e) => e.file);
}
