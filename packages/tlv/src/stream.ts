import { assertBytes, CodecError, isCodecError } from '@syncwire/bytes';
import { bigSize, bigSize64, uvarint } from '@syncwire/varint';
import { type ResolvedTlvOptions, resolveTlvOptions, type TlvOptions } from './options.ts';

/** One TLV record. `value` is a zero-copy view into the decoded bytes: copy it to keep it past them. */
export interface TlvRecord {
  type: number;
  value: Uint8Array;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Decodes a whole TLV stream into its records, in order. Types must be strictly increasing; an unknown
 * even type (per `options.known`) is `unknown_required`, unknown odd types are skipped. In `bolt1` format a
 * type above 2^53 − 1 cannot be known: it is skipped when odd and rejected when even.
 *
 * Throws CodecError: `unexpected_eof` (truncated type, length or value), `not_minimal`, `overflow`,
 * `out_of_order`, `unknown_required`, `limit_exceeded` (`maxRecords`, `maxRecordLength`).
 */
export function decodeTlvStream(bytes: Uint8Array, options?: TlvOptions): TlvRecord[] {
  assertBytes('decodeTlvStream', 'bytes', bytes);
  const opts = resolveTlvOptions('decodeTlvStream', options);
  const records: TlvRecord[] = [];
  readRecords(bytes, opts, (type, value) => {
    records.push({ type, value });
  });
  return records;
}

/**
 * Walks the records of `bytes`, calling `onRecord` for each known or unknown-odd record with a safe type.
 * Shared by {@link decodeTlvStream} and the schema codec.
 * @internal
 */
export function readRecords(
  bytes: Uint8Array,
  opts: ResolvedTlvOptions,
  onRecord: (type: number, value: Uint8Array, offset: number) => void,
): void {
  const where = 'decodeTlvStream';
  let p = 0;
  let count = 0;
  let last = -1n; // previous type, as a bigint so BOLT's 64-bit types compare exactly
  while (p < bytes.length) {
    const start = p;
    let type: bigint;
    if (opts.bolt) {
      const t = bigSize64.decode(bytes, p);
      type = t.value;
      p = t.end;
    } else {
      const t = uvarint.decode(bytes, p);
      type = BigInt(t.value);
      p = t.end;
    }
    const len = readLength(bytes, p, opts.bolt, opts.maxRecordLength, start);
    p = len.end;
    if (len.value > opts.maxRecordLength) {
      throw new CodecError(
        'limit_exceeded',
        `${where}: record length ${len.value} above maxRecordLength ${opts.maxRecordLength}`,
        start,
      );
    }
    if (len.value > bytes.length - p) {
      throw new CodecError(
        'unexpected_eof',
        `${where}: record value needs ${len.value} bytes, ${bytes.length - p} left`,
        p,
      );
    }
    if (type <= last) throw new CodecError('out_of_order', `${where}: type ${type} after ${last}`, start);
    last = type;
    if (++count > opts.maxRecords) {
      throw new CodecError(
        'limit_exceeded',
        `${where}: more than maxRecords ${opts.maxRecords} records`,
        start,
      );
    }
    const value = bytes.subarray(p, p + len.value);
    p += len.value;
    const even = (type & 1n) === 0n;
    if (type > MAX_SAFE) {
      if (even) throw new CodecError('unknown_required', `${where}: unknown even type ${type}`, start);
      continue;
    }
    const t = Number(type);
    if (opts.known && !opts.known(t)) {
      if (even) throw new CodecError('unknown_required', `${where}: unknown even type ${t}`, start);
      continue;
    }
    onRecord(t, value, start);
  }
}

/** A record length; one too large for a number is necessarily above the limit. */
function readLength(bytes: Uint8Array, p: number, bolt: boolean, max: number, start: number) {
  try {
    return (bolt ? bigSize : uvarint).decode(bytes, p);
  } catch (e) {
    if (isCodecError(e, 'overflow')) {
      throw new CodecError(
        'limit_exceeded',
        `decodeTlvStream: record length above maxRecordLength ${max}`,
        start,
      );
    }
    throw e;
  }
}

/**
 * Encodes records as a TLV stream. Records must be sorted by strictly increasing type (RangeError
 * otherwise) and each value at most `maxRecordLength` bytes.
 */
export function encodeTlvStream(records: readonly TlvRecord[], options?: TlvOptions): Uint8Array {
  const where = 'encodeTlvStream';
  const opts = resolveTlvOptions(where, options);
  if (!Array.isArray(records)) throw new TypeError(`${where}: records expected an array`);
  const intCodec = opts.bolt ? bigSize : uvarint;
  let size = 0;
  let last = -1;
  for (const r of records) {
    assertBytes(where, 'record value', r?.value);
    if (!(r.type > last))
      throw new RangeError(`${where}: types must be strictly increasing, got ${r.type} after ${last}`);
    if (r.value.length > opts.maxRecordLength) {
      throw new RangeError(`${where}: record ${r.type} is ${r.value.length} bytes, above maxRecordLength`);
    }
    last = r.type;
    size += intCodec.encodingLength(r.type) + intCodec.encodingLength(r.value.length) + r.value.length;
  }
  if (records.length > opts.maxRecords)
    throw new RangeError(`${where}: more than maxRecords ${opts.maxRecords} records`);
  const out = new Uint8Array(size);
  let o = 0;
  for (const r of records) {
    o += intCodec.encodeInto(r.type, out, o);
    o += intCodec.encodeInto(r.value.length, out, o);
    out.set(r.value, o);
    o += r.value.length;
  }
  return out;
}
