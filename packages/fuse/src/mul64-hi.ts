// A local alias keeps each call a few bytes of bytecode shorter than `Math.imul(…)` (see mul64Hi); V8 still
// recognises the builtin and emits one multiply instruction.
const imul = Math.imul;

/**
 * Bits 32..63 of the 64-bit product `(hi·2^32 + lo) · (cHi·2^32 + cLo)` mod 2^64, as an int32 (the low word is
 * `Math.imul(lo, cLo)`). Only integer operations: the 16-bit partial products of `lo·cLo` are below 2^32 and are
 * only read through shifts and masks, so V8 multiplies them as int32, and the final sum wraps mod 2^32 under `| 0`.
 * `(x << 16) >>> 16` is `x & 0xffff` in fewer bytes of bytecode: the function is kept small so that it inlines
 * (with `BinaryFuseFilter#has`) into callers' loops.
 */
export function mul64Hi(lo: number, hi: number, cLo: number, cHi: number): number {
  const a = lo >>> 16;
  const b = (lo << 16) >>> 16;
  const cH = cLo >>> 16;
  const cL = (cLo << 16) >>> 16;
  // lo·cLo = a·cH·2^32 + (a·cL + b·cH)·2^16 + b·cL; t and the middle sum stay below 2^32.
  const t = a * cL + ((b * cL) >>> 16);
  return (a * cH + (t >>> 16) + ((((t << 16) >>> 16) + b * cH) >>> 16) + imul(hi, cLo) + imul(lo, cHi)) | 0;
}
