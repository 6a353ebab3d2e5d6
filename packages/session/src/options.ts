import { assertBytes, assertInteger, describe } from '@syncwire/bytes';
import type { Hasher } from '@syncwire/merkle';
import { ALL_CAPABILITIES } from './messages.ts';

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
  /** {@link Capability} bits offered (the session uses the AND of both sides'). Default: all. */
  capabilities?: number;
  /** This peer's id sent in HELLO (1..64 bytes). Default: the session nonce (an anonymous peer). */
  peerId?: Uint8Array;
  /**
   * The 16-byte session nonce. Default: 16 bytes from `crypto.getRandomValues`. Fix it only for deterministic
   * tests: a predictable nonce lets a peer choose ids that collide in RIBLT.
   */
  nonce?: Uint8Array;
  /** RIBLT symbol cap per reconciliation (≈ 1.4 symbols per difference; more falls back to Negentropy). Default 4096. */
  reconSymbols?: number;
  /** Negentropy rounds per scope and session, either side (work a peer can cause). Default 64. */
  maxReconRounds?: number;
  /**
   * When to ask for chunks as erasure-coded REPAIR symbols instead of CHUNK frames: `off`, `always`, or
   * `auto` (after a chunk request was retransmitted: the link is losing frames). Default `auto`.
   */
  repair?: 'off' | 'auto' | 'always';
  /** Repair symbols per source symbol we ask for (0.05..4). Default 0.25 (tolerates ~20 % loss). */
  repairOverhead?: number;
  /** Requests per second the peer may make of us (token bucket, burst 2·maxInflight); 0 = no limit. Default 0. */
  wantRate?: number;
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
  capabilities: number;
  peerId: Uint8Array;
  nonce: Uint8Array;
  reconSymbols: number;
  maxReconRounds: number;
  repair: 'off' | 'auto' | 'always';
  repairOverhead: number;
  wantRate: number;
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
  reconSymbols: 4096,
  maxReconRounds: 64,
  repair: 'auto',
  repairOverhead: 0.25,
  wantRate: 0,
} as const;

function randomNonce(): Uint8Array {
  const c = (globalThis as { crypto?: { getRandomValues(a: Uint8Array): Uint8Array } }).crypto;
  if (c === undefined) {
    throw new Error('SyncSession: no crypto.getRandomValues here; pass options.nonce (16 random bytes)');
  }
  return c.getRandomValues(new Uint8Array(16));
}

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
    capabilities: o?.capabilities ?? ALL_CAPABILITIES,
    nonce: o?.nonce ?? randomNonce(),
    peerId: new Uint8Array(0),
    reconSymbols: o?.reconSymbols ?? d.reconSymbols,
    maxReconRounds: o?.maxReconRounds ?? d.maxReconRounds,
    repair: o?.repair ?? d.repair,
    repairOverhead: o?.repairOverhead ?? d.repairOverhead,
    wantRate: o?.wantRate ?? d.wantRate,
  };
  r.peerId = o?.peerId ?? r.nonce;
  assertBytes(where, 'options.nonce', r.nonce);
  if (r.nonce.length !== 16)
    throw new RangeError(`${where}: options.nonce expected 16 bytes, got ${r.nonce.length}`);
  assertBytes(where, 'options.peerId', r.peerId);
  if (r.peerId.length < 1 || r.peerId.length > 64) {
    throw new RangeError(`${where}: options.peerId expected 1..64 bytes, got ${r.peerId.length}`);
  }
  r.nonce = r.nonce.slice();
  r.peerId = r.peerId.slice();
  assertInteger(where, 'options.capabilities', r.capabilities, 0, ALL_CAPABILITIES);
  assertInteger(where, 'options.reconSymbols', r.reconSymbols, 64, 1 << 20);
  assertInteger(where, 'options.maxReconRounds', r.maxReconRounds, 1, 4096);
  if (r.repair !== 'off' && r.repair !== 'auto' && r.repair !== 'always') {
    throw new RangeError(
      `${where}: options.repair expected 'off', 'auto' or 'always', got ${describe(r.repair)}`,
    );
  }
  if (typeof r.repairOverhead !== 'number' || !(r.repairOverhead >= 0.05 && r.repairOverhead <= 4)) {
    throw new RangeError(
      `${where}: options.repairOverhead expected 0.05..4, got ${describe(r.repairOverhead)}`,
    );
  }
  if (typeof r.wantRate !== 'number' || !(r.wantRate >= 0 && r.wantRate <= 1e9)) {
    throw new RangeError(`${where}: options.wantRate expected 0..1e9, got ${describe(r.wantRate)}`);
  }
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
