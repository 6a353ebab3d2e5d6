import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CaseSpec, Suite } from './registry.ts';

const suitesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'suites');

/** The suite files (`suites/*.bench.ts`) a run with `filter` needs. */
export function suiteFiles(filter: RegExp | null): string[] {
  // A filter like '^varint/' names one suite file: load only that one, so other suites' fixtures are not built.
  // (RegExp#source escapes '/', so accept both spellings.)
  const only = filter ? /^\^([a-z0-9-]+)\\?\//.exec(filter.source)?.[1] : undefined;
  return readdirSync(suitesDir)
    .filter((f) => f.endsWith('.bench.ts') && (only === undefined || f === `${only}.bench.ts`))
    .sort();
}

/**
 * Loads the given suite files (default: all that `filter` may need) and returns the cases whose name
 * matches `filter`. A suite that fails to load is an error when no filter is given (the full run must be
 * complete) and a warning otherwise.
 */
export async function loadCases(
  filter: RegExp | null,
  full: boolean,
  files = suiteFiles(filter),
): Promise<CaseSpec[]> {
  const cases: CaseSpec[] = [];
  for (const f of files) {
    let suite: Suite;
    try {
      suite = ((await import(pathToFileURL(join(suitesDir, f)).href)) as { default: Suite }).default;
    } catch (e) {
      if (!filter) throw e;
      console.warn(`bench: skipping ${f}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    for (const c of await suite({ full })) {
      if (filter && !filter.test(c.name)) continue;
      if (c.fullOnly && !full) continue;
      cases.push(c);
    }
  }
  return cases;
}
