import { assertBytes, assertInteger, type Codec, CodecError, type Decoded, describe } from '@syncwire/bytes';
import { uvarint } from '@syncwire/varint';
import { consistencyProofLength } from './consistency.ts';
import { inclusionProofLength } from './inclusion.ts';
import { rangeProofLength } from './range.ts';

/** An inclusion proof with its position: what `verifyInclusion` needs besides the leaf and root. */
export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  /** `inclusionProofLength(leafIndex, treeSize)` hashes back to back. */
  hashes: Uint8Array;
}

/** A consistency proof between two tree sizes. */
export interface ConsistencyProof {
  size1: number;
  size2: number;
  /** `consistencyProofLength(size1, size2)` hashes back to back. */
  hashes: Uint8Array;
}

/** A range proof for leaves [start, end) of a tree. */
export interface RangeProof {
  start: number;
  end: number;
  treeSize: number;
  /** `rangeProofLength(start, end, treeSize)` hashes back to back. */
  hashes: Uint8Array;
}

/** Limits and shape of the proof codecs. */
export interface ProofCodecOptions {
  /** Bytes per hash. Default 32 (SHA-256). */
  hashSize?: number;
  /**
   * Most hashes a decoded proof may hold. Default 128: enough for any tree of up to 2^53 - 1 leaves
   * (inclusion ≤ 53, consistency ≤ 54, range ≤ 106). Checked before the hashes are touched.
   */
  maxHashes?: number;
}

/**
 * The header fields, as uvarints, and the exact hash count they imply. `count` returns -1 when the
 * header itself is impossible (index ≥ size, size1 = 0, …).
 */
interface Shape<T> {
  name: string;
  fields: readonly (keyof T & string)[];
  count(fields: number[]): number;
}

function catchRange(f: () => number): number {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) return -1;
    throw e;
  }
}

function proofCodec<T extends { hashes: Uint8Array }>(
  shape: Shape<T>,
  options: ProofCodecOptions | undefined,
): Codec<T> {
  const where = shape.name;
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`${where}: options expected an object, got ${describe(options)}`);
  }
  const size = options?.hashSize ?? 32;
  const maxHashes = options?.maxHashes ?? 128;
  assertInteger(where, 'options.hashSize', size, 1, 1024);
  assertInteger(where, 'options.maxHashes', maxHashes, 0, 1 << 20);
  const values = (v: T): number[] => shape.fields.map((f) => v[f] as number);
  const check = (op: string, v: T): number => {
    if (typeof v !== 'object' || v === null)
      throw new TypeError(`${where}.${op}: value expected an object, got ${describe(v)}`);
    assertBytes(`${where}.${op}`, 'value.hashes', v.hashes);
    let header = 0;
    for (const f of shape.fields) header += uvarint.encodingLength(v[f] as number);
    const count = catchRange(() => shape.count(values(v)));
    if (count < 0)
      throw new RangeError(`${where}.${op}: impossible ${shape.fields.join('/')} ${values(v).join('/')}`);
    if (v.hashes.length !== count * size) {
      throw new RangeError(
        `${where}.${op}: value.hashes expected ${count} hashes of ${size} bytes, got ${v.hashes.length} bytes`,
      );
    }
    return header + count * size;
  };
  return {
    encodingLength(v) {
      return check('encodingLength', v);
    },
    encodeInto(v, out, offset) {
      const total = check('encodeInto', v);
      assertBytes(`${where}.encodeInto`, 'out', out);
      assertInteger(`${where}.encodeInto`, 'offset', offset, 0, out.length);
      if (out.length - offset < total) {
        throw new RangeError(
          `${where}.encodeInto: needs ${total} bytes at offset ${offset}, out has ${out.length}`,
        );
      }
      let o = offset;
      for (const f of shape.fields) o += uvarint.encodeInto(v[f] as number, out, o);
      out.set(v.hashes, o);
      return total;
    },
    decode(bytes, offset = 0): Decoded<T> {
      assertBytes(`${where}.decode`, 'bytes', bytes);
      assertInteger(`${where}.decode`, 'offset', offset, 0, bytes.length);
      let o = offset;
      const nums: number[] = [];
      for (let i = 0; i < shape.fields.length; i++) {
        const d = uvarint.decode(bytes, o);
        nums.push(d.value);
        o = d.end;
      }
      const count = catchRange(() => shape.count(nums));
      if (count < 0) {
        throw new CodecError(
          'out_of_range',
          `${where}.decode: impossible ${shape.fields.join('/')} ${nums.join('/')}`,
          offset,
        );
      }
      // Limits before touching the hashes: the count is implied by the header, so a hostile header can
      // ask for at most ~2·53 hashes, and maxHashes can lower that further.
      if (count > maxHashes) {
        throw new CodecError('limit_exceeded', `${where}.decode: ${count} hashes, limit ${maxHashes}`, o);
      }
      if (bytes.length - o < count * size) {
        throw new CodecError(
          'unexpected_eof',
          `${where}.decode: needs ${count * size} hash bytes, has ${bytes.length - o}`,
          o,
        );
      }
      const value = { hashes: bytes.subarray(o, o + count * size) } as T;
      shape.fields.forEach((f, i) => {
        (value as Record<string, unknown>)[f] = nums[i];
      });
      return { value, end: o + count * size };
    },
  };
}

