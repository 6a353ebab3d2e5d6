import { assertInteger } from '@syncwire/bytes';

/**
 * How type and length are written. `leb128` (default): strict minimal unsigned LEB128, types up to
 * 2^53 − 1. `bolt1`: Lightning BOLT #1 BigSize (big-endian, canonical), types up to 2^64 − 1.
 */
export type TlvFormat = 'leb128' | 'bolt1';

/** Options shared by the TLV stream functions. */
export interface TlvOptions {
  /** Type/length encoding. Default `'leb128'`. */
  format?: TlvFormat;
  /** Most records a stream may hold; checked as records are read. Default 4096. */
  maxRecords?: number;
  /** Largest value length accepted, checked on the declared length before anything else. Default 1 MiB. */
  maxRecordLength?: number;
  /**
   * Which types the caller understands. An unknown **even** type makes the stream invalid
   * (`unknown_required`); unknown odd types are skipped. Default: every type is known.
   */
  known?: (type: number) => boolean;
}

/** Defaults of {@link TlvOptions}. */
export const TLV_DEFAULTS = { format: 'leb128', maxRecords: 4096, maxRecordLength: 1 << 20 } as const;

export interface ResolvedTlvOptions {
  bolt: boolean;
  maxRecords: number;
  maxRecordLength: number;
  known: ((type: number) => boolean) | undefined;
}

/** Validates caller options (TypeError/RangeError) and fills in defaults. */
export function resolveTlvOptions(where: string, options: TlvOptions = {}): ResolvedTlvOptions {
  const format = options.format ?? TLV_DEFAULTS.format;
  if (format !== 'leb128' && format !== 'bolt1') {
    throw new RangeError(`${where}: format expected 'leb128' or 'bolt1', got ${String(format)}`);
  }
  const maxRecords = options.maxRecords ?? TLV_DEFAULTS.maxRecords;
  const maxRecordLength = options.maxRecordLength ?? TLV_DEFAULTS.maxRecordLength;
  assertInteger(where, 'maxRecords', maxRecords, 0, Number.MAX_SAFE_INTEGER);
  assertInteger(where, 'maxRecordLength', maxRecordLength, 0, Number.MAX_SAFE_INTEGER);
  if (options.known !== undefined && typeof options.known !== 'function') {
    throw new TypeError(`${where}: known expected a function`);
  }
  return { bolt: format === 'bolt1', maxRecords, maxRecordLength, known: options.known };
}
