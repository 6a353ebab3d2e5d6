const sig3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const sig4 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

/** 3 significant digits with a k/M/G suffix: `12.3 M`. */
export function fmtScaled(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${sig3.format(v / 1e9)} G`;
  if (a >= 1e6) return `${sig3.format(v / 1e6)} M`;
  if (a >= 1e3) return `${sig3.format(v / 1e3)} k`;
  return sig3.format(v);
}

/** Operations per second: `12.3 M ops/s`. */
export function fmtOps(hz: number): string {
  return `${fmtScaled(hz)} ops/s`;
}

/** Throughput from MB/s: `812 MB/s`, `1.23 GB/s`. */
export function fmtMBs(mbs: number): string {
  return mbs >= 1000 ? `${sig3.format(mbs / 1000)} GB/s` : `${sig3.format(mbs)} MB/s`;
}

/** A speed in the given unit. */
export function fmtSpeed(v: number, unit: 'MB/s' | 'ops/s'): string {
  return unit === 'MB/s' ? fmtMBs(v) : fmtOps(v);
}

/** syncwire ÷ peer: `1.85×`, `23×`. */
export function fmtRatio(r: number): string {
  return r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`;
}

/** Relative margin of error: `±1.2%`. */
export function fmtRme(rme: number): string {
  return `±${rme.toFixed(1)}%`;
}

/** A metric value: integers in full, others to 4 significant digits (FPRs need them). */
export function fmtMetric(v: number): string {
  if (Number.isInteger(v)) return int.format(v);
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(2).replace(/\.?0+e/, 'e');
  return sig4.format(v);
}

const METRIC_LABELS: Record<string, string> = {
  bitsPerItem: 'bits/item',
  fpr: 'FPR',
  falseNegatives: 'false negatives',
  symbolsPerDiff: 'symbols/diff',
};

/** Column heading for a metrics key: known ones spelled out, others de-camelCased. */
export function metricLabel(key: string): string {
  return METRIC_LABELS[key] ?? key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** `2026-11-22 01:45 UTC`. */
export function fmtDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
