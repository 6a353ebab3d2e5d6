import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DashboardData, HistoryEntry } from '../src/types.ts';
import { HISTORY_CAP, mergeHistory } from './history.ts';
import { validateHistoryEntry, validateResults } from './validate.ts';

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`dashboard: cannot read ${file}: ${(e as Error).message}`);
  }
}

/** Reads every `*.json` in a history folder (a missing folder is an empty history). */
export function readHistoryDir(dir: string): { file: string; entry: HistoryEntry }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, entry: validateHistoryEntry(readJson(join(dir, file)), join(dir, file)) }));
}

/**
 * Package names a bench package.json depends on, without `@syncwire/*` and `@types/*`: the peer libraries an
 * impl key can name. A missing file gives an empty list (the page then guesses from the key's shape).
 */
export function readLibraries(packageJson: string): string[] {
  if (!existsSync(packageJson)) return [];
  const pkg = readJson(packageJson) as Record<string, Record<string, string> | undefined>;
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
    .filter((n) => !n.startsWith('@syncwire/') && !n.startsWith('@types/'))
    .sort();
}

/**
 * Everything the page shows: the latest results file (absent → empty state) and the committed history,
 * merged and capped. Malformed files fail the build with the file name and the field at fault.
 */
export function gatherDashboardData(
  resultsFile: string,
  historyDir: string,
  benchPackageJson: string,
): DashboardData {
  const latest = existsSync(resultsFile) ? validateResults(readJson(resultsFile), resultsFile) : null;
  const history = mergeHistory(
    readHistoryDir(historyDir).map((h) => h.entry),
    latest,
    HISTORY_CAP,
  );
  return { latest, history, libraries: readLibraries(benchPackageJson) };
}

/** JSON safe to put inside a `<script type="application/json">` element. */
export function jsonForHtml(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
