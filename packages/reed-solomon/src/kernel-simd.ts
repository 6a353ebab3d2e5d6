import { compileWasm, fromBase64, type WasmMemory } from '@syncwire/bytes';
import { nibbleTables } from './gf256.ts';
import type { Kernel } from './kernel.ts';
import { KERNEL_RELAXED_WASM_BASE64, KERNEL_WASM_BASE64 } from './wasm-kernel-bytes.ts';

interface KernelExports {
  memory: WasmMemory;
  mul(tbl: number, ins: number, nin: number, outs: number, nout: number, len: number): void;
  step: { value: number };
  maxRows: { value: number };
}

/** Which WebAssembly module: `relaxed` (relaxed-SIMD swizzle) or `plain` (SIMD only). */
export type SimdFlavor = 'relaxed' | 'plain';

/**
 * Bytes moved through the shared instance's memory per pass (all inputs and outputs of one pass), so a pass
 * stays in L2. Measured on x64 with a 2 MiB L2: 128 KiB to 512 KiB were within noise of each other.
 */
const PASS_BUDGET = 256 * 1024;
const MIN_CHUNK = 4096;
const PAGE = 65536;

/** A kernel memory that shard views live in (see {@link Kernel.allocate}); never grown, so views stay valid. */
interface Arena {
  ex: KernelExports;
  mem: Uint8Array;
  header: number;
  slot: number;
}
const arenas = new WeakMap<ArrayBuffer, Arena>();

const loaded: Partial<Record<SimdFlavor, Kernel | null>> = {};

