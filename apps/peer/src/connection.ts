import type { Socket } from 'node:net';
import type { SyncSession } from '@syncwire/session';
import { FrameDecoder } from '@syncwire/tlv';

/** Options of a {@link PeerConnection}. */
export interface ConnectionOptions {
  /**
   * Called after frames arrived or a timer ran: the owner drains the session's (or its swarm's) events and
   * answers them, then flushes whichever connections have something to send.
   */
  onActivity: () => void;
  /**
   * Called once, after the socket closed and the session was closed (its `closed` event is queued), just
   * before the `onActivity` that will see that event.
   */
  onClose?: (conn: PeerConnection) => void;
  /** Where to report what happened (one line each). Default: nothing. */
  log?: (line: string) => void;
  /**
   * Bytes queued in the socket above which no more frames are polled until it drains (at least the socket's
   * own high-water mark). Default 1 MiB.
   */
  sendBuffer?: number;
  /** How long a closing socket may take to finish sending before it is destroyed, ms. Default 2000. */
  lingerMs?: number;
}

/** Counters of one connection. */
export interface ConnectionStats {
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
}

/**
 * The transport driver between one TCP socket and one {@link SyncSession}: incoming bytes are split into
 * frames (split anywhere by TCP; oversize lengths refused before buffering) and handed to `handleFrame`;
 * `pollTransmit` is drained into the socket until its buffer passes `sendBuffer`, then resumed on `drain`;
 * one timer follows `pollTimeout`. The socket is ended once the session is closed, and the session is closed
 * when the socket goes away.
 *
 * Nothing here throws at the owner: a bad frame header, a corrupt frame (TCP does not corrupt, so a bad CRC
 * means a broken or hostile peer), a socket error or a driver bug ends this connection with a logged reason.
 */
export class PeerConnection {
  readonly socket: Socket;
  readonly session: SyncSession;
  /** A short name for logs and the swarm (`host:port`). */
  readonly name: string;
  readonly stats: ConnectionStats = { bytesIn: 0, bytesOut: 0, framesIn: 0 };
  /** Resolves once the socket has closed. */
  readonly closed: Promise<void>;
  /** Why the connection ended (first reason wins), once it has. */
  closeReason: string | undefined;
  /**
   * Set when this driver dropped the peer for a protocol violation the session never saw: a bad frame header
   * or a corrupt frame (misbehaviour for the owner's accounting, like the session's own `misbehaviour` events).
   */
  violation: string | undefined;
  /**
   * True when the last {@link flush} took every frame the session would give (it stopped on `undefined`, not
   * on a full socket): whatever the session still holds waits for the peer's credit.
   */
  sentAll = false;

  readonly #o: ConnectionOptions;
  readonly #frames: FrameDecoder;
  readonly #sendBuffer: number;
  #blocked = false;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = 0;
  #ending = false;
  #socketClosed = false;
  #paused = false;
  #reading = true;
  #resolveClosed!: () => void;

