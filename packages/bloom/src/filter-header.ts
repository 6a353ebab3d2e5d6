import { assertInteger, type Codec, CodecError, type Decoded } from '@syncwire/bytes';
import { readU32LE, writeU32LE } from './u64.ts';

/** `"SWFL"`: the first four bytes of every syncwire filter (rfcs/0002-filters.md). */
export const FILTER_MAGIC: readonly number[] = [0x53, 0x57, 0x46, 0x4c];
/** The one wire-format version this code reads and writes. */
export const FILTER_FORMAT_VERSION = 1;
/** Bytes before the parameter block: magic, version, kind, hash id, parameter length, seed, table length. */
export const FILTER_HEADER_BYTES = 20;
/** Default {@link FilterDecodeOptions.maxTableBytes}: 256 MiB. */
export const DEFAULT_MAX_TABLE_BYTES = 1 << 28;

/** Filter kinds (header byte 5) and the exact parameter-block length each one uses. */
export const FilterKind = {
  /** Classic Bloom filter, Kirsch–Mitzenmacher double hashing. */
  bloom: 1,
  /** Split-block Bloom filter, bitset byte-compatible with Apache Parquet. */
  splitBlockBloom: 2,
  /** Cuckoo filter, 4 slots per bucket. */
  cuckoo: 3,
  /** Binary fuse filter with 8-bit fingerprints. */
  binaryFuse8: 4,
  /** Binary fuse filter with 16-bit fingerprints. */
  binaryFuse16: 5,
} as const;
/** A value of {@link FilterKind}. */
export type FilterKindId = (typeof FilterKind)[keyof typeof FilterKind];

const PARAM_BYTES: Record<number, number> = { 1: 8, 2: 0, 3: 16, 4: 12, 5: 12 };

/** Hash ids (header byte 6): how a key becomes the 64-bit value a filter works from. */
export const HashId = {
  /** XXH64 of the key bytes with the header's seed. Keys of any length. */
  xxh64: 1,
  /** The key is already a uniform digest (≥ 16 bytes): its first 8 bytes (little-endian) XOR the seed. */
  digest: 2,
} as const;
/** A value of {@link HashId}. */
export type HashIdValue = (typeof HashId)[keyof typeof HashId];
/** The two key-hashing modes by name, as filter options take them. */
export type KeyHashName = keyof typeof HashId;

/** A decoded filter: header fields plus zero-copy views of the parameter block and the table. */
export interface FilterEnvelope {
  kind: FilterKindId;
  hash: HashIdValue;
  /** Low 32 bits of the 64-bit seed. */
  seedLo: number;
  /** High 32 bits of the 64-bit seed. */
  seedHi: number;
  /** Kind-specific parameters (length fixed by the kind). A view into the decoded bytes. */
  params: Uint8Array;
  /** The raw table, little-endian. A view into the decoded bytes. */
  table: Uint8Array;
}

/** Limits for decoding hostile bytes. */
export interface FilterDecodeOptions {
  /** Largest table accepted, in bytes, checked before anything is allocated. Default {@link DEFAULT_MAX_TABLE_BYTES}. */
  maxTableBytes?: number;
}

/** Resolves {@link FilterDecodeOptions} to a checked limit. */
export function maxTableBytesOf(where: string, options: FilterDecodeOptions | undefined): number {
  const max = options?.maxTableBytes ?? DEFAULT_MAX_TABLE_BYTES;
  assertInteger(where, 'options.maxTableBytes', max, 0, 0xffffffff);
  return max;
}

/**
 * Reads a filter envelope at `offset`: checks magic, version, kind, hash id, parameter length, and the declared
 * table length against `maxTableBytes` and against the bytes present. Kind-specific parameters and table contents are
 * validated by each filter's `fromBytes`. Returns views, not copies.
 *
 * @throws CodecError `unexpected_eof`, `invalid_tag`, `invalid_value` or `limit_exceeded`.
 */
