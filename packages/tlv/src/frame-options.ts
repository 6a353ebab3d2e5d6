import { assertInteger } from '@syncwire/bytes';

/** Options of the length-prefixed frame functions. */
export interface FrameOptions {
  /** Largest payload accepted, checked on the declared length before any buffering. Default 1 MiB. */
  maxFrameSize?: number;
  /** Append (and verify) a CRC-32C of the payload, 4 bytes little-endian. Default `false`. */
  checksum?: boolean;
}

/** Defaults of {@link FrameOptions}. */
export const FRAME_DEFAULTS = { maxFrameSize: 1 << 20, checksum: false } as const;

export interface ResolvedFrameOptions {
  maxFrameSize: number;
  trailer: 0 | 4;
}

export function resolveFrameOptions(where: string, options: FrameOptions = {}): ResolvedFrameOptions {
  const maxFrameSize = options.maxFrameSize ?? FRAME_DEFAULTS.maxFrameSize;
  assertInteger(where, 'maxFrameSize', maxFrameSize, 0, Number.MAX_SAFE_INTEGER);
  const checksum = options.checksum ?? FRAME_DEFAULTS.checksum;
  if (typeof checksum !== 'boolean') throw new TypeError(`${where}: checksum expected a boolean`);
  return { maxFrameSize, trailer: checksum ? 4 : 0 };
}
