import { compileWasm, fromBase64, type WasmMemory } from '@syncwire/bytes';
import { gfMul, mulRow } from './gf256.ts';
import { KERNELS_WASM_BASE64 } from './kernels.generated.ts';

/**
 * The symbol kernels the solver runs (see kernels.wat for the contract): one implementation in WebAssembly
 * SIMD, and the same operations in plain JS over 32-bit words where WebAssembly (or its SIMD) is missing.
 * Pointers are byte offsets into the kernel's memory; symbol lengths are multiples of 16.
 */
export interface Kernels {
  readonly name: 'wasm-simd' | 'js';
  /** Grows the memory to at least `bytes` (content kept) and returns its current byte view, or null. */
  reserve(bytes: number): Uint8Array | null;
  xorLists(
    n: number,
    idx: number,
    dstBase: number,
    start: number,
    cols: number,
    srcBase: number,
    stride: number,
  ): void;
  copyRows(n: number, dst: number, dstBase: number, src: number, srcBase: number, stride: number): void;
  hdpc(n: number, pairs: number, cBase: number, stride: number, hBase: number, y: number): void;
  fma(d: number, s: number, n: number, beta: number): void;
  dense(ops: number, n: number, base: number, stride: number): void;
}

/** Bytes at the start of the memory reserved for the wasm multiplication tables. */
export const TABLES_BYTES = 8192;

type Fn = (...args: number[]) => void;

function wasmKernels(): Kernels | null {
  // null where WebAssembly or its SIMD is missing in this engine.
  const module = compileWasm(fromBase64(KERNELS_WASM_BASE64));
  if (!module) return null;
  try {
    const ex = module.instantiate();
    const memory = ex.memory as WasmMemory;
    const u8 = new Uint8Array(memory.buffer);
    for (let b = 0; b < 256; b++) {
      for (let i = 0; i < 16; i++) {
        u8[b * 32 + i] = gfMul(b, i);
        u8[b * 32 + 16 + i] = gfMul(b, i << 4);
      }
    }
    const xorLists = ex.xorLists as Fn;
    const copyRows = ex.copyRows as Fn;
    const hdpc = ex.hdpc as Fn;
    const fma = ex.fma as Fn;
    const dense = ex.dense as Fn;
    return {
      name: 'wasm-simd',
      reserve(bytes) {
        const have = memory.buffer.byteLength;
        if (bytes > have) {
          if (bytes > 0xffff0000) return null;
          try {
            if (memory.grow(Math.ceil((bytes - have) / 65536)) < 0) return null;
          } catch {
            return null; // out of memory for the wasm heap: the caller falls back to JS
          }
        }
        return new Uint8Array(memory.buffer);
      },
      xorLists: (n, idx, dstBase, start, cols, srcBase, stride) =>
        xorLists(n, idx, dstBase, start, cols, srcBase, stride),
      copyRows: (n, dst, dstBase, src, srcBase, stride) => copyRows(n, dst, dstBase, src, srcBase, stride),
      hdpc: (n, pairs, cBase, stride, hBase, y) => hdpc(n, pairs, cBase, stride, hBase, y),
      fma: (d, s, n, beta) => fma(d, s, n, beta),
      dense: (ops, n, base, stride) => dense(ops, n, base, stride),
    };
  } catch {
    return null;
  }
}

/** The JS fallback: the same operations on an ArrayBuffer, XOR in 32-bit words. */
export function jsKernels(): Kernels {
  let buf = new ArrayBuffer(TABLES_BYTES);
  let u8 = new Uint8Array(buf);
  let w = new Int32Array(buf);
  const fmaBytes = (d: number, s: number, n: number, beta: number): void => {
    const row = mulRow(beta);
    for (let i = 0; i < n; i++) u8[d + i]! ^= row[u8[s + i]!]!;
  };
  return {
    name: 'js',
    reserve(bytes) {
      if (bytes > buf.byteLength) {
        const next = new ArrayBuffer(Math.max(bytes, buf.byteLength * 2));
        new Uint8Array(next).set(u8);
        buf = next;
        u8 = new Uint8Array(buf);
        w = new Int32Array(buf);
      }
      return u8;
    },
    xorLists(n, idx, dstBase, start, cols, srcBase, stride) {
      const sw = stride >>> 2;
      for (let k = 0; k < n; k++) {
        const d = (dstBase + w[(idx >>> 2) + k]! * stride) >>> 2;
        for (let t = w[(start >>> 2) + k]!, e = w[(start >>> 2) + k + 1]!; t < e; t++) {
          const s = (srcBase + w[(cols >>> 2) + t]! * stride) >>> 2;
          for (let j = 0; j < sw; j++) w[d + j]! ^= w[s + j]!;
        }
      }
    },
    copyRows(n, dst, dstBase, src, srcBase, stride) {
      for (let k = 0; k < n; k++) {
        const d = dstBase + w[(dst >>> 2) + k]! * stride;
        const s = w[(src >>> 2) + k]!;
        if (s < 0) u8.fill(0, d, d + stride);
        else u8.copyWithin(d, srcBase + s * stride, srcBase + (s + 1) * stride);
      }
    },
    hdpc(n, pairs, cBase, stride, hBase, y) {
      const sw = stride >>> 2;
      const yw = y >>> 2;
      for (let j = 0; j < n; j++) {
        const pr = u8[pairs + 2 * j]! | (u8[pairs + 2 * j + 1]! << 8);
        const aw = (hBase + (pr & 255) * stride) >>> 2;
        const bw = (hBase + (pr >>> 8) * stride) >>> 2;
        const cw = (cBase + j * stride) >>> 2;
        const last = j === n - 1;
        for (let k = 0; k < sw; k++) {
          const v = w[yw + k]!;
          // α·v byte-wise: shift the low seven bits, reduce with 0x1d where the top bit fell off.
          const x = ((v & 0x7f7f7f7f) << 1) ^ (((v >>> 7) & 0x01010101) * 0x1d) ^ w[cw + k]!;
          w[yw + k] = x;
          if (!last) {
            w[aw + k]! ^= x;
            w[bw + k]! ^= x;
          }
        }
      }
    },
    fma: fmaBytes,
    dense(ops, n, base, stride) {
      const sw = stride >>> 2;
      const o = ops >>> 2;
      for (let k = 0; k < n; k++) {
        const d = base + w[o + 3 * k]! * stride;
        const s = w[o + 3 * k + 1]!;
        const beta = w[o + 3 * k + 2]!;
        if (s < 0) {
          const row = mulRow(beta);
          for (let i = 0; i < stride; i++) u8[d + i] = row[u8[d + i]!]!;
        } else if (beta === 1) {
          const dw = d >>> 2;
          const s0 = (base + s * stride) >>> 2;
          for (let j = 0; j < sw; j++) w[dw + j]! ^= w[s0 + j]!;
        } else fmaBytes(d, base + s * stride, stride, beta);
      }
    },
  };
}

let wasm: Kernels | null | undefined;
let js: Kernels | undefined;
let forced: 'js' | undefined;

/** The wasm kernels when this engine runs WebAssembly SIMD, else null. */
export function wasmKernelsOrNull(): Kernels | null {
  if (wasm === undefined) wasm = wasmKernels();
  return forced === 'js' ? null : wasm;
}

/** The JS kernels (one shared instance). */
export function sharedJsKernels(): Kernels {
  if (!js) js = jsKernels();
  return js;
}

/** Test hook: `'js'` disables the wasm kernels, `undefined` restores the default. */
export function forceKernels(which: 'js' | undefined): void {
  forced = which;
}
