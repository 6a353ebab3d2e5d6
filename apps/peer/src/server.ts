import { createServer, type Server, type Socket } from 'node:net';
import { toHex } from '@syncwire/bytes';
import { nodeSha256Hasher } from '@syncwire/merkle/node';
import {
  ALL_CAPABILITIES,
  Capability,
  SESSION_DEFAULTS,
  type SessionOptions,
  SyncSession,
} from '@syncwire/session';
import { formatAddress, type PeerAddress } from './address.ts';
import { type BlobFile, openBlobFile } from './blob-file.ts';
import { PeerConnection } from './connection.ts';
import { PeerError } from './errors.ts';

/** Options of {@link servePeer}. */
export interface ServeOptions {
  /** Interface to listen on. Default `127.0.0.1` (use `0.0.0.0` or `::` to serve other machines). */
  host?: string;
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /**
   * Where to report what happens, one line each: `info` for connections coming and going, `warn` for
   * misbehaviour, bad frames and read errors. Default: nothing.
   */
  log?: (line: string, level: 'info' | 'warn') => void;
  /** Session options for every connection, over this app's defaults (`node:crypto` SHA-256, `repair: 'off'`, no REPAIR capabilities). */
  session?: SessionOptions;
  /**
   * Connections served at once; more are refused (closed on accept). Each costs at most about
   * `maxInflight` × the largest chunk (64 × 64 KiB with the defaults) of memory. Default 64.
   */
  maxConnections?: number;
  /**
   * Connections served at once from one remote address; more from it are refused (closed on accept), so one
   * host cannot take every `maxConnections` slot. Default 16.
   */
  maxPerHost?: number;
  /** How long a graceful {@link PeerServer.close} lets transfers in flight finish, ms. Default 5000. */
  drainMs?: number;
  /**
   * Fault injection for tests of fetching peers: the bytes to send instead of chunk `index` of blob `idHex`
   * (return `bytes` unchanged to serve honestly). Default: none.
   */
  tamperChunk?: (idHex: string, index: number, bytes: Uint8Array) => Uint8Array;
}

/** Counters of a serving peer. */
export interface ServerStats {
  /** Connections accepted so far, and open now. */
  connections: number;
  open: number;
  pagesServed: number;
  chunksServed: number;
  chunkBytesServed: number;
  /** Requests answered NO_DATA (unknown blob, page or chunk). */
  refused: number;
}

/** A running serving peer. */
export interface PeerServer {
  /** The address it listens on (the real port when 0 was asked). */
  readonly address: PeerAddress;
  /** The files it serves. */
  readonly files: readonly BlobFile[];
  readonly stats: Readonly<ServerStats>;
  /** Open connections. */
  readonly connections: ReadonlySet<PeerConnection>;
  /**
   * Stops: no new connections; each open session drains (requests in flight finish, up to `drainMs`), says BYE
   * and closes; then the files are closed. With `force`, sockets are destroyed at once (a crash, for tests).
   */
  close(options?: { drainMs?: number; force?: boolean }): Promise<void>;
}

/**
 * Publishes files to any number of TCP peers: builds each file's manifest, listens, and drives one
 * {@link SyncSession} per connection — announcing every blob (HAVE), answering page and chunk requests from the
 * files (each chunk with its stored CRC-32C), and refusing (NO_DATA) anything else.
 * @throws PeerError `io` when a file cannot be read or the address cannot be bound.
 */
