/** Error codes carried by ERROR frames and {@link SyncProtocolError}. */
export const ErrorCode = {
  /** No common protocol version. */
  VERSION: 1,
  /** The peer's misbehaviour score went over the limit. */
  MISBEHAVIOUR: 2,
  /** HELLO never arrived, or the peer went silent. */
  TIMEOUT: 3,
  /** The peer sent ERROR (its code is kept in `remoteCode`). */
  REMOTE: 4,
} as const;

/** Why a session ended in error. */
export class SyncProtocolError extends Error {
  override readonly name = 'SyncProtocolError';
  /** One of {@link ErrorCode}. */
  readonly code: number;
  /** For `REMOTE`: the code the peer sent. */
  readonly remoteCode: number | undefined;

  constructor(code: number, message: string, remoteCode?: number) {
    super(message);
    this.code = code;
    this.remoteCode = remoteCode;
  }
}

/** True when `e` is a SyncProtocolError (checks `name`, so it survives duplicate package copies). */
export function isSyncProtocolError(e: unknown): e is SyncProtocolError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'SyncProtocolError';
}