export function decodeFilterEnvelope(
  bytes: Uint8Array,
  offset = 0,
  options?: FilterDecodeOptions,
): Decoded<FilterEnvelope> {
  const maxTable = maxTableBytesOf('decodeFilterEnvelope', options);
  const avail = bytes.length - offset;
  if (avail < FILTER_HEADER_BYTES) {
    throw new CodecError(
      'unexpected_eof',
      `filter: header needs ${FILTER_HEADER_BYTES} bytes, got ${Math.max(avail, 0)}`,
      offset,
    );
  }
  for (let i = 0; i < 4; i++) {
    if (bytes[offset + i] !== FILTER_MAGIC[i])
      throw new CodecError('invalid_tag', 'filter: bad magic', offset + i);
  }
  const version = bytes[offset + 4]!;
  if (version !== FILTER_FORMAT_VERSION) {
    throw new CodecError('invalid_tag', `filter: unsupported format version ${version}`, offset + 4);
  }
  const kind = bytes[offset + 5]!;
  const paramBytes = PARAM_BYTES[kind];
  if (paramBytes === undefined)
    throw new CodecError('invalid_tag', `filter: unknown kind ${kind}`, offset + 5);
  const hash = bytes[offset + 6]!;
  if (hash !== HashId.xxh64 && hash !== HashId.digest) {
    throw new CodecError('invalid_tag', `filter: unknown hash id ${hash}`, offset + 6);
  }
  const declaredParams = bytes[offset + 7]!;
  if (declaredParams !== paramBytes) {
    throw new CodecError(
      'invalid_value',
      `filter: kind ${kind} has ${paramBytes} parameter bytes, header says ${declaredParams}`,
      offset + 7,
    );
  }
  const seedLo = readU32LE(bytes, offset + 8);
  const seedHi = readU32LE(bytes, offset + 12);
  const tableBytes = readU32LE(bytes, offset + 16);
  if (tableBytes > maxTable) {
    throw new CodecError(
      'limit_exceeded',
      `filter: table of ${tableBytes} bytes exceeds maxTableBytes ${maxTable}`,
      offset + 16,
    );
  }
  const paramStart = offset + FILTER_HEADER_BYTES;
  const tableStart = paramStart + paramBytes;
  const end = tableStart + tableBytes;
  if (end > bytes.length) {
    throw new CodecError(
      'unexpected_eof',
      `filter: declares ${paramBytes + tableBytes} bytes after the header, ${bytes.length - paramStart} present`,
      Math.min(bytes.length, tableStart),
    );
  }
  return {
    value: {
      kind: kind as FilterKindId,
      hash: hash as HashIdValue,
      seedLo,
      seedHi,
      params: bytes.subarray(paramStart, tableStart),
      table: bytes.subarray(tableStart, end),
    },
    end,
  };
}

/**
 * Like {@link decodeFilterEnvelope} but the filter must span all of `bytes` and be of kind `kind`.
 *
 * @throws CodecError as {@link decodeFilterEnvelope}, `invalid_tag` for another kind, `trailing_bytes` for leftovers.
 */
export function decodeFilterOf(
  where: string,
  bytes: Uint8Array,
  kinds: readonly FilterKindId[],
  options?: FilterDecodeOptions,
): FilterEnvelope {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `${where}: bytes expected a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`,
    );
  }
  const { value, end } = decodeFilterEnvelope(bytes, 0, options);
  if (!kinds.includes(value.kind)) {
    throw new CodecError(
      'invalid_tag',
      `${where}: expected filter kind ${kinds.join(' or ')}, got ${value.kind}`,
      5,
    );
  }
  if (end !== bytes.length) {
    throw new CodecError('trailing_bytes', `${where}: ${bytes.length - end} bytes after the filter`, end);
  }
  return value;
}

/** Encoded size of an envelope. */
function envelopeLength(v: FilterEnvelope): number {
  return FILTER_HEADER_BYTES + v.params.length + v.table.length;
}

/** Writes an envelope; the parameter block must have its kind's exact length. */
function encodeEnvelopeInto(v: FilterEnvelope, out: Uint8Array, offset: number): number {
  const paramBytes = PARAM_BYTES[v.kind];
  if (paramBytes === undefined) throw new RangeError(`filterEnvelope.encode: unknown kind ${v.kind}`);
  if (v.params.length !== paramBytes) {
    throw new RangeError(
      `filterEnvelope.encode: kind ${v.kind} needs ${paramBytes} parameter bytes, got ${v.params.length}`,
    );
  }
  if (v.table.length > 0xffffffff)
    throw new RangeError('filterEnvelope.encode: table longer than 2^32 - 1 bytes');
  out.set(FILTER_MAGIC, offset);
  out[offset + 4] = FILTER_FORMAT_VERSION;
  out[offset + 5] = v.kind;
  out[offset + 6] = v.hash;
  out[offset + 7] = paramBytes;
  writeU32LE(out, offset + 8, v.seedLo);
  writeU32LE(out, offset + 12, v.seedHi);
  writeU32LE(out, offset + 16, v.table.length);
  out.set(v.params, offset + FILTER_HEADER_BYTES);
  out.set(v.table, offset + FILTER_HEADER_BYTES + paramBytes);
  return envelopeLength(v);
}

/** Encodes an envelope into exactly-sized new bytes. */
export function encodeFilterEnvelope(v: FilterEnvelope): Uint8Array {
  const out = new Uint8Array(envelopeLength(v));
  encodeEnvelopeInto(v, out, 0);
  return out;
}

/**
 * The shared filter header + table as a {@link Codec} (default limits). Filters use their own `toBytes`/`fromBytes`;
 * this is for containers that embed a filter among other fields.
 */
export const filterEnvelope: Codec<FilterEnvelope> = {
  encodingLength: envelopeLength,
  encodeInto: encodeEnvelopeInto,
  decode: (bytes, offset = 0) => decodeFilterEnvelope(bytes, offset),
};