  constructor(socket: Socket, session: SyncSession, name: string, options: ConnectionOptions) {
    this.socket = socket;
    this.session = session;
    this.name = name;
    this.#o = options;
    // Session frames are `uvarint length ‖ payload ‖ CRC-32C`: the decoder hands them over whole (raw) and
    // leaves the CRC to the session, which skips it for a CHUNK whose data verifies. A payload above the
    // session's own receive limit would be refused by handleFrame anyway, so it is never buffered at all.
    this.#frames = new FrameDecoder({
      maxFrameSize: session.receiveLimit,
      checksum: true,
      raw: true,
    });
    this.#sendBuffer = Math.max(options.sendBuffer ?? 1 << 20, socket.writableHighWaterMark);
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#guard(() => this.#onData(chunk)));
    socket.on('drain', () =>
      this.#guard(() => {
        this.#blocked = false;
        this.#updateReading();
        this.flush();
      }),
    );
    socket.on('error', (e) => this.#note(`socket error: ${e.message}`));
    socket.on('close', () => this.#onSocketClose());
    this.flush();
  }

  /** Sends what the session has queued (as far as the socket buffer allows) and re-arms the timer. */
  flush(): void {
    if (this.#socketClosed) return;
    if (!this.#blocked && !this.#ending) {
      const now = Date.now();
      const s = this.socket;
      this.sentAll = false;
      s.cork();
      try {
        for (;;) {
          if (s.writableLength >= this.#sendBuffer) {
            this.#blocked = true; // write() returned false on the way up: 'drain' follows
            this.#updateReading();
            break;
          }
          const f = this.session.pollTransmit(now);
          if (f === undefined) {
            this.sentAll = true;
            break;
          }
          this.stats.bytesOut += f.length;
          s.write(f);
        }
      } finally {
        s.uncork();
      }
    }
    if (this.session.state === 'closed') this.#end();
    else this.#arm();
  }

  /** Stops reading from the socket (the owner's storage is behind); TCP flow control slows the peer. */
  pause(): void {
    this.#paused = true;
    this.#updateReading();
  }

  /** Resumes reading after {@link pause}. */
  resume(): void {
    this.#paused = false;
    this.#updateReading();
  }

  /**
   * Reads only while the owner wants to and the socket takes what we send: a peer that does not read our
   * answers (chunks, NO_DATA, PONG) must not get its further requests read either, or the answers would pile
   * up in the session without bound. TCP flow control then stops it; a peer that never reads again goes
   * silent for the session and is closed at its idle timeout.
   */
  #updateReading(): void {
    if (this.#socketClosed) return;
    const read = !this.#paused && !this.#blocked;
    if (read === this.#reading) return;
    this.#reading = read;
    if (read) this.socket.resume();
    else this.socket.pause();
  }

  /** Closes the session (BYE, or a drain first when `drainMs` is given) and then the socket. */
  close(reason: string, drainMs?: number): void {
    this.closeReason ??= reason;
    if (this.session.state === 'established' && drainMs !== undefined && drainMs > 0) {
      this.session.close(reason, { drainUntil: Date.now() + drainMs });
    } else this.session.close(reason);
    this.#o.onActivity();
    this.flush();
  }

  /** Drops the connection now, without a goodbye (a misbehaving peer, or a test killing the link). */
  destroy(reason: string): void {
    this.closeReason ??= reason;
    this.socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#ending) return;
    this.stats.bytesIn += chunk.length;
    const frames: Uint8Array[] = [];
    try {
      this.#frames.push(chunk);
      for (let f = this.#frames.read(); f !== null; f = this.#frames.read()) frames.push(f);
    } catch (e) {
      this.violation = `bad frame from peer: ${(e as Error).message}`;
      this.#abort(this.violation);
      return;
    }
    const now = Date.now();
    for (const f of frames) {
      this.stats.framesIn++;
      this.session.handleFrame(f, now);
      // TCP delivers bytes intact and in order, so a frame failing its CRC or framing is not link noise.
      if (this.session.stats.corruptFrames > 0) {
        this.violation = 'peer sent a corrupt frame (bad CRC-32C or framing)';
        this.#abort(this.violation);
        return;
      }
      if (this.session.state === 'closed') break;
    }
    this.#o.onActivity();
    this.flush();
  }

  #onTimer(): void {
    this.#timer = undefined;
    const now = Date.now();
    const t = this.session.pollTimeout();
    if (t !== undefined && t <= now) {
      this.session.handleTimeout(now);
      this.#o.onActivity();
    }
    this.flush();
  }

  /** One timer for the earliest deadline; a deadline that moved later just makes it fire early and re-arm. */
  #arm(): void {
    const t = this.session.pollTimeout();
    if (t === undefined) {
      this.#clearTimer();
      return;
    }
    if (this.#timer !== undefined && this.#timerAt <= t) return;
    this.#clearTimer();
    this.#timerAt = t;
    this.#timer = setTimeout(() => this.#guard(() => this.#onTimer()), Math.max(0, t - Date.now()));
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The session is over: let the socket finish sending (BYE/ERROR), then close it. */
  #end(): void {
    this.#clearTimer();
    if (this.#ending) return;
    this.#ending = true;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), this.#o.lingerMs ?? 2000).unref();
  }

  #abort(reason: string): void {
    this.#note(reason);
    this.closeReason ??= reason;
    this.#ending = true;
    this.socket.destroy();
    if (this.session.state !== 'closed') this.session.close(reason);
    this.#o.onActivity();
  }

  #onSocketClose(): void {
    if (this.#socketClosed) return;
    this.#socketClosed = true;
    this.#clearTimer();
    this.closeReason ??= this.session.state === 'closed' ? 'session closed' : 'connection lost';
    if (this.session.state !== 'closed') this.session.close(this.closeReason);
    // onClose first: an owner that reconnects must know before its event pass decides no peer is left.
    this.#guard(() => this.#o.onClose?.(this));
    this.#guard(() => this.#o.onActivity());
    this.#resolveClosed();
  }

  #note(line: string): void {
    this.#o.log?.(`${this.name}: ${line}`);
  }

  /** Runs a socket/timer callback: nothing it throws may reach the event loop and crash the process. */
  #guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.#note(`internal error: ${(e as Error)?.stack ?? String(e)}`);
      this.closeReason ??= 'internal error';
      this.#ending = true;
      this.socket.destroy();
    }
  }
}
