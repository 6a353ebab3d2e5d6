/** ZigZag-maps an int32 to a uint32: 0, −1, 1, −2 … → 0, 1, 2, 3 … */
export function zigzag32(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

/** Inverse of {@link zigzag32}. */
export function unzigzag32(z: number): number {
  return (z >>> 1) ^ -(z & 1);
}

/** ZigZag-maps an int64 bigint to a uint64 bigint. */
export function zigzag64(n: bigint): bigint {
  return BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
}

/** Inverse of {@link zigzag64}. */
export function unzigzag64(z: bigint): bigint {
  return (z >> 1n) ^ -(z & 1n);
}
