import { type Oti, otiProblem } from './oti.ts';

/** RFC 6330 §4.4.1.2 Partition[I, J] = (IL, IS, JL, JS): JL parts of IL items, then JS parts of IS items. */
export function partition(i: number, j: number): [number, number, number, number] {
  const il = Math.ceil(i / j);
  const is = Math.floor(i / j);
  const jl = i - is * j;
  return [il, is, jl, j - jl];
}

/** Where each source block and sub-block of an object lies (RFC 6330 §4.4.1.2). */
export interface ObjectLayout {
  readonly oti: Oti;
  /** Kt: source symbols in the whole object. */
  readonly kt: number;
  /** Sub-symbol sizes in octets, one per sub-block (they sum to T). */
  readonly subSizes: readonly number[];
  /** K of block `sbn`. */
  blockK(sbn: number): number;
  /** Byte offset of block `sbn` in the object. */
  blockOffset(sbn: number): number;
}

/** The layout of a valid OTI (throws RangeError otherwise). */
export function objectLayout(oti: Oti): ObjectLayout {
  const problem = otiProblem(oti);
  if (problem) throw new RangeError(`raptorq: oti ${problem}`);
  const T = oti.symbolSize;
  const kt = Math.ceil(oti.transferLength / T);
  const [KL, KS, ZL] = partition(kt, oti.sourceBlocks);
  const [TL, TS, NL] = partition(T / oti.alignment, oti.subBlocks);
  const subSizes: number[] = [];
  for (let n = 0; n < oti.subBlocks; n++) subSizes.push((n < NL ? TL : TS) * oti.alignment);
  return {
    oti,
    kt,
    subSizes,
    blockK: (sbn) => (sbn < ZL ? KL : KS),
    blockOffset: (sbn) => (sbn < ZL ? sbn * KL * T : ZL * KL * T + (sbn - ZL) * KS * T),
  };
}

/**
 * Writes source symbol `m` of a block into `out[off..off+T)` (RFC 6330 §4.4.1.2 interleaving: sub-symbol m of
 * each sub-block in turn). `block` holds the block's bytes and may be shorter than K·T: the rest reads as zero.
 */
export function gatherSymbol(
  block: Uint8Array,
  k: number,
  subSizes: readonly number[],
  m: number,
  out: Uint8Array,
  off: number,
): void {
  let base = 0;
  for (let n = 0; n < subSizes.length; n++) {
    const t = subSizes[n]!;
    const src = base + m * t;
    const avail = Math.min(t, Math.max(0, block.length - src));
    if (avail === t) out.set(block.subarray(src, src + t), off);
    else {
      if (avail > 0) out.set(block.subarray(src, src + avail), off);
      out.fill(0, off + avail, off + t);
    }
    off += t;
    base += k * t;
  }
}

/** Inverse of {@link gatherSymbol}: writes symbol `m` (at `sym[off..)`) into `block`, clipped to its length. */
export function scatterSymbol(
  sym: Uint8Array,
  off: number,
  k: number,
  subSizes: readonly number[],
  m: number,
  block: Uint8Array,
): void {
  let base = 0;
  for (let n = 0; n < subSizes.length; n++) {
    const t = subSizes[n]!;
    const dst = base + m * t;
    const avail = Math.min(t, Math.max(0, block.length - dst));
    if (avail > 0) block.set(sym.subarray(off, off + avail), dst);
    off += t;
    base += k * t;
  }
}
