import { compileWasm, fromBase64 } from '@syncwire/bytes';
import { GEAR_SCAN_WASM_BASE64 } from './gear-wasm.generated.ts';
import type { Params } from './options.ts';

interface GearScanExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  h: { value: bigint };
  maskS: { value: bigint };
  maskL: { value: bigint };
  scan(i: number, mid: number, stop: number): number;
}

/** Where input windows start in the module's memory (the GEAR table sits below). */
const WINDOW_BASE = 4096;
/** Bytes copied per window: large enough that most chunks are found without another copy. */
const WINDOW = 1 << 20;

let instance: GearScanExports | null | undefined;

function load(): GearScanExports | null {
  if (instance !== undefined) return instance;
  try {
    // Synchronous compile is fine: the module is 390 bytes (browsers allow sync compiles below 4 KiB).
    const module = compileWasm(fromBase64(GEAR_SCAN_WASM_BASE64));
    instance = module ? (module.instantiate() as unknown as GearScanExports) : null;
  } catch {
    instance = null;
  }
  return instance;
}

/** Whether the WebAssembly kernel can run here. */
export function wasmAvailable(): boolean {
  return load() !== null;
}

// The one module instance's input window: which bytes of which buffer are in memory, valid while `generation`
// is unchanged. Shared by every scanner (there is one memory), so scanners never assume their window survives.
let winBuf: Uint8Array | null = null;
let winGeneration = -1;
let winStart = 0;
let winLength = 0;
let generation = 0;

/**
 * Forgets the copied input window. Called whenever the bytes of a buffer may have changed since they were copied:
 * at every public entry point and before scanning the chunker's pending buffer (which it edits in place).
 * @internal
 */
export function invalidateWasmWindow(): void {
  generation++;
}

/**
 * {@link gearLoop} on WebAssembly: same contract (absolute indices into `buf`, returns the first matching index or
 * -1, resumable), with the 64-bit hash kept whole in `state.h`. Bytes are copied into the module's memory in
 * windows of up to 1 MiB (bounded by `validEnd`, the end of the meaningful bytes of `buf`), which later calls
 * reuse, so one-shot chunking copies each byte about once.
 * @internal
 */
export function wasmGearLoop(
  p: Params,
  buf: Uint8Array,
  from: number,
  mid: number,
  stop: number,
  state: { h: bigint },
  validEnd: number,
): number {
  const x = load();
  if (x === null) throw new Error('fastcdc: WebAssembly is unavailable');
  useParams(x, p);
  x.h.value = state.h;
  let i = from;
  for (;;) {
    if (buf !== winBuf || winGeneration !== generation || i < winStart || i >= winStart + winLength) {
      fill(x, buf, i, stop, validEnd);
    }
    const offset = WINDOW_BASE - winStart;
    const segEnd = Math.min(stop, winStart + winLength);
    const segMid = Math.min(Math.max(mid, i), segEnd);
    const r = x.scan(i + offset, segMid + offset, segEnd + offset);
    if (r >= 0 || segEnd >= stop) {
      state.h = x.h.value;
      return r >= 0 ? r - offset : -1;
    }
    i = segEnd;
  }
}

function fill(x: GearScanExports, buf: Uint8Array, from: number, stop: number, validEnd: number): void {
  // Copy ahead (up to WINDOW) for the chunks that follow, but never past the caller's valid bytes: the chunker's
  // pending buffer is mostly stale space.
  const length = Math.min(validEnd - from, Math.max(WINDOW, stop - from));
  const need = WINDOW_BASE + length;
  const have = x.memory.buffer.byteLength;
  if (have < need && x.memory.grow(Math.ceil((need - have) / 65536)) < 0) {
    throw new RangeError(`fastcdc: WebAssembly memory could not grow to ${need} bytes (use engine: 'js')`);
  }
  new Uint8Array(x.memory.buffer, WINDOW_BASE, length).set(buf.subarray(from, from + length));
  winBuf = buf;
  winGeneration = generation;
  winStart = from;
  winLength = length;
}

let loaded: Params | null = null;

/** Loads `p`'s seeded GEAR table and masks into the module instance when another parameter set was loaded. */
function useParams(x: GearScanExports, p: Params): void {
  if (loaded === p) return;
  // WebAssembly memory is little-endian whatever the host; DataView says so explicitly.
  const view = new DataView(x.memory.buffer, 0, 2048);
  for (let i = 0; i < 256; i++) {
    view.setUint32(8 * i, p.gear[2 * i + 1]!, true);
    view.setUint32(8 * i + 4, p.gear[2 * i]!, true);
  }
  x.maskS.value = p.maskS;
  x.maskL.value = p.maskL;
  loaded = p;
}