/**
 * Codec of an {@link InclusionProof}: `uvarint(leafIndex) uvarint(treeSize) hash*` where the number of
 * hashes is implied by the two sizes (`inclusionProofLength`), so nothing is spent on a count and a
 * header can never announce more hashes than the tree shape allows. Decoded hashes are a view into the
 * input (zero-copy). Errors: `out_of_range` (leafIndex ≥ treeSize), `limit_exceeded`, `unexpected_eof`,
 * and the uvarint errors (`not_minimal`, `overflow`).
 */
export function inclusionProofCodec(options?: ProofCodecOptions): Codec<InclusionProof> {
  return proofCodec<InclusionProof>(
    {
      name: 'inclusionProof',
      fields: ['leafIndex', 'treeSize'],
      count: ([i, n]) => inclusionProofLength(i!, n!),
    },
    options,
  );
}

/**
 * Codec of a {@link ConsistencyProof}: `uvarint(size1) uvarint(size2) hash*`, the count implied by the
 * sizes (`consistencyProofLength`; size1 = 0 or size1 > size2 is `out_of_range`). Zero-copy hashes.
 */
export function consistencyProofCodec(options?: ProofCodecOptions): Codec<ConsistencyProof> {
  return proofCodec<ConsistencyProof>(
    {
      name: 'consistencyProof',
      fields: ['size1', 'size2'],
      count: ([a, b]) => consistencyProofLength(a!, b!),
    },
    options,
  );
}

/**
 * Codec of a {@link RangeProof}: `uvarint(start) uvarint(end) uvarint(treeSize) hash*`, the count implied
 * (`rangeProofLength`; an empty or out-of-bounds range is `out_of_range`). Zero-copy hashes.
 */
export function rangeProofCodec(options?: ProofCodecOptions): Codec<RangeProof> {
  return proofCodec<RangeProof>(
    {
      name: 'rangeProof',
      fields: ['start', 'end', 'treeSize'],
      count: ([a, b, n]) => rangeProofLength(a!, b!, n!),
    },
    options,
  );
}

/** {@link inclusionProofCodec} with the defaults (32-byte hashes, at most 128). */
export const inclusionProof: Codec<InclusionProof> = /* @__PURE__ */ inclusionProofCodec();
/** {@link consistencyProofCodec} with the defaults. */
export const consistencyProof: Codec<ConsistencyProof> = /* @__PURE__ */ consistencyProofCodec();
/** {@link rangeProofCodec} with the defaults. */
export const rangeProof: Codec<RangeProof> = /* @__PURE__ */ rangeProofCodec();
