import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ReedSolomonErasure } from '@digitaldefiance/reed-solomon-erasure.wasm';

/**
 * The reference: the Rust `reed-solomon-erasure` crate compiled to WASM (byte-identical with klauspost).
 * Loaded from bytes because the package's own loader relies on `__dirname`, absent in ESM. Its `reconstruct`
 * hit "memory access out of bounds" after many calls on one instance here, so tests take a fresh instance per case.
 */
export function loadReference(): ReedSolomonErasure {
  if (wasmBytes === undefined) {
    const require = createRequire(import.meta.url);
    wasmBytes = readFileSync(require.resolve('@digitaldefiance/reed-solomon-erasure.wasm/wasm'));
  }
  return ReedSolomonErasure.fromBytes(wasmBytes);
}
let wasmBytes: Uint8Array | undefined;

/** Parity per the reference: `data` is k shards of one length; returns the m parity shards. */
export function referenceParity(
  rse: ReedSolomonErasure,
  data: readonly Uint8Array[],
  m: number,
): Uint8Array[] {
  const k = data.length;
  const s = (data[0] as Uint8Array).length;
  const flat = new Uint8Array((k + m) * s);
  data.forEach((d, i) => {
    flat.set(d, i * s);
  });
  const rc = rse.encode(flat, k, m);
  if (rc !== ReedSolomonErasure.RESULT_OK) throw new Error(`reference encode failed: ${rc}`);
  return Array.from({ length: m }, (_, p) => flat.slice((k + p) * s, (k + p + 1) * s));
}
