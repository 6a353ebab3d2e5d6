import { assertInteger, describe } from '@syncwire/bytes';
import type { Hasher } from '@syncwire/merkle';

/** Protocol versions this implementation speaks. */
export const PROTOCOL_VERSION = 1;

/** Options of a {@link SyncSession}; every one has a default. */
export interface SessionOptions {
  /** Largest frame accepted, in encoded bytes (1 KiB .. 16 MiB). Default 256 KiB. The peer's is respected too. */
  maxFrame?: number;
  /** Requests the peer may have in flight with us, and that we keep in flight with it (1..4096). Default 64. */
  maxInflight?: number;
  /**
   * Chunk-byte window granted to the peer above what we have accounted for (≥ `maxFrame`, so any chunk that
   * fits a frame fits the window; at most 1 GiB). Default 4 MiB.
   */
  creditWindow?: number;
  /** Manifest page size exponent we request (0..16). Default 10 (1 024 records per page). */
  pageBits?: number;
  /** Misbehaviour score at which the session ends with ERROR (1..1e6). Default 100. */
  maxScore?: number;
  /** First retransmission timeout before any RTT sample, ms. Default 1000. */
  initialRto?: number;
  /** RTO floor, ms. Default 200. */
  minRto?: number;
  /** RTO ceiling (also caps back-off), ms. Default 8000. */
  maxRto?: number;
  /** Close when nothing arrives for this long, ms; 0 disables. Default 60 000. */
  idleTimeout?: number;
  /** Send a PING when nothing was sent for this long while established, ms; 0 disables. Default 15 000. */
  keepalive?: number;
  /** SHA-256 implementation for verification (as `@syncwire/blob`). Default `sha256Hasher`. */
  hasher?: Hasher;
  /** Oldest and newest protocol versions offered. Default [1, 1]. */
  versions?: readonly [number, number];
}

/** @internal Options with defaults applied. */
export interface ResolvedOptions {
  maxFrame: number;
  maxInflight: number;
  creditWindow: number;
  pageBits: number;
  maxScore: number;
  initialRto: number;
  minRto: number;
  maxRto: number;
  idleTimeout: number;
  keepalive: number;
  hasher: Hasher | undefined;
  versionMin: number;
  versionMax: number;
}

/** Default option values. */
export const SESSION_DEFAULTS = {
  maxFrame: 256 * 1024,
  maxInflight: 64,
  creditWindow: 4 * 1024 * 1024,
  pageBits: 10,
  maxScore: 100,
  initialRto: 1000,
  minRto: 200,
  maxRto: 8000,
  idleTimeout: 60_000,
  keepalive: 15_000,
} as const;

/** @internal */
export function resolveOptions(where: string, o: SessionOptions | undefined): ResolvedOptions {
  if (o !== undefined && (typeof o !== 'object' || o === null)) {
    throw new TypeError(`${where}: options expected an object, got ${describe(o)}`);
  }
  const d = SESSION_DEFAULTS;
  const r: ResolvedOptions = {
    maxFrame: o?.maxFrame ?? d.maxFrame,
    maxInflight: o?.maxInflight ?? d.maxInflight,
    creditWindow: o?.creditWindow ?? d.creditWindow,
    pageBits: o?.pageBits ?? d.pageBits,
    maxScore: o?.maxScore ?? d.maxScore,
    initialRto: o?.initialRto ?? d.initialRto,
    minRto: o?.minRto ?? d.minRto,
    maxRto: o?.maxRto ?? d.maxRto,
    idleTimeout: o?.idleTimeout ?? d.idleTimeout,
    keepalive: o?.keepalive ?? d.keepalive,
    hasher: o?.hasher,
    versionMin: o?.versions?.[0] ?? PROTOCOL_VERSION,
    versionMax: o?.versions?.[1] ?? PROTOCOL_VERSION,
  };
  assertInteger(where, 'options.maxFrame', r.maxFrame, 1024, 16 * 1024 * 1024);
  assertInteger(where, 'options.maxInflight', r.maxInflight, 1, 4096);
  assertInteger(where, 'options.creditWindow', r.creditWindow, r.maxFrame, 1 << 30);
  assertInteger(where, 'options.pageBits', r.pageBits, 0, 16);
  assertInteger(where, 'options.maxScore', r.maxScore, 1, 1e6);
  assertInteger(where, 'options.initialRto', r.initialRto, 1, 600_000);
  assertInteger(where, 'options.minRto', r.minRto, 1, 600_000);
  assertInteger(where, 'options.maxRto', r.maxRto, r.minRto, 600_000);
  assertInteger(where, 'options.idleTimeout', r.idleTimeout, 0, 86_400_000);
  assertInteger(where, 'options.keepalive', r.keepalive, 0, 86_400_000);
  assertInteger(where, 'options.versions[0]', r.versionMin, 0, 0xffff);
  assertInteger(where, 'options.versions[1]', r.versionMax, r.versionMin, 0xffff);
  return r;
}
