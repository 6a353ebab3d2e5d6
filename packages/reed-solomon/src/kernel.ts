/**
 * The inner product every operation reduces to: `outputs[r] = XOR over c of matrix[r][c] · inputs[c]`,
 * byte-wise over `len` bytes. Encoding uses the parity rows of the encoding matrix, reconstruction the rows of
 * an inverted sub-matrix; both kernels must give identical bytes.
 */
export interface Kernel {
  /** `simd` (WebAssembly SIMD) or `table` (pure TypeScript). */
  readonly name: KernelName;
  /**
   * `matrix` is `outputs.length × inputs.length`, row-major. Reads `len` bytes of each input, writes `len`
   * bytes of each output. Outputs must not alias inputs.
   */
  mul(matrix: Uint8Array, inputs: readonly Uint8Array[], outputs: readonly Uint8Array[], len: number): void;
  /**
   * `count` zeroed arrays of `len` bytes placed where `mul` can work on them without copying (for the SIMD
   * kernel: slots in a dedicated WebAssembly memory, sized for matrices up to `maxOutputs × maxInputs`).
   * Absent when the kernel has no such place.
   */
  allocate?(count: number, len: number, maxInputs: number, maxOutputs: number): Uint8Array[];
}

/** Which kernel runs the arithmetic. */
export type KernelName = 'simd' | 'table';
