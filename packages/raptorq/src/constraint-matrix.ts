import { assertBytes, assertInteger } from '@syncwire/bytes';
import { IntermediateSymbols } from './block-encoder.ts';
import { alphaPow, gfMul } from './gf256.ts';
import { rand } from './rand.ts';
import { binaryRows } from './solver.ts';
import { K_MAX, systematicParams } from './systematic.ts';

/**
 * The encoding constraint matrix A of RFC 6330 §5.3.3.4.2 for K' = `kPrime` (a Table 2 value) as L×L octets,
 * row-major: S LDPC rows, H HDPC rows, then the LT rows of ISIs 0..K'−1. A reference and test aid: the
 * solver never builds A densely.
 */
export function constraintMatrix(kPrime: number): Uint8Array {
  assertInteger('raptorq.constraintMatrix', 'kPrime', kPrime, 1, K_MAX);
  const p = systematicParams(kPrime);
  if (p.Kp !== kPrime) throw new RangeError(`raptorq.constraintMatrix: ${kPrime} is not a K' of Table 2`);
  const { S, H, L, Kp } = p;
  const isis = new Int32Array(Kp);
  for (let x = 0; x < Kp; x++) isis[x] = x;
  const { rowStart, rowCols } = binaryRows(p, isis);
  const a = new Uint8Array(L * L);
  const put = (row: number, r: number): void => {
    for (let t = rowStart[r]!; t < rowStart[r + 1]!; t++) a[row * L + rowCols[t]!] = 1;
  };
  for (let r = 0; r < S; r++) put(r, r);
  for (let x = 0; x < Kp; x++) put(S + H + x, S + x);
  // G_HDPC = MT·GAMMA, right to left: G[h][j] = MT[h][j] + α·G[h][j+1] (digest §11.2).
  const n = Kp + S;
  for (let h = 0; h < H; h++) a[(S + h) * L + n - 1] = alphaPow(h);
  for (let j = n - 2; j >= 0; j--) {
    for (let h = 0; h < H; h++) a[(S + h) * L + j] = gfMul(2, a[(S + h) * L + j + 1]!);
    const i1 = rand(j + 1, 6, H);
    const i2 = (i1 + rand(j + 1, 7, H - 1) + 1) % H;
    a[(S + i1) * L + j]! ^= 1;
    a[(S + i2) * L + j]! ^= 1;
  }
  for (let h = 0; h < H; h++) a[(S + h) * L + n + h] = 1;
  return a;
}

/**
 * The L intermediate symbols C[0..L−1] (RFC 6330 §5.3.3) of a block of `k` source symbols of `t` bytes,
 * given as `source` = K·t bytes (symbol order, already interleaved), concatenated into L·t bytes.
 */
export function intermediateSymbols(source: Uint8Array, k: number, t: number): Uint8Array {
  assertBytes('raptorq.intermediateSymbols', 'source', source);
  assertInteger('raptorq.intermediateSymbols', 'k', k, 1, K_MAX);
  assertInteger('raptorq.intermediateSymbols', 't', t, 1, 65535);
  if (source.length !== k * t) {
    throw new RangeError(`raptorq.intermediateSymbols: source expected ${k * t} bytes, got ${source.length}`);
  }
  const im = IntermediateSymbols.encode(k, t, (buf, base, stride) => {
    for (let n = 0; n < k; n++) buf.set(source.subarray(n * t, (n + 1) * t), base + n * stride);
  });
  const out = new Uint8Array(im.p.L * t);
  for (let j = 0; j < im.p.L; j++) out.set(im.ws.subarray(j * im.stride, j * im.stride + t), j * t);
  return out;
}
