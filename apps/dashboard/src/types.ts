/** One row of bench/results/latest.json (written by bench/src/run.ts): one impl of one case. */
export interface ResultRow {
  /** `<package>/<op>/<fixture>`. */
  name: string;
  /** `syncwire` for ours, otherwise the peer's package name. */
  impl: string;
  /** Single operations per second. */
  hz: number;
  /** Relative margin of error, in percent. */
  rme: number;
  samples: number;
  /** Input bytes per operation: the dashboard shows MB/s when present. */
  bytesPerOp?: number;
  /** Extra per-impl figures (bitsPerItem, fpr, falseNegatives, symbolsPerDiff…). */
  metrics?: Record<string, number>;
}

/** The whole results file, schema 1. */
export interface BenchResults {
  schema: 1;
  node: string;
  cpu: string;
  /** ISO 8601. */
  date: string;
  gitSha: string;
  mode: string;
  rows: ResultRow[];
}

/**
 * One past run as kept in apps/dashboard/history/*.json: only what the history chart needs, so the
 * committed files stay small (speeds rounded to 4 significant digits, no rme or samples).
 */
export interface HistoryEntry {
  schema: 1;
  gitSha: string;
  date: string;
  node: string;
  cpu: string;
  mode: string;
  /** case name → impl → single operations per second. */
  hz: Record<string, Record<string, number>>;
}

/** What the build inlines into the page. */
export interface DashboardData {
  /** The newest full results, or null when `npm run bench` has not been run yet. */
  latest: BenchResults | null;
  /** Past runs oldest first, the latest run included as the last entry when it is present. */
  history: HistoryEntry[];
  /** Packages the benches depend on (bench/package.json): impl keys naming one are peer libraries. */
  libraries: string[];
}

/** The impl key our rows carry (bench/src/registry.ts `OURS`). */
export const OURS = 'syncwire';
