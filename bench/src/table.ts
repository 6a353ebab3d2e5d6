import { implKind, OURS } from './registry.ts';

/** One row of bench/results/latest.json: one impl of one case. `hz` is single operations per second. */
export interface Row {
  name: string;
  impl: string;
  hz: number;
  rme: number;
  samples: number;
  bytesPerOp?: number;
  metrics?: Record<string, number>;
}

function fmtHz(hz: number): string {
  if (hz >= 1e9) return `${(hz / 1e9).toFixed(2)} G/s`;
  if (hz >= 1e6) return `${(hz / 1e6).toFixed(2)} M/s`;
  if (hz >= 1e3) return `${(hz / 1e3).toFixed(2)} k/s`;
  return `${hz.toFixed(2)} /s`;
}

function fmtMetrics(m: Record<string, number> | undefined): string {
  if (!m) return '';
  return Object.entries(m)
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`)
    .join(' ');
}

/** The fastest row of `kind` (see {@link implKind}), or undefined when the case has none. */
export function fastest(rows: readonly Row[], kind: ReturnType<typeof implKind>): Row | undefined {
  let best: Row | undefined;
  for (const r of rows) if (implKind(r.impl) === kind && (best === undefined || r.hz > best.hz)) best = r;
  return best;
}

/** Prints one case as a table: ops/s, MB/s, ±rme, samples and syncwire's ratio over each impl. */
export function printCase(rows: Row[]): void {
  const ours = rows.find((r) => r.impl === OURS);
  const name = rows[0]?.name ?? '?';
  const lines = rows.map((r) => [
    r.impl,
    fmtHz(r.hz),
    r.bytesPerOp === undefined ? '' : `${((r.hz * r.bytesPerOp) / 1e6).toFixed(1)} MB/s`,
    `±${r.rme.toFixed(1)}%`,
    String(r.samples),
    ours && r.impl !== OURS ? `${(ours.hz / r.hz).toFixed(2)}x` : '',
    fmtMetrics(r.metrics),
  ]);
  const header = ['impl', 'ops', 'throughput', 'rme', 'n', 'ratio', 'notes'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(name);
  console.log(`  ${fmt(header)}`);
  for (const l of lines) console.log(`  ${fmt(l)}`);
  const best = fastest(rows, 'peer');
  if (ours && best) {
    console.log(`  => syncwire vs fastest peer (${best.impl}): ${(ours.hz / best.hz).toFixed(2)}x\n`);
  } else console.log('');
}
