import { connect, type Socket } from 'node:net';
import { fromHex, toHex } from '@syncwire/bytes';
import { nodeSha256Hasher } from '@syncwire/merkle/node';
import {
  type SessionOptions,
  Swarm,
  type SwarmEvent,
  type SwarmOptions,
  SyncSession,
} from '@syncwire/session';
import { formatAddress, type PeerAddress, parseAddress } from './address.ts';
import { BlobWriter } from './blob-writer.ts';
import { PeerConnection } from './connection.ts';
import { isPeerError, PeerError } from './errors.ts';

/** Options of {@link fetchBlob}. */
export interface FetchOptions {
  /** Peers to fetch from, all at once (`host:port` strings or addresses). At least one. */
  peers: ReadonlyArray<string | PeerAddress>;
  /** Output path; the blob is assembled in `<out>.part` (+ `.part.resume`) and renamed when complete. */
  out: string;
  /** Give up after this long, ms (0 = never). Default 0. */
  timeoutMs?: number;
  /** Per-peer TCP connect timeout, ms. Default 5000. */
  connectTimeoutMs?: number;
  /** Stops the fetch (like Ctrl-C): rejects with PeerError `interrupted`, keeping what was verified. */
  signal?: AbortSignal;
  /**
   * Where to report what happens, one line each: `info` for connections and sessions coming up, `warn` for
   * drops, reconnections, misbehaviour and failures. Default: nothing.
   */
  log?: (line: string, level: 'info' | 'warn') => void;
  /** Called after each verified chunk is handed to the writer. */
  onProgress?: (p: FetchProgress) => void;
  /** Session options for every connection, over this app's defaults (`node:crypto` SHA-256, `repair: 'off'`). */
  session?: SessionOptions;
  /**
   * Reconnections per peer after a dropped connection (not after a goodbye or misbehaviour), with back-off
   * 250 ms, 500 ms, 1 s, …. Default 3.
   */
  reconnects?: number;
  /**
   * Verified chunk bytes that may wait for the disk before every socket is paused (reading resumes below a
   * quarter of it): what bounds memory when the network is faster than the disk. Default 16 MiB.
   */
  writeBuffer?: number;
  /** Swarm options. Default `{ pipeline: 32 }`. */
  swarm?: SwarmOptions;
}

/** Progress of a fetch. */
export interface FetchProgress {
  /** Chunks and bytes held (resumed + fetched), out of the blob's (0 until the header is known). */
  chunks: number;
  chunkCount: number;
  bytes: number;
  byteLength: number;
  /** Peers connected now. */
  peers: number;
}

/** Per-peer outcome of a fetch. */
export interface PeerReport {
  peer: string;
  /** Connected at all; chunks and chunk bytes verified from it; misbehaviour events it caused. */
  connected: boolean;
  chunks: number;
  bytes: number;
  misbehaviour: number;
  /** Why its connection ended (or why it could not connect). */
  closeReason: string | undefined;
  /** Bytes received from it on the wire (over all its connections). */
  wireBytes: number;
}

/** What {@link fetchBlob} did. */
export interface FetchResult {
  blobId: string;
  out: string;
  byteLength: number;
  chunkCount: number;
  /** Chunks (and their bytes) found verified in `<out>.part` from an earlier run. */
  resumedChunks: number;
  resumedBytes: number;
  /** Chunks (and bytes) fetched and written by this run. */
  fetchedChunks: number;
  fetchedBytes: number;
  elapsedMs: number;
  /** Times reading from the peers was paused because the disk was behind (see `writeBuffer`). */
  pauses: number;
  peers: PeerReport[];
}

interface PeerSlot {
  report: PeerReport;
  address: PeerAddress;
  conn: PeerConnection | undefined;
  /** Failed page 0 with NO_DATA: it does not hold the blob. */
  saidNoData: boolean;
  /** Reconnections tried after dropped connections. */
  redials: number;
}

/** Stalls in a row (no chunk stored in between) before giving up. */
const MAX_STALLS = 3;

