/** One implementation of a case: a function doing `opsPerCall` operations per call. */
export type Impl = () => unknown;

/** A benchmark case: one operation on one fixture, run by syncwire and by each peer library. */
export interface CaseSpec {
  /** `<package>/<op>/<fixture>`. */
  name: string;
  /** Operations each call of an impl performs (batch nanosecond ops ~1000 per call). Default 1. */
  opsPerCall?: number;
  /** Input bytes per operation, for MB/s. */
  bytesPerOp?: number;
  /** `syncwire` first, then peers by package name (with a parenthetical note where the comparison needs one). */
  impls: Record<string, Impl>;
  /** Extra per-impl figures shown beside the speed (bits/item, measured FPR, false negatives…). */
  metrics?: Record<string, Record<string, number>>;
  /** Set only for cases too slow for the quick default run. */
  fullOnly?: boolean;
}

/** What a suite file default-exports: a function that declares its cases. */
export type Suite = (ctx: SuiteContext) => CaseSpec[] | Promise<CaseSpec[]>;

export interface SuiteContext {
  /** `--full`: larger fixtures and longer sampling. */
  full: boolean;
}

/** The impl name our rows carry; ratios are syncwire's speed over each peer's. */
export const OURS = 'syncwire';

/**
 * What an impl name stands for: `ours` (`syncwire`), a `variant` of ours (`syncwire <config>`), a
 * `baseline` that is not a peer library (`bare …`, `@syncwire/…` used as a reference), or a `peer` library.
 * "Fastest peer" ratios count peers only.
 */
export function implKind(impl: string): 'ours' | 'variant' | 'baseline' | 'peer' {
  if (impl === OURS) return 'ours';
  if (impl.startsWith(`${OURS} `)) return 'variant';
  if (impl.startsWith('bare ') || impl.startsWith('@syncwire/')) return 'baseline';
  return 'peer';
}
