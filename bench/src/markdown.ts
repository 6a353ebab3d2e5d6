// Prints a results file as the Markdown table the root README shows: per case, syncwire's speed, the fastest
// peer library (or, where no peer does the job, the fastest named baseline) and the ratio.
// Usage: tsx src/markdown.ts [results.json]   (default: results/latest.json)
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OURS } from './registry.ts';
import { fastest, type Row } from './table.ts';

const file = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'latest.json');
const results = JSON.parse(readFileSync(file, 'utf8')) as { mode: string; gitSha: string; rows: Row[] };

function speed(r: Row): string {
  if (r.bytesPerOp !== undefined) {
    const mbs = (r.hz * r.bytesPerOp) / 1e6;
    return `${mbs >= 100 ? mbs.toFixed(0) : mbs.toFixed(1)} MB/s`;
  }
  if (r.hz >= 1e6) return `${(r.hz / 1e6).toFixed(1)} M/s`;
  if (r.hz >= 1e3) return `${(r.hz / 1e3).toFixed(1)} k/s`;
  return `${r.hz.toFixed(2)} /s`;
}

const byCase = new Map<string, Row[]>();
for (const r of results.rows) byCase.set(r.name, [...(byCase.get(r.name) ?? []), r]);

console.log(`<!-- ${results.mode} run at ${results.gitSha} -->`);
console.log('| case | syncwire | vs | ratio |');
console.log('| --- | --- | --- | --- |');
for (const [name, rows] of byCase) {
  const ours = rows.find((r) => r.impl === OURS);
  if (!ours) continue;
  const vs = fastest(rows, 'peer') ?? fastest(rows, 'baseline');
  const cells = vs ? [`${vs.impl} ${speed(vs)}`, `${(ours.hz / vs.hz).toFixed(2)}x`] : ['—', '—'];
  console.log(`| \`${name}\` | ${speed(ours)} | ${cells.join(' | ')} |`);
}
