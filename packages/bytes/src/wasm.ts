// The slice of the WebAssembly JS API the packages use, typed here: the libraries compile with no DOM or
// Node types, and WebAssembly is not in the ES library.
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** A WebAssembly linear memory, as the embedded kernels export it. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** A compiled WebAssembly module: each `instantiate()` makes a fresh instance and returns its exports. */
export interface WasmModule {
  instantiate(imports?: object): Record<string, unknown>;
}

/**
 * Compiles an embedded module synchronously (fine for the small kernels the packages ship). Returns `null`
 * where WebAssembly is missing, where the engine rejects the bytes (e.g. no SIMD), or where it refuses to
 * compile (e.g. a CSP without `wasm-unsafe-eval`): callers then use their JS path.
 */
export function compileWasm(bytes: Uint8Array): WasmModule | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return null;
  try {
    if (!wasm.validate(bytes)) return null;
    const module = new wasm.Module(bytes);
    return { instantiate: (imports = {}) => new wasm.Instance(module, imports).exports };
  } catch {
    return null;
  }
}
