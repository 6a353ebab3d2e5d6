/** Why a `fetch` (or a `serve` start-up) failed; each maps to one process exit code. */
export type PeerErrorCode =
  /** Bad command line or arguments. */
  | 'usage'
  /** Every peer that answered said it does not hold the blob. */
  | 'unknown-blob'
  /** No peer could be connected, or every connection was lost before the blob was complete. */
  | 'unreachable'
  /** The `--timeout` deadline passed first. */
  | 'timeout'
  /** The peers that could supply the rest sent data that failed verification (and were dropped). */
  | 'misbehaved'
  /** The connected peers are honest but none of them can supply some part of the blob. */
  | 'unavailable'
  /** A local file could not be read or written. */
  | 'io'
  /** Stopped by SIGINT/SIGTERM or an abort signal; what was verified is kept for the next run. */
  | 'interrupted';

/** Process exit code of each {@link PeerErrorCode} (0 is success, 1 an unexpected internal error). */
export const EXIT_CODES: Readonly<Record<PeerErrorCode, number>> = {
  usage: 2,
  'unknown-blob': 3,
  unreachable: 4,
  timeout: 5,
  misbehaved: 6,
  unavailable: 7,
  io: 8,
  interrupted: 130,
};

/** The one error class of `@syncwire/peer`: a closed `code` and a one-line message. */
export class PeerError extends Error {
  readonly code: PeerErrorCode;

  constructor(code: PeerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PeerError';
    this.code = code;
  }

  /** The process exit code for this error. */
  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

/** True for a {@link PeerError} (checks `name` and `code`, so it survives duplicate module copies). */
export function isPeerError(e: unknown): e is PeerError {
  return (
    e instanceof Error &&
    e.name === 'PeerError' &&
    typeof (e as { code?: unknown }).code === 'string' &&
    (e as unknown as { code: string }).code in EXIT_CODES
  );
}
