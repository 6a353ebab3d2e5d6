/**
 * Every way bytes can be wrong, across all syncwire decoders. Closed: adding a code is an API change.
 * - `unexpected_eof`: the input ends inside a value (streaming decoders read it as "need more bytes").
 * - `not_minimal`: a value is encoded in more bytes than its canonical form.
 * - `overflow`: a value does not fit the integer type it is decoded into.
 * - `out_of_range`: a well-formed value outside what the format allows (a reserved code, a field bound).
 * - `trailing_bytes`: bytes left after a value that must consume its whole input.
 * - `invalid_tag`: an unknown or malformed discriminator (type, kind, magic, version).
 * - `checksum_mismatch`: a checksum or hash does not match the data.
 * - `limit_exceeded`: a declared size or count above a caller-set limit.
 * - `out_of_order`: records that must be strictly increasing are not.
 * - `unknown_required`: an unknown record that the format says must be understood.
 * - `invalid_value`: any other structural inconsistency in well-delimited data.
 */
export type CodecErrorCode =
  | 'unexpected_eof'
  | 'not_minimal'
  | 'overflow'
  | 'out_of_range'
  | 'trailing_bytes'
  | 'invalid_tag'
  | 'checksum_mismatch'
  | 'limit_exceeded'
  | 'out_of_order'
  | 'unknown_required'
  | 'invalid_value';

/** The one error class thrown for bad bytes. `offset` is where in the input the problem was found. */
export class CodecError extends Error {
  override readonly name = 'CodecError';
  readonly code: CodecErrorCode;
  readonly offset: number;

  constructor(code: CodecErrorCode, message: string, offset = -1) {
    super(offset >= 0 ? `${message} (${code} at offset ${offset})` : `${message} (${code})`);
    this.code = code;
    this.offset = offset;
  }
}

/**
 * True when `e` is a CodecError (optionally with one of `codes`). Checks `name` and `code` rather than
 * `instanceof`, so it holds across duplicate ESM/CJS copies of this package.
 */
export function isCodecError(e: unknown, ...codes: CodecErrorCode[]): e is CodecError {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { name?: unknown; code?: unknown };
  if (err.name !== 'CodecError' || typeof err.code !== 'string') return false;
  return codes.length === 0 || codes.includes(err.code as CodecErrorCode);
}
