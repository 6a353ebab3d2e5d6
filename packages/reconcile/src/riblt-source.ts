import type { Cells } from './riblt-cells.ts';
import type { SipKey } from './siphash.ts';

/**
 * Where coded symbols of one local set come from: a {@link RibltSketch} (cached prefix, random access) or a
 * {@link RibltEncoder} (unbounded stream). Decoders and responders take either.
 */
export interface CodedSymbolSource {
  /** The 16-byte item-hash key (both peers must use the same one). */
  readonly key: Uint8Array;
  /** Number of items in the set (sent in every batch so the decoder can check its result). */
  readonly size: number;
  /** Most symbols this source can produce (`Infinity` for a stream). */
  readonly maxSymbols: number;
  /**
   * Makes symbols `[start, start + count)` available and returns the cells holding them, with symbol `start`
   * at cell `offset`. Throws RangeError beyond {@link maxSymbols}.
   * @internal
   */
  symbolCells(start: number, count: number): { cells: Cells; offset: number };
  /** @internal */
  readonly sipKey: SipKey;
}
