import { assertBytes } from '@syncwire/bytes';

/**
 * A SipHash key unpacked into four little-endian 32-bit limbs `[k0lo, k0hi, k1lo, k1hi]`, so hot loops never
 * re-read the 16 key bytes. Make one with {@link sipKey}.
 */
export type SipKey = Uint32Array;

/** Unpacks a 16-byte SipHash key. Throws TypeError/RangeError for anything but 16 bytes. */
export function sipKey(key: Uint8Array): SipKey {
  assertBytes('sipKey', 'key', key);
  if (key.length !== 16) throw new RangeError(`sipKey: key expected 16 bytes, got ${key.length}`);
  const k = new Uint32Array(4);
  for (let i = 0; i < 4; i++) k[i] = readU32(key, 4 * i);
  return k;
}

function readU32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/**
 * SipHash-2-4 (Aumasson & Bernstein) of `length` bytes of `data` at `offset`, computed on 32-bit limbs so no
 * BigInt is touched. Writes the 64-bit result as `[lo, hi]` at `out[outOffset]`; allocates nothing.
 */
export function sipHash24Into(
  key: SipKey,
  data: Uint8Array,
  offset: number,
  length: number,
  out: Uint32Array,
  outOffset: number,
): void {
  // v0..v3 as (hi, lo) pairs; the constants are "somepseudorandomlygeneratedbytes".
  let v0l = key[0]! ^ 0x70736575;
  let v0h = key[1]! ^ 0x736f6d65;
  let v1l = key[2]! ^ 0x6e646f6d;
  let v1h = key[3]! ^ 0x646f7261;
  let v2l = key[0]! ^ 0x6e657261;
  let v2h = key[1]! ^ 0x6c796765;
  let v3l = key[2]! ^ 0x79746573;
  let v3h = key[3]! ^ 0x74656462;
  const blocks = length >>> 3;
  // One pass per 8-byte block plus the padded final block (length byte in the top lane).
  for (let b = 0; b <= blocks; b++) {
    let ml: number;
    let mh: number;
    if (b < blocks) {
      const p = offset + 8 * b;
      ml = readU32(data, p);
      mh = readU32(data, p + 4);
    } else {
      ml = 0;
      mh = (length & 0xff) << 24;
      const p = offset + 8 * b;
      const rem = length & 7;
      for (let i = 0; i < rem; i++) {
        if (i < 4) ml |= data[p + i]! << (8 * i);
        else mh |= data[p + i]! << (8 * (i - 4));
      }
      ml >>>= 0;
      mh >>>= 0;
    }
    v3l ^= ml;
    v3h ^= mh;
    for (let r = 0; r < 2; r++) {
      // v0 += v1; v1 <<<= 13; v1 ^= v0; v0 <<<= 32
      let lo = (v0l + v1l) >>> 0;
      v0h = (v0h + v1h + (lo < v0l >>> 0 ? 1 : 0)) >>> 0;
      v0l = lo;
      let t = v1h;
      v1h = ((v1h << 13) | (v1l >>> 19)) >>> 0;
      v1l = ((v1l << 13) | (t >>> 19)) >>> 0;
      v1l ^= v0l;
      v1h ^= v0h;
      t = v0l;
      v0l = v0h;
      v0h = t;
      // v2 += v3; v3 <<<= 16; v3 ^= v2
      lo = (v2l + v3l) >>> 0;
      v2h = (v2h + v3h + (lo < v2l >>> 0 ? 1 : 0)) >>> 0;
      v2l = lo;
      t = v3h;
      v3h = ((v3h << 16) | (v3l >>> 16)) >>> 0;
      v3l = ((v3l << 16) | (t >>> 16)) >>> 0;
      v3l ^= v2l;
      v3h ^= v2h;
      // v0 += v3; v3 <<<= 21; v3 ^= v0
      lo = (v0l + v3l) >>> 0;
      v0h = (v0h + v3h + (lo < v0l >>> 0 ? 1 : 0)) >>> 0;
      v0l = lo;
      t = v3h;
      v3h = ((v3h << 21) | (v3l >>> 11)) >>> 0;
      v3l = ((v3l << 21) | (t >>> 11)) >>> 0;
      v3l ^= v0l;
      v3h ^= v0h;
      // v2 += v1; v1 <<<= 17; v1 ^= v2; v2 <<<= 32
      lo = (v2l + v1l) >>> 0;
      v2h = (v2h + v1h + (lo < v2l >>> 0 ? 1 : 0)) >>> 0;
      v2l = lo;
      t = v1h;
      v1h = ((v1h << 17) | (v1l >>> 15)) >>> 0;
      v1l = ((v1l << 17) | (t >>> 15)) >>> 0;
      v1l ^= v2l;
      v1h ^= v2h;
      t = v2l;
      v2l = v2h;
      v2h = t;
    }
    v0l ^= ml;
    v0h ^= mh;
  }
  v2l ^= 0xff;
  for (let r = 0; r < 4; r++) {
    let lo = (v0l + v1l) >>> 0;
    v0h = (v0h + v1h + (lo < v0l >>> 0 ? 1 : 0)) >>> 0;
    v0l = lo;
    let t = v1h;
    v1h = ((v1h << 13) | (v1l >>> 19)) >>> 0;
    v1l = ((v1l << 13) | (t >>> 19)) >>> 0;
    v1l ^= v0l;
    v1h ^= v0h;
    t = v0l;
    v0l = v0h;
    v0h = t;
    lo = (v2l + v3l) >>> 0;
    v2h = (v2h + v3h + (lo < v2l >>> 0 ? 1 : 0)) >>> 0;
    v2l = lo;
    t = v3h;
    v3h = ((v3h << 16) | (v3l >>> 16)) >>> 0;
    v3l = ((v3l << 16) | (t >>> 16)) >>> 0;
    v3l ^= v2l;
    v3h ^= v2h;
    lo = (v0l + v3l) >>> 0;
    v0h = (v0h + v3h + (lo < v0l >>> 0 ? 1 : 0)) >>> 0;
    v0l = lo;
    t = v3h;
    v3h = ((v3h << 21) | (v3l >>> 11)) >>> 0;
    v3l = ((v3l << 21) | (t >>> 11)) >>> 0;
    v3l ^= v0l;
    v3h ^= v0h;
    lo = (v2l + v1l) >>> 0;
    v2h = (v2h + v1h + (lo < v2l >>> 0 ? 1 : 0)) >>> 0;
    v2l = lo;
    t = v1h;
    v1h = ((v1h << 17) | (v1l >>> 15)) >>> 0;
    v1l = ((v1l << 17) | (t >>> 15)) >>> 0;
    v1l ^= v2l;
    v1h ^= v2h;
    t = v2l;
    v2l = v2h;
    v2h = t;
  }
  out[outOffset] = (v0l ^ v1l ^ v2l ^ v3l) >>> 0;
  out[outOffset + 1] = (v0h ^ v1h ^ v2h ^ v3h) >>> 0;
}

/** SipHash-2-4 of `data` under a 16-byte `key`, as 8 little-endian bytes (the reference byte order). */
export function sipHash24(key: Uint8Array, data: Uint8Array): Uint8Array {
  const k = sipKey(key);
  assertBytes('sipHash24', 'data', data);
  const r = new Uint32Array(2);
  sipHash24Into(k, data, 0, data.length, r, 0);
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = r[i >> 2]! >>> (8 * (i & 3));
  return out;
}