/**
 * The WebAssembly SIMD kernel, or `undefined` where WebAssembly or its SIMD proposal is unavailable. Without a
 * flavor: the relaxed-SIMD module where the runtime has relaxed SIMD (Node ≥ 22, Chrome ≥ 114), else the plain
 * one. Each module (~2 kB) is compiled synchronously on first use; one instance serves every copying call.
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
  // null where WebAssembly or its SIMD is missing, or where the runtime refuses to compile (a CSP without
  // wasm-unsafe-eval): the caller then uses tables.
  const module = compileWasm(fromBase64(base64));
  if (module === null) return null;
  try {
    return makeKernel(() => module.instantiate() as unknown as KernelExports);
  } catch {
    return null;
  }
}

function makeKernel(instantiate: () => KernelExports): Kernel {
  const shared = instantiate();
  const step = shared.step.value;
  const maxRows = shared.maxRows.value;
  const nib = nibbleTables();
  let mem = new Uint8Array(shared.memory.buffer);

  /** Writes the split-nibble tables of `matrix` where the kernel expects them, from `at`. */
  function writeTables(target: Uint8Array, at: number, matrix: Uint8Array, nin: number, nout: number): void {
    let t = at;
    for (let g = 0; g < nout; g += maxRows) {
      const rows = Math.min(maxRows, nout - g);
      for (let c = 0; c < nin; c++) {
        for (let r = 0; r < rows; r++) {
          const coef = matrix[(g + r) * nin + c] as number;
          target.set(nib.subarray(coef * 32, coef * 32 + 32), t);
          t += 32;
        }
      }
    }
  }

  /** The arena holding every view in place (whole slots, room for the step overrun), if there is one. */
  function arenaOf(
    inputs: readonly Uint8Array[],
    outputs: readonly Uint8Array[],
    len: number,
  ): Arena | undefined {
    const arena = arenas.get((inputs[0] as Uint8Array).buffer as ArrayBuffer);
    if (arena === undefined) return undefined;
    const padded = Math.ceil(len / step) * step;
    const fits = (v: Uint8Array) => {
      const off = v.byteOffset - arena.header;
      return v.buffer === arena.mem.buffer && off >= 0 && off % arena.slot === 0 && padded <= arena.slot;
    };
    return inputs.every(fits) && outputs.every(fits) ? arena : undefined;
  }

  function inPlace(
    arena: Arena,
    matrix: Uint8Array,
    inputs: readonly Uint8Array[],
    outputs: readonly Uint8Array[],
    len: number,
  ): boolean {
    const nin = inputs.length;
    const nout = outputs.length;
    const tblBytes = nin * nout * 32;
    const ptrs = tblBytes;
    if (ptrs + 4 * (nin + nout) > arena.header) return false;
    writeTables(arena.mem, 0, matrix, nin, nout);
    const words = new Int32Array(arena.mem.buffer, ptrs, nin + nout);
    for (let c = 0; c < nin; c++) words[c] = (inputs[c] as Uint8Array).byteOffset;
    for (let r = 0; r < nout; r++) words[nin + r] = (outputs[r] as Uint8Array).byteOffset;
    arena.ex.mul(0, ptrs, nin, ptrs + 4 * nin, nout, Math.ceil(len / step) * step);
    return true;
  }

  function ensure(bytes: number): void {
    if (bytes > mem.length) {
      shared.memory.grow(Math.ceil((bytes - mem.length) / PAGE));
      mem = new Uint8Array(shared.memory.buffer);
    }
  }

  return {
    name: 'simd',
    mul(matrix, inputs, outputs, len) {
      const nin = inputs.length;
      const nout = outputs.length;
      if (len === 0 || nout === 0) return;
      const arena = arenaOf(inputs, outputs, len);
      if (arena !== undefined && inPlace(arena, matrix, inputs, outputs, len)) return;

      // Copying path: stage inputs into the shared instance's memory a chunk at a time, copy outputs back.
      const tblBytes = nin * nout * 32;
      let chunk = Math.floor(PASS_BUDGET / (nin + nout) / step) * step;
      if (chunk < MIN_CHUNK) chunk = MIN_CHUNK;
      const padded = Math.ceil(len / step) * step;
      if (chunk > padded) chunk = padded;
      const ptrs = tblBytes;
      const inBase = Math.ceil((ptrs + 4 * (nin + nout)) / 64) * 64;
      const outBase = inBase + nin * chunk;
      ensure(outBase + nout * chunk);
      writeTables(mem, 0, matrix, nin, nout);
      const words = new Int32Array(mem.buffer, ptrs, nin + nout);
      for (let c = 0; c < nin; c++) words[c] = inBase + c * chunk;
      for (let r = 0; r < nout; r++) words[nin + r] = outBase + r * chunk;
      for (let off = 0; off < len; off += chunk) {
        const n = Math.min(chunk, len - off);
        for (let c = 0; c < nin; c++) {
          mem.set((inputs[c] as Uint8Array).subarray(off, off + n), inBase + c * chunk);
        }
        // Bytes past n in a slot are stale but only feed output bytes past n, which are not copied out.
        shared.mul(0, ptrs, nin, ptrs + 4 * nin, nout, Math.ceil(n / step) * step);
        for (let r = 0; r < nout; r++) {
          const o = outBase + r * chunk;
          (outputs[r] as Uint8Array).set(mem.subarray(o, o + n), off);
        }
      }
    },
    allocate(count, len, maxInputs, maxOutputs) {
      const slot = Math.max(step, Math.ceil(len / step) * step);
      const header = Math.ceil((maxInputs * maxOutputs * 32 + 4 * (maxInputs + maxOutputs)) / 64) * 64;
      const ex = instantiate();
      const bytes = header + count * slot;
      const have = ex.memory.buffer.byteLength;
      if (bytes > have) ex.memory.grow(Math.ceil((bytes - have) / PAGE));
      const arena: Arena = { ex, mem: new Uint8Array(ex.memory.buffer), header, slot };
      arenas.set(ex.memory.buffer, arena);
      return Array.from({ length: count }, (_, i) =>
        arena.mem.subarray(header + i * slot, header + i * slot + len),
      );
    },
  };
}
