import { type Codec, CodecError, type Decoded } from '@syncwire/bytes';
import { K_MAX } from './systematic.ts';

/** Largest transfer length RFC 6330 allows (erratum EID 5548: 56403 · 65535 · 255). */
export const MAX_TRANSFER_LENGTH = 942_574_504_275;

/**
 * FEC Object Transmission Information for FEC Encoding ID 6 (RFC 6330 §3.3.2–§3.3.3): everything a receiver
 * needs besides the packets.
 */
export interface Oti {
  /** F: object size in octets, 1 ≤ F ≤ 942 574 504 275. */
  readonly transferLength: number;
  /** T: symbol size in octets, 1 ≤ T < 65536, a multiple of `alignment`. */
  readonly symbolSize: number;
  /** Z: number of source blocks, 1 ≤ Z ≤ 255. */
  readonly sourceBlocks: number;
  /** N: number of sub-blocks per source block, 1 ≤ N ≤ T / Al. */
  readonly subBlocks: number;
  /** Al: symbol alignment in octets, 1 ≤ Al ≤ 255. */
  readonly alignment: number;
}

/** Why `oti` breaks RFC 6330's rules, or null when it is valid. */
export function otiProblem(oti: Oti): string | null {
  const { transferLength: F, symbolSize: T, sourceBlocks: Z, subBlocks: N, alignment: Al } = oti;
  if (!Number.isSafeInteger(F) || F < 1 || F > MAX_TRANSFER_LENGTH) {
    return `transferLength expected an integer in [1, ${MAX_TRANSFER_LENGTH}], got ${F}`;
  }
  if (!Number.isInteger(T) || T < 1 || T > 65535)
    return `symbolSize expected an integer in [1, 65535], got ${T}`;
  if (!Number.isInteger(Z) || Z < 1 || Z > 255)
    return `sourceBlocks expected an integer in [1, 255], got ${Z}`;
  if (!Number.isInteger(Al) || Al < 1 || Al > 255)
    return `alignment expected an integer in [1, 255], got ${Al}`;
  if (T % Al !== 0) return `symbolSize ${T} is not a multiple of alignment ${Al}`;
  if (!Number.isInteger(N) || N < 1 || N > T / Al) {
    return `subBlocks expected an integer in [1, ${T / Al}] (symbolSize / alignment), got ${N}`;
  }
  const kt = Math.ceil(F / T);
  if (Z > kt) return `sourceBlocks ${Z} exceeds the ${kt} source symbols of the object`;
  if (Math.ceil(kt / Z) > K_MAX) return `${Math.ceil(kt / Z)} source symbols per block exceeds ${K_MAX}`;
  return null;
}

/** Throws RangeError (prefixed with `where`) unless `oti` is a valid RFC 6330 OTI. */
export function assertOti(where: string, oti: Oti): void {
  if (typeof oti !== 'object' || oti === null)
    throw new TypeError(`${where}: oti expected an object, got ${oti}`);
  const problem = otiProblem(oti);
  if (problem) throw new RangeError(`${where}: oti ${problem}`);
}

/**
 * The 12-byte OTI: F (40 bits) ‖ reserved (8, zero) ‖ T (16) ‖ Z (8) ‖ N (16) ‖ Al (8), big-endian.
 * `decode` rejects a non-zero reserved octet (`invalid_value`) and field values outside RFC 6330's limits
 * (`out_of_range`).
 */
export const otiCodec: Codec<Oti> = {
  encodingLength(oti: Oti): number {
    assertOti('otiCodec.encode', oti);
    return 12;
  },
  encodeInto(oti: Oti, out: Uint8Array, offset: number): number {
    assertOti('otiCodec.encode', oti);
    if (!(out instanceof Uint8Array)) throw new TypeError('otiCodec.encodeInto: out expected a Uint8Array');
    if (!Number.isInteger(offset) || offset < 0 || offset + 12 > out.length) {
      throw new RangeError(
        `otiCodec.encodeInto: offset expected an integer in [0, ${out.length - 12}], got ${offset}`,
      );
    }
    const F = oti.transferLength;
    const hi = Math.floor(F / 2 ** 32);
    const lo = F - hi * 2 ** 32;
    out[offset] = hi;
    out[offset + 1] = lo >>> 24;
    out[offset + 2] = lo >>> 16;
    out[offset + 3] = lo >>> 8;
    out[offset + 4] = lo;
    out[offset + 5] = 0;
    out[offset + 6] = oti.symbolSize >>> 8;
    out[offset + 7] = oti.symbolSize;
    out[offset + 8] = oti.sourceBlocks;
    out[offset + 9] = oti.subBlocks >>> 8;
    out[offset + 10] = oti.subBlocks;
    out[offset + 11] = oti.alignment;
    return 12;
  },
  decode(bytes: Uint8Array, offset = 0): Decoded<Oti> {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('otiCodec.decode: bytes expected a Uint8Array');
    if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length) {
      throw new RangeError(
        `otiCodec.decode: offset expected an integer in [0, ${bytes.length}], got ${offset}`,
      );
    }
    if (bytes.length - offset < 12) {
      throw new CodecError('unexpected_eof', `oti: needs 12 bytes, ${bytes.length - offset} left`, offset);
    }
    const b = bytes;
    const o = offset;
    const F =
      b[o]! * 2 ** 32 + (((b[o + 1]! << 24) | (b[o + 2]! << 16) | (b[o + 3]! << 8) | b[o + 4]!) >>> 0);
    if (b[o + 5] !== 0) throw new CodecError('invalid_value', 'oti: reserved octet is not zero', o + 5);
    const oti: Oti = {
      transferLength: F,
      symbolSize: (b[o + 6]! << 8) | b[o + 7]!,
      sourceBlocks: b[o + 8]!,
      subBlocks: (b[o + 9]! << 8) | b[o + 10]!,
      alignment: b[o + 11]!,
    };
    const problem = otiProblem(oti);
    if (problem) throw new CodecError('out_of_range', `oti: ${problem}`, o);
    return { value: oti, end: o + 12 };
  },
};
