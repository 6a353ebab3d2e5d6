import { decodeBase64 } from './base64.ts';
import { nibbleTables } from './gf256.ts';
import type { Kernel } from './kernel.ts';
import { KERNEL_RELAXED_WASM_BASE64, KERNEL_WASM_BASE64 } from './wasm-kernel-bytes.ts';

/** The slice of the WebAssembly JS API used here (declared locally: the library compiles with `types: []`). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
interface KernelExports {
  memory: WasmMemory;
  mul(tbl: number, inp: number, nin: number, out: number, nout: number, stride: number, len: number): void;
  step: { value: number };
  maxRows: { value: number };
}

/**
 * Bytes per shard per pass through WASM memory. Inputs and outputs of one pass together stay near
 * `PASS_BUDGET` so they sit in L2; measured on x64 (4 MiB L2): 512 KiB beat 256 KiB and 2 MiB for 10+4 and 4+2.
 */
const PASS_BUDGET = 256 * 1024;
const MIN_CHUNK = 4096;

/** Which WebAssembly module: `relaxed` (relaxed-SIMD swizzle) or `plain` (SIMD only). */
export type SimdFlavor = 'relaxed' | 'plain';

const loaded: Partial<Record<SimdFlavor, Kernel | null>> = {};

/**
 * The WebAssembly SIMD kernel, or `undefined` where WebAssembly or its SIMD proposal is unavailable. Without a
 * flavor: the relaxed-SIMD module where the runtime has relaxed SIMD (Node ≥ 22, Chrome ≥ 114), else the plain
 * one. Each module (~2 kB) is compiled synchronously on first use; one instance and memory serve every caller.
 */
export function simdKernel(flavor?: SimdFlavor): Kernel | undefined {
  if (flavor === undefined) return simdKernel('relaxed') ?? simdKernel('plain');
  let k = loaded[flavor];
  if (k === undefined) {
    k = load(flavor === 'relaxed' ? KERNEL_RELAXED_WASM_BASE64 : KERNEL_WASM_BASE64);
    loaded[flavor] = k;
  }
  return k ?? undefined;
}

function load(base64: string): Kernel | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return null;
  const bytes = decodeBase64(base64);
  try {
    if (!wasm.validate(bytes)) return null;
    const instance = new wasm.Instance(new wasm.Module(bytes), {});
    return makeKernel(instance.exports as unknown as KernelExports);
  } catch {
    // A runtime that validates but refuses to compile (e.g. a CSP without wasm-unsafe-eval): use tables.
    return null;
  }
}

function makeKernel(ex: KernelExports): Kernel {
  const step = ex.step.value;
  const maxRows = ex.maxRows.value;
  const nib = nibbleTables();
  let mem = new Uint8Array(ex.memory.buffer);

  function ensure(bytes: number): void {
    if (bytes > mem.length) {
      ex.memory.grow(Math.ceil((bytes - mem.length) / 65536));
      mem = new Uint8Array(ex.memory.buffer);
    }
  }

  return {
    name: 'simd',
    mul(matrix, inputs, outputs, len) {
      const nin = inputs.length;
      const nout = outputs.length;
      if (len === 0 || nout === 0) return;
      const tblBytes = nin * nout * 32;
      let chunk = Math.floor(PASS_BUDGET / (nin + nout) / step) * step;
      if (chunk < MIN_CHUNK) chunk = MIN_CHUNK;
      const padded = Math.ceil(len / step) * step;
      if (chunk > padded) chunk = padded;
      const inBase = tblBytes; // tblBytes is a multiple of 32, so every slot stays 16-byte aligned
      const outBase = inBase + nin * chunk;
      ensure(outBase + nout * chunk);
      // Tables grouped as the kernel walks them: per group of up to maxRows rows, per input, per row.
      let t = 0;
      for (let g = 0; g < nout; g += maxRows) {
        const rows = Math.min(maxRows, nout - g);
        for (let c = 0; c < nin; c++) {
          for (let r = 0; r < rows; r++) {
            const coef = matrix[(g + r) * nin + c] as number;
            mem.set(nib.subarray(coef * 32, coef * 32 + 32), t);
            t += 32;
          }
        }
      }
      for (let off = 0; off < len; off += chunk) {
        const n = Math.min(chunk, len - off);
        for (let c = 0; c < nin; c++) {
          mem.set((inputs[c] as Uint8Array).subarray(off, off + n), inBase + c * chunk);
        }
        // Bytes past n in a slot are stale but only feed output bytes past n, which are not copied out.
        ex.mul(0, inBase, nin, outBase, nout, chunk, Math.ceil(n / step) * step);
        for (let r = 0; r < nout; r++) {
          const o = outBase + r * chunk;
          (outputs[r] as Uint8Array).set(mem.subarray(o, o + n), off);
        }
      }
    },
  };
}
