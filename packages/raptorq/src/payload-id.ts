import { type Codec, CodecError, type Decoded } from '@syncwire/bytes';

/** Largest encoding symbol ID (24 bits). */
export const MAX_ESI = 0xffffff;

/** FEC Payload ID (RFC 6330 §3.2): which block and which encoding symbol a packet carries. */
export interface PayloadId {
  /** SBN, 0..255. */
  readonly sbn: number;
  /** ESI of the packet's first symbol, 0..2^24−1. */
  readonly esi: number;
}

function check(where: string, v: PayloadId): void {
  if (typeof v !== 'object' || v === null)
    throw new TypeError(`${where}: value expected an object, got ${v}`);
  if (!Number.isInteger(v.sbn) || v.sbn < 0 || v.sbn > 255) {
    throw new RangeError(`${where}: sbn expected an integer in [0, 255], got ${v.sbn}`);
  }
  if (!Number.isInteger(v.esi) || v.esi < 0 || v.esi > MAX_ESI) {
    throw new RangeError(`${where}: esi expected an integer in [0, ${MAX_ESI}], got ${v.esi}`);
  }
}

/** The 4-byte FEC Payload ID: SBN (8 bits) ‖ ESI (24 bits, big-endian). Every 4 bytes decode. */
export const payloadIdCodec: Codec<PayloadId> = {
  encodingLength(v: PayloadId): number {
    check('payloadIdCodec.encode', v);
    return 4;
  },
  encodeInto(v: PayloadId, out: Uint8Array, offset: number): number {
    check('payloadIdCodec.encode', v);
    if (!(out instanceof Uint8Array))
      throw new TypeError('payloadIdCodec.encodeInto: out expected a Uint8Array');
    if (!Number.isInteger(offset) || offset < 0 || offset + 4 > out.length) {
      throw new RangeError(
        `payloadIdCodec.encodeInto: offset expected an integer in [0, ${out.length - 4}], got ${offset}`,
      );
    }
    writePayloadId(out, offset, v.sbn, v.esi);
    return 4;
  },
  decode(bytes: Uint8Array, offset = 0): Decoded<PayloadId> {
    if (!(bytes instanceof Uint8Array))
      throw new TypeError('payloadIdCodec.decode: bytes expected a Uint8Array');
    if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length) {
      throw new RangeError(
        `payloadIdCodec.decode: offset expected an integer in [0, ${bytes.length}], got ${offset}`,
      );
    }
    if (bytes.length - offset < 4) {
      throw new CodecError(
        'unexpected_eof',
        `payload id: needs 4 bytes, ${bytes.length - offset} left`,
        offset,
      );
    }
    const o = offset;
    return {
      value: { sbn: bytes[o]!, esi: (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]! },
      end: o + 4,
    };
  },
};

/** Writes SBN ‖ ESI at `out[o..o+4)` without checks (callers validated). */
export function writePayloadId(out: Uint8Array, o: number, sbn: number, esi: number): void {
  out[o] = sbn;
  out[o + 1] = esi >>> 16;
  out[o + 2] = esi >>> 8;
  out[o + 3] = esi;
}
