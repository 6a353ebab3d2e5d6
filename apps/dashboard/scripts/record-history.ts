// Records a bench results file as one compact entry in apps/dashboard/history/ (then commit that folder).
// Usage: npm run history:record -w apps/dashboard [-- path/to/results.json]
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readHistoryDir } from '../build/gather.ts';
import { filesToPrune, HISTORY_CAP, historyFileName, toHistoryEntry } from '../build/history.ts';
import { validateResults } from '../build/validate.ts';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(process.argv[2] ?? join(app, '..', '..', 'bench', 'results', 'latest.json'));
const dir = join(app, 'history');

let parsed: unknown;
try {
  parsed = JSON.parse(readFileSync(source, 'utf8'));
} catch (e) {
  console.error(
    `history:record: cannot read ${source} (${(e as Error).message}); run \`npm run bench\` first`,
  );
  process.exit(1);
}
const entry = toHistoryEntry(validateResults(parsed, source));
mkdirSync(dir, { recursive: true });
const existing = readHistoryDir(dir);
const file = historyFileName(entry);
for (const old of filesToPrune(existing, entry, HISTORY_CAP)) {
  rmSync(join(dir, old));
  console.log(`history:record: removed ${old}`);
}
writeFileSync(join(dir, file), `${JSON.stringify(entry, null, 2)}\n`);
console.log(
  `history:record: wrote history/${file} (${Object.keys(entry.hz).length} cases; cap ${HISTORY_CAP})`,
);
