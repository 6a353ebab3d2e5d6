import { assertBytes, assertInteger, CodecError } from '@syncwire/bytes';
import { scanLeb128, scanned, scannedBigint, scannedNumber } from './scan.ts';
import { unzigzag32, unzigzag64 } from './zigzag-map.ts';

const TWO_28 = 0x10000000;

/** Options of {@link VarintReader}. */
export interface VarintReaderOptions {
  /** Accept non-minimal LEB128 (protobuf-style input). Default `false`: strict. */
  lenient?: boolean;
  /** Prefix of error messages. Default `'VarintReader'`. */
  name?: string;
}

/**
 * Reads consecutive LEB128 varints from one buffer without allocating: the fastest way to walk a run of
 * varints. `pos` is the offset of the next read; on a CodecError it stays at the failing varint.
 *
 * @example
 * ```ts
 * const r = new VarintReader(bytes);
 * while (r.remaining > 0) sum += r.uint();
 * ```
 */
export class VarintReader {
  /** The buffer being read. */
  bytes: Uint8Array;
  /** Offset of the next read. */
  pos: number;
  readonly #minimal: boolean;
  readonly #name: string;

  constructor(bytes: Uint8Array, offset = 0, options: VarintReaderOptions = {}) {
    assertBytes('VarintReader', 'bytes', bytes);
    assertInteger('VarintReader', 'offset', offset, 0, bytes.length);
    this.bytes = bytes;
    this.pos = offset;
    this.#minimal = options.lenient !== true;
    this.#name = options.name ?? 'VarintReader';
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /**
   * Next unsigned LEB128 as a number in [0, 2^53 − 1]. Kept under V8's inlining budget: values of up to
   * 28 bits are read here unrolled with no bounds checks while eight bytes remain; longer values, short
   * input and every error go to {@link VarintReader.#uintRest}.
   */
  uint(): number {
    const buf = this.bytes;
    const p = this.pos;
    if (buf.length - p >= 8) {
      let b = buf[p]!;
      if (b < 0x80) {
        this.pos = p + 1;
        return b;
      }
      let v = b & 0x7f;
      // A final group of 0 is non-minimal: the slow path rejects it or, when lenient, accepts it.
      b = buf[p + 1]!;
      if (b < 0x80) {
        if (b === 0) return this.#uintRest();
        this.pos = p + 2;
        return v | (b << 7);
      }
      v |= (b & 0x7f) << 7;
      b = buf[p + 2]!;
      if (b < 0x80) {
        if (b === 0) return this.#uintRest();
        this.pos = p + 3;
        return v | (b << 14);
      }
      v |= (b & 0x7f) << 14;
      b = buf[p + 3]!;
      if (b < 0x80) {
        if (b === 0) return this.#uintRest();
        this.pos = p + 4;
        return v | (b << 21);
      }
    }
    return this.#uintRest();
  }

  /** 5–8 byte values unrolled (while eight bytes remain), everything else through the careful scan. */
  #uintRest(): number {
    const buf = this.bytes;
    const p = this.pos;
    if (buf.length - p >= 8 && buf[p]! & buf[p + 1]! & buf[p + 2]! & buf[p + 3]! & 0x80) {
      const v =
        (buf[p]! & 0x7f) |
        ((buf[p + 1]! & 0x7f) << 7) |
        ((buf[p + 2]! & 0x7f) << 14) |
        ((buf[p + 3]! & 0x7f) << 21);
      // Bits 28 and up collect in `hi`; the value is v + hi * 2^28, exact below 2^53.
      let b = buf[p + 4]!;
      if (b < 0x80 && b !== 0) {
        this.pos = p + 5;
        return v + b * TWO_28;
      }
      let hi = b & 0x7f;
      b = buf[p + 5]!;
      if (b < 0x80 && b !== 0) {
        this.pos = p + 6;
        return v + (hi | (b << 7)) * TWO_28;
      }
      hi |= (b & 0x7f) << 7;
      b = buf[p + 6]!;
      if (b < 0x80 && b !== 0) {
        this.pos = p + 7;
        return v + (hi | (b << 14)) * TWO_28;
      }
      hi |= (b & 0x7f) << 14;
      b = buf[p + 7]!;
      // The 8th group may hold only 4 bits below 2^53.
      if (b < 0x10 && b !== 0) {
        this.pos = p + 8;
        return v + (hi | (b << 21)) * TWO_28;
      }
    }
    const where = `${this.#name}.uint`;
    scanLeb128(buf, p, 10, this.#minimal, where);
    const value = scannedNumber(where, p);
    this.pos = scanned.end;
    return value;
  }

  /** Next unsigned LEB128 as a bigint in [0, 2^64 − 1]. */
  uint64(): bigint {
    scanLeb128(this.bytes, this.pos, 10, this.#minimal, `${this.#name}.uint64`);
    this.pos = scanned.end;
    return scannedBigint();
  }

  /** Next ZigZag sint32; `overflow` when the zigzag value exceeds 32 bits. */
  sint32(): number {
    const start = this.pos;
    const z = this.uint();
    if (z > 0xffffffff) {
      this.pos = start;
      throw new CodecError('overflow', `${this.#name}.sint32: zigzag value out of range`, start);
    }
    return unzigzag32(z);
  }

  /** Next ZigZag sint64 as a bigint. */
  sint64(): bigint {
    return unzigzag64(this.uint64());
  }
}