/**
 * Fetches blob `blobId` (32 bytes, or 64 hex digits) from every peer at once with a {@link Swarm}, writing
 * verified chunks into `<out>.part` at their offsets and renaming it to `out` when complete. A run that stops
 * early (error, signal, crash) leaves `<out>.part` and its resume log: the next run with the same `out`
 * fetches only what is missing. Peers that send bad data are scored and dropped by their sessions, and their
 * work moves to the others.
 * @throws PeerError — `usage` (bad arguments), `unknown-blob`, `unreachable`, `timeout`, `misbehaved`,
 *   `unavailable`, `io`, `interrupted`.
 */
export async function fetchBlob(blobId: Uint8Array | string, options: FetchOptions): Promise<FetchResult> {
  const started = Date.now();
  const id = parseBlobId(blobId);
  const idHex = toHex(id);
  if (!Array.isArray(options.peers) || options.peers.length === 0) {
    throw new PeerError('usage', 'fetch: at least one --peer host:port is needed');
  }
  if (typeof options.out !== 'string' || options.out === '') {
    throw new PeerError('usage', 'fetch: --out <file> is needed');
  }
  const addresses = options.peers.map((p) => (typeof p === 'string' ? parseAddress(p) : p));
  const log = (line: string, level: 'info' | 'warn' = 'warn'): void => options.log?.(line, level);
  const sessionOptions: SessionOptions = { hasher: nodeSha256Hasher, repair: 'off', ...options.session };
  const swarmOptions: SwarmOptions = { pipeline: 32, hasher: nodeSha256Hasher, ...options.swarm };
  const pageBits = swarmOptions.pageBits ?? 10;
  const highWater = options.writeBuffer ?? 16 << 20;
  if (!Number.isSafeInteger(highWater) || highWater < 1) {
    throw new PeerError(
      'usage',
      `fetch: writeBuffer expected a positive integer, got ${options.writeBuffer}`,
    );
  }
  const timeoutMs = duration('timeoutMs', options.timeoutMs ?? 0, 0);
  const connectTimeoutMs = Math.min(
    duration('connectTimeoutMs', options.connectTimeoutMs ?? 5000, 1),
    MAX_TIMER,
  );
  const maxRedials = options.reconnects ?? 3;
  if (!Number.isSafeInteger(maxRedials) || maxRedials < 0) {
    throw new PeerError(
      'usage',
      `fetch: reconnects expected a non-negative integer, got ${options.reconnects}`,
    );
  }
  if (options.signal?.aborted) throw new PeerError('interrupted', 'fetch: interrupted');

  // Bad session or swarm options throw here (TypeError/RangeError), before any file or socket is opened — not
  // in a socket callback later, where they would be an unhandled rejection and the fetch would never settle.
  const swarm = new Swarm(swarmOptions);
  new SyncSession(sessionOptions).close();

  let writer: BlobWriter;
  let resumed: Awaited<ReturnType<typeof BlobWriter.open>>['resumed'];
  try {
    ({ writer, resumed } = await BlobWriter.open(options.out, id, pageBits));
  } catch (e) {
    throw new PeerError('io', `cannot write ${options.out}: ${(e as Error).message}`, { cause: e });
  }
  if (resumed.chunks > 0) {
    log(`resuming: ${resumed.chunks} chunks (${resumed.bytes} bytes) already verified`, 'info');
  }

  const slots = new Map<string, PeerSlot>();
  let chunkCount = resumed.resume?.header?.chunkCount ?? 0;
  let byteLength = resumed.resume?.header?.byteLength ?? 0;
  let heldChunks = resumed.chunks;
  let heldBytes = resumed.bytes;
  let stalls = 0;
  const stored = new Set<number>(resumed.resume?.have ?? []);
  let retryTimer: NodeJS.Timeout | undefined;
  let paused = false;
  let pauses = 0;
  let connecting = addresses.length;
  let settled = false;

  /** Settles the fetch: undefined when complete, a PeerError, or any other Error for a bug (exit 1). */
  let finish!: (e: Error | undefined) => void;
  const outcome = new Promise<Error | undefined>((resolve) => {
    finish = (e) => {
      if (settled) return;
      settled = true;
      resolve(e);
    };
  });

  const progress = (): void =>
    options.onProgress?.({
      chunks: heldChunks,
      chunkCount,
      bytes: heldBytes,
      byteLength,
      peers: [...slots.values()].filter((s) => s.conn?.session.state === 'established').length,
    });

  const flushAll = (): void => {
    for (const s of slots.values()) s.conn?.flush();
  };

  /** Why the fetch cannot go on, when no peer is left. */
  const noPeersLeft = (): PeerError => {
    const all = [...slots.values()];
    const detail = all.map((s) => `${s.report.peer}: ${s.report.closeReason ?? 'closed'}`).join('; ');
    if (all.some((s) => s.report.misbehaviour > 0)) {
      return new PeerError('misbehaved', `every peer that could supply the rest was dropped (${detail})`);
    }
    if (
      chunkCount === 0 &&
      all.some((s) => s.saidNoData) &&
      all.every((s) => s.saidNoData || !s.report.connected)
    ) {
      return new PeerError('unknown-blob', `no peer holds blob ${idHex}`);
    }
    return new PeerError('unreachable', `no peer left to fetch from (${detail})`);
  };

  const checkPeers = (): void => {
    if (settled || connecting > 0) return;
    const open = [...slots.values()].some((s) => s.conn !== undefined && s.conn.session.state !== 'closed');
    if (!open) finish(noPeersLeft());
  };

  const onStall = (e: Extract<SwarmEvent, { type: 'blob-stalled' }>): void => {
    const slotsNow = [...slots.values()];
    if (e.kind === 'page' && e.index === 0 && chunkCount === 0) {
      const open = slotsNow.filter((s) => s.conn?.session.state === 'established');
      if (open.length > 0 && open.every((s) => s.saidNoData) && connecting === 0) {
        finish(new PeerError('unknown-blob', `no peer holds blob ${idHex}`));
        return;
      }
    }
    if (++stalls > MAX_STALLS) {
      const what = `${e.kind} ${e.index}`;
      finish(
        slotsNow.some((s) => s.report.misbehaviour > 0)
          ? new PeerError('misbehaved', `no honest peer left that can supply ${what} of blob ${idHex}`)
          : new PeerError('unavailable', `no connected peer can supply ${what} of blob ${idHex}`),
      );
      return;
    }
    // A peer may have been busy or just restarted: try the failed items again shortly.
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      swarm.retry();
      pump();
    }, 250 * stalls);
    retryTimer.unref();
  };

  const pump = (): void => {
    if (settled) return;
    let complete = false;
    for (let e = swarm.pollEvent(); e !== undefined; e = swarm.pollEvent()) {
      // Swarm queues blob-complete before the store-chunk event that completed the blob: drain the rest first.
      if (e.type === 'blob-complete') {
        complete = true;
        continue;
      }
      if (e.type === 'blob-stalled') {
        onStall(e);
        if (settled) return;
        continue;
      }
      const slot = slots.get(e.peer);
      const ev = e.event;
      const s = slot?.conn?.session;
      switch (ev.type) {
        case 'need-page':
        case 'need-chunk':
          s?.respondNoData(ev.reqId); // this peer only fetches
          break;
        case 'store-page':
          chunkCount = ev.header.chunkCount;
          byteLength = ev.header.byteLength;
          writer.addPage(ev.header, ev.page);
          break;
        case 'store-chunk':
          stalls = 0;
          if (stored.has(ev.index)) break; // the endgame may deliver one twice
          stored.add(ev.index);
          writer.addChunk(ev.index, ev.bytes);
          heldChunks++;
          heldBytes += ev.bytes.length;
          if (slot) {
            slot.report.chunks++;
            slot.report.bytes += ev.bytes.length;
          }
          if (!paused && writer.pendingBytes > highWater) {
            paused = true;
            pauses++;
            for (const x of slots.values()) x.conn?.pause();
          }
          progress();
          break;
        case 'item-failed':
          // Only "not found" says the peer lacks the blob; `refused` (a draining server) says nothing about it.
          if (slot && ev.kind === 'page' && ev.index === 0 && ev.reason === 'no-data') slot.saidNoData = true;
          break;
        case 'blob-failed':
          if (ev.reason === 'inconsistent') {
            finish(
              new PeerError(
                'misbehaved',
                `blob ${idHex} is inconsistent: its records disagree with its length`,
              ),
            );
            return;
          }
          break;
        case 'misbehaviour':
          if (slot) slot.report.misbehaviour++;
          log(`${e.peer}: misbehaviour: ${ev.what} (score ${ev.score})`);
          break;
        case 'established':
          log(`${e.peer}: session established`, 'info');
          break;
        case 'closed':
          if (slot) {
            // The session's reason often is its error's message already: say it once.
            const why =
              ev.error && ev.error.message !== ev.reason ? `${ev.reason}: ${ev.error.message}` : ev.reason;
            slot.report.closeReason ??= why;
          }
          // Dropped by the driver for a bad frame the session never saw: misbehaviour all the same.
          if (slot?.conn?.violation !== undefined && ev.reason === slot.conn.violation)
            slot.report.misbehaviour++;
          log(`${e.peer}: closed: ${slot?.report.closeReason ?? ev.reason}`);
          break;
        default:
      }
    }
    if (complete && !settled) {
      if (heldChunks === chunkCount) finish(undefined);
      else finish(new PeerError('io', `internal: blob complete with ${heldChunks} of ${chunkCount} chunks`));
      return;
    }
    flushAll();
    checkPeers();
  };

  writer.lowWater = Math.floor(highWater / 4);
  writer.onDrained = () => {
    if (!paused) return;
    paused = false;
    for (const x of slots.values()) x.conn?.resume();
  };
  writer.onError = (e) =>
    finish(new PeerError('io', `cannot write ${options.out}: ${e.message}`, { cause: e }));

  // setTimeout holds at most 2^31 - 1 ms (24.8 days) and fires at once for more: re-arm toward the deadline.
  let timer: NodeJS.Timeout | undefined;
  const deadline = timeoutMs > 0 ? started + timeoutMs : 0;
  const armDeadline = (): void => {
    const left = deadline - Date.now();
    if (left <= 0) finish(new PeerError('timeout', `blob ${idHex} not complete after ${timeoutMs} ms`));
    else timer = setTimeout(armDeadline, Math.min(left, MAX_TIMER));
  };
  if (deadline > 0) armDeadline();
  const onAbort = (): void => finish(new PeerError('interrupted', 'fetch: interrupted'));
  options.signal?.addEventListener('abort', onAbort, { once: true });

  swarm.want(id, resumed.resume);
  pump();

  /** Connects (or reconnects) one peer; `connecting` counts dials in progress or scheduled. */
  const dial = (slot: PeerSlot): void => {
    const name = slot.report.peer;
    openSocket(slot.address, connectTimeoutMs)
      .then(
        (socket) => {
          connecting--;
          if (settled) {
            socket.destroy();
            return;
          }
          slot.report.connected = true;
          slot.report.closeReason = undefined;
          log(`${name}: connected`, 'info');
          const session = new SyncSession(sessionOptions);
          slot.conn = new PeerConnection(socket, session, name, {
            log,
            onActivity: pump,
            onClose: (conn) => {
              slot.report.wireBytes += conn.stats.bytesIn;
              // A dropped connection (not a goodbye, not misbehaviour) is worth a few more tries.
              if (!settled && conn.closeReason === 'connection lost' && slot.report.misbehaviour === 0)
                redial(slot);
            },
            lingerMs: 500, // a peer that does not close after our BYE is not worth waiting for
          });
          if (paused) slot.conn.pause();
          swarm.addPeer(name, session);
          pump();
        },
        (e: Error) => {
          connecting--;
          slot.report.closeReason = `cannot connect: ${(e as NodeJS.ErrnoException).code ?? e.message}`;
          log(`${name}: ${slot.report.closeReason}`);
          if (slot.report.connected) redial(slot);
          pump();
        },
      )
      .catch((e: unknown) => finish(e instanceof Error ? e : new Error(String(e)))); // a bug: fail, not hang
  };
  const redial = (slot: PeerSlot): void => {
    if (settled || slot.redials >= maxRedials) return;
    const delay = 250 * 2 ** slot.redials++;
    connecting++;
    log(`${slot.report.peer}: reconnecting in ${delay} ms (attempt ${slot.redials} of ${maxRedials})`);
    setTimeout(() => {
      if (settled) connecting--;
      else dial(slot);
    }, delay).unref();
  };

  for (const address of addresses) {
    if (settled) break; // complete from the resume data alone
    const name = formatAddress(address);
    if (slots.has(name)) {
      connecting--;
      continue;
    }
    const slot: PeerSlot = {
      address,
      conn: undefined,
      saidNoData: false,
      redials: 0,
      report: {
        peer: name,
        connected: false,
        chunks: 0,
        bytes: 0,
        misbehaviour: 0,
        closeReason: undefined,
        wireBytes: 0,
      },
    };
    slots.set(name, slot);
    dial(slot);
  }
  pump();

  const failure = await outcome;
  clearTimeout(timer);
  clearTimeout(retryTimer);
  options.signal?.removeEventListener('abort', onAbort);
  for (const s of slots.values()) {
    if (s.conn === undefined) continue;
    s.conn.close(
      failure ? `fetch failed: ${isPeerError(failure) ? failure.code : 'internal error'}` : 'blob complete',
    );
  }
  let error: Error | undefined = failure;
  if (failure === undefined) {
    try {
      await writer.finish();
    } catch (e) {
      error = new PeerError('io', `cannot finish ${options.out}: ${(e as Error).message}`, { cause: e });
    }
  }
  if (error !== undefined) await writer.abandon();
  await Promise.all([...slots.values()].map((s) => s.conn?.closed));
  if (error !== undefined) throw error;
  return {
    blobId: idHex,
    out: options.out,
    byteLength,
    chunkCount,
    resumedChunks: resumed.chunks,
    resumedBytes: resumed.bytes,
    fetchedChunks: writer.chunksWritten,
    fetchedBytes: writer.bytesWritten,
    elapsedMs: Date.now() - started,
    pauses,
    peers: [...slots.values()].map((s) => s.report),
  };
}

/** The longest delay setTimeout keeps (ms); a longer one fires at once. */
const MAX_TIMER = 2 ** 31 - 1;

/** A finite number of milliseconds ≥ `min`. @throws PeerError `usage`. */
function duration(name: string, ms: number, min: number): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < min) {
    throw new PeerError('usage', `fetch: ${name} expected a finite number of ms >= ${min}, got ${ms}`);
  }
  return ms;
}

/** A BlobId from 32 bytes or 64 hex digits. @throws PeerError `usage`. */
export function parseBlobId(blobId: Uint8Array | string): Uint8Array {
  if (typeof blobId === 'string') {
    if (!/^[0-9a-fA-F]{64}$/.test(blobId)) {
      throw new PeerError('usage', `bad blob id '${blobId}': expected 64 hex digits`);
    }
    return fromHex(blobId.toLowerCase());
  }
  if (!(blobId instanceof Uint8Array) || blobId.length !== 32) {
    throw new PeerError('usage', 'bad blob id: expected 32 bytes');
  }
  return blobId;
}

function openSocket(a: PeerAddress, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: a.host, port: a.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`no answer in ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    const onError = (e: Error): void => {
      clearTimeout(timer);
      reject(e);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
  });
}