export async function servePeer(paths: readonly string[], options: ServeOptions = {}): Promise<PeerServer> {
  const log = (line: string, level: 'info' | 'warn' = 'warn'): void => options.log?.(line, level);
  const files: BlobFile[] = [];
  try {
    for (const p of paths) files.push(await openBlobFile(p));
  } catch (e) {
    await Promise.all(files.map((f) => f.close()));
    throw new PeerError('io', `cannot read ${describeIoError(e)}`, { cause: e });
  }
  const byId = new Map(files.map((f) => [f.idHex, f]));
  const sessionOptions: SessionOptions = {
    hasher: nodeSha256Hasher,
    repair: 'off',
    // TCP loses nothing, so REPAIR symbols would only let a peer make us encode (and send) up to 5x per chunk.
    capabilities: ALL_CAPABILITIES & ~(Capability.REPAIR_RS | Capability.REPAIR_RAPTORQ),
    ...options.session,
  };
  const stats: ServerStats = {
    connections: 0,
    open: 0,
    pagesServed: 0,
    chunksServed: 0,
    chunkBytesServed: 0,
    refused: 0,
  };
  const connections = new Set<PeerConnection>();
  /** Chunk requests waiting for their read, per connection. */
  const queues = new Map<PeerConnection, ChunkQueue>();
  const maxInflight = sessionOptions.maxInflight ?? SESSION_DEFAULTS.maxInflight;
  const maxChunk = Math.max(0, ...files.map((f) => f.maxChunk));
  // Chunk bytes answered but held by a session: what maxInflight honest requests can hold, and some slack.
  const maxBacklog = maxInflight * (maxChunk + 128) + (1 << 20);
  let closing = false;
  const maxPerHost = options.maxPerHost ?? 16;
  /** Open connections per remote address. */
  const perHost = new Map<string, number>();

  const accept = (socket: Socket): void => {
    if (closing) {
      socket.destroy();
      return;
    }
    const host = socket.remoteAddress ?? '?';
    const name = formatAddress({ host, port: socket.remotePort ?? 0 });
    const fromHost = perHost.get(host) ?? 0;
    if (fromHost >= maxPerHost) {
      log(`${name}: refused: ${fromHost} connections from ${host} already (maxPerHost ${maxPerHost})`);
      socket.destroy();
      return;
    }
    perHost.set(host, fromHost + 1);
    socket.once('close', () => {
      const n = (perHost.get(host) ?? 1) - 1;
      if (n === 0) perHost.delete(host);
      else perHost.set(host, n);
    });
    let session: SyncSession;
    try {
      session = new SyncSession(sessionOptions);
    } catch (e) {
      log(`${name}: cannot start a session: ${(e as Error).message}`);
      socket.destroy();
      return;
    }
    for (const f of files) session.announce(f.manifest.id, 'all');
    stats.connections++;
    stats.open++;
    const conn: PeerConnection = new PeerConnection(socket, session, name, {
      log,
      onActivity: () => answer(conn),
      onClose: () => {
        stats.open--;
        connections.delete(conn);
        queues.delete(conn);
      },
    });
    connections.add(conn);
    queues.set(conn, { waiting: [], reading: 0, answered: 0 });
    log(`${name}: connected`, 'info');
  };

  /** Drains one session's events: requests are answered from the files. */
  const answer = (conn: PeerConnection): void => {
    const s = conn.session;
    for (let e = s.pollEvent(); e !== undefined; e = s.pollEvent()) {
      switch (e.type) {
        case 'established':
          log(`${conn.name}: session established (protocol ${e.version})`, 'info');
          break;
        case 'need-page': {
          const f = byId.get(toHex(e.blobId));
          const m = f?.manifest;
          if (m === undefined || e.pageIndex >= Math.ceil(m.chunkCount / 2 ** e.pageBits)) {
            stats.refused++;
            s.respondNoData(e.reqId);
            break;
          }
          stats.pagesServed++;
          s.respondPage(e.reqId, m.header, m.page(e.pageIndex, e.pageBits));
          break;
        }
        case 'need-chunk': {
          const f = byId.get(toHex(e.blobId));
          if (f === undefined || e.index >= f.manifest.chunkCount) {
            stats.refused++;
            s.respondNoData(e.reqId);
            break;
          }
          const q = queues.get(conn);
          if (q === undefined) break; // closed already
          q.waiting.push({ reqId: e.reqId, file: f, index: e.index });
          // An honest requester has at most maxInflight requests outstanding with us.
          if (q.waiting.length > 4 * maxInflight) {
            drop(conn, `asked for ${q.waiting.length} chunks at once (at most ${maxInflight} in flight)`);
            return;
          }
          break;
        }
        case 'misbehaviour':
          log(`${conn.name}: misbehaviour: ${e.what} (score ${e.score})`);
          break;
        case 'closed':
          log(
            `${conn.name}: closed: ${e.reason}${e.error && e.error.message !== e.reason ? ` (${e.error.message})` : ''}`,
            e.error ? 'warn' : 'info',
          );
          break;
        default:
        // store-*, peer-have, blob-*: a serving peer fetches nothing.
      }
    }
    const q = queues.get(conn);
    if (q !== undefined) readChunks(conn, q);
  };

  /**
   * Answers waiting chunk requests from the files (at most maxInflight reads at a time). The session sends a
   * chunk only within the byte credit the peer grants and holds the others: a peer that keeps asking but does
   * not grant credit (or does not read) would have every chunk it asked for held in memory. An honest peer has
   * at most maxInflight requests outstanding, so more than that many chunks answered but unsent means it is
   * not one.
   */
  const readChunks = (conn: PeerConnection, q: ChunkQueue): void => {
    const s = conn.session;
    const sent = s.stats.chunkBytesSent;
    // What the session holds is at most what was answered and not sent. Cancelled answers leave the session
    // unseen, so the estimate is re-based whenever the session has nothing left to send with credit to spare.
    if (q.answered < sent || (conn.sentAll && s.stats.peerCredit - sent > maxChunk + 128)) q.answered = sent;
    if (q.answered - sent > maxBacklog) {
      drop(conn, `asked for ${q.answered - sent} chunk bytes it does not take (credit or reading)`);
      return;
    }
    while (q.reading < maxInflight && q.waiting.length > 0 && s.state !== 'closed') {
      const { reqId, file: f, index } = q.waiting.shift()!;
      q.reading++;
      f.readChunk(index)
        .then(
          (bytes) => {
            q.reading--;
            const sentBytes = options.tamperChunk ? options.tamperChunk(f.idHex, index, bytes) : bytes;
            const same = sentBytes === bytes;
            const crc = same ? { crc32c: f.crcs[index]! } : undefined;
            if (s.respondChunk(reqId, sentBytes, crc)) {
              q.answered += sentBytes.length;
              stats.chunksServed++;
              stats.chunkBytesServed += sentBytes.length;
            }
            conn.flush();
            readChunks(conn, q);
          },
          (err: unknown) => {
            q.reading--;
            if (s.state === 'closed') return; // shutting down: the file may be closed already
            log(`${conn.name}: cannot read chunk ${index} of ${f.path}: ${describeIoError(err)}`);
            stats.refused++;
            s.respondNoData(reqId);
            conn.flush();
            readChunks(conn, q);
          },
        )
        .catch((e: unknown) => {
          // A bug in answering (not an I/O error, handled above): end this connection, not the process.
          log(`${conn.name}: internal error: ${(e as Error)?.stack ?? String(e)}`);
          conn.destroy('internal error');
        });
    }
  };

  const drop = (conn: PeerConnection, why: string): void => {
    queues.delete(conn);
    conn.violation = why;
    log(`${conn.name}: ${why}: dropped`);
    conn.destroy(why);
  };

  const server: Server = createServer(accept);
  server.maxConnections = options.maxConnections ?? 64;
  server.on('error', (e) => log(`server error: ${e.message}`));
  const address = await new Promise<PeerAddress>((resolve, reject) => {
    const onError = (e: Error) => reject(new PeerError('io', `cannot listen: ${e.message}`, { cause: e }));
    server.once('error', onError);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', onError);
      const a = server.address();
      if (a === null || typeof a === 'string') reject(new PeerError('io', 'not a TCP server'));
      else resolve({ host: a.address, port: a.port });
    });
  }).catch(async (e) => {
    await Promise.all(files.map((f) => f.close()));
    throw e;
  });

  let closed: Promise<void> | undefined;
  return {
    address,
    files,
    stats,
    connections,
    close(o = {}): Promise<void> {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const drainMs = o.drainMs ?? options.drainMs ?? 5000;
        for (const c of connections) {
          if (o.force) c.destroy('server stopped');
          else c.close('server shutting down', drainMs);
        }
        await Promise.all([...connections].map((c) => c.closed));
        await stopped;
        await Promise.all(files.map((f) => f.close()));
      })();
      return closed;
    },
  };
}

/** Chunk requests of one connection waiting for their read, and what was answered. */
interface ChunkQueue {
  waiting: Array<{ reqId: number; file: BlobFile; index: number }>;
  /** Reads in flight. */
  reading: number;
  /** Chunk bytes handed to `respondChunk` (an estimate base, see `readChunks`). */
  answered: number;
}

function describeIoError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.path ? `${err.path}: ${err.code ?? err.message}` : String(err?.message ?? e);
}
