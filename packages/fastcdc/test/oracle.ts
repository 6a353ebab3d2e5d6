/**
 * A deliberately naive second implementation for differential tests: the fastcdc-rs 4.0.1 `cut` functions
 * transliterated step by step with u64 BigInt arithmetic (pair loop, GEAR_LS, `mask << 1`, limits as the crate
 * computes them), sharing nothing with src/ except the JSON tables. Slow (~1 MB/s): small inputs only.
 */
import { loadVectors } from '@syncwire/testkit';

const gearJson = loadVectors<{ GEAR: string[]; GEAR_LS: string[]; MASKS: string[] }>(
  import.meta.url,
  'gear.json',
);
const U64 = (1n << 64n) - 1n;
const GEAR = gearJson.GEAR.map((h) => BigInt(h));
const GEAR_LS = gearJson.GEAR_LS.map((h) => BigInt(h));
const MASKS = gearJson.MASKS.map((h) => BigInt(h));

export interface OracleChunk {
  offset: number;
  length: number;
  hash: bigint;
}

export interface OracleOptions {
  min: number;
  avg: number;
  max: number;
  level: number;
  seed: bigint;
  variant: 'v2020' | 'v2016';
}

function cut2020(
  src: Uint8Array,
  o: OracleOptions,
  gear: bigint[],
  gearLs: bigint[],
  maskS: bigint,
  maskL: bigint,
): [bigint, number] {
  const n = src.length;
  if (n <= o.min) return [0n, n];
  let remaining = n;
  let center = o.avg;
  if (n > o.max) remaining = o.max;
  else if (n < center) center = n;
  let i = Math.floor(o.min / 2);
  const limit1 = Math.floor(center / 2);
  const limit2 = Math.floor(remaining / 2);
  const maskSLs = (maskS << 1n) & U64;
  const maskLLs = (maskL << 1n) & U64;
  let h = 0n;
  while (i < limit1) {
    let a = i * 2;
    h = ((h << 2n) + gearLs[src[a]!]!) & U64;
    if ((h & maskSLs) === 0n) return [h, a];
    a += 1;
    h = (h + gear[src[a]!]!) & U64;
    if ((h & maskS) === 0n) return [h, a];
    i += 1;
  }
  while (i < limit2) {
    let a = i * 2;
    h = ((h << 2n) + gearLs[src[a]!]!) & U64;
    if ((h & maskLLs) === 0n) return [h, a];
    a += 1;
    h = (h + gear[src[a]!]!) & U64;
    if ((h & maskL) === 0n) return [h, a];
    i += 1;
  }
  return [h, remaining];
}

function cut2016(
  src: Uint8Array,
  o: OracleOptions,
  gear: bigint[],
  maskS: bigint,
  maskL: bigint,
): [bigint, number] {
  const n = src.length;
  if (n <= o.min) return [0n, n];
  let remaining = n;
  let center = o.avg;
  if (n > o.max) remaining = o.max;
  else if (n < center) center = n;
  let index = o.min;
  let h = 0n;
  while (index < center) {
    h = ((h << 1n) + gear[src[index]!]!) & U64;
    if ((h & maskS) === 0n) return [h, index];
    index += 1;
  }
  while (index < remaining) {
    h = ((h << 1n) + gear[src[index]!]!) & U64;
    if ((h & maskL) === 0n) return [h, index];
    index += 1;
  }
  return [h, remaining];
}

/** All chunks of `data`, as the crate's iterator yields them. */
export function oracleChunks(data: Uint8Array, o: OracleOptions): OracleChunk[] {
  const bits = Math.round(Math.log2(o.avg));
  const maskS = MASKS[bits + o.level]!;
  const maskL = MASKS[bits - o.level]!;
  const gear = GEAR.map((g) => g ^ o.seed);
  const gearLs = GEAR_LS.map((g) => g ^ ((o.seed << 1n) & U64));
  const out: OracleChunk[] = [];
  let offset = 0;
  while (offset < data.length) {
    const src = data.subarray(offset);
    const [hash, length] =
      o.variant === 'v2020'
        ? cut2020(src, o, gear, gearLs, maskS, maskL)
        : cut2016(src, o, gear, maskS, maskL);
    out.push({ offset, length, hash });
    offset += length;
  }
  return out;
}
