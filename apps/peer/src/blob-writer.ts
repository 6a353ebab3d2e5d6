import { constants } from 'node:fs';
import { type FileHandle, open, readFile, rename, rm, stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  LEAF_RECORD_SIZE,
  type ManifestHeader,
  type ManifestPage,
  ManifestVerifier,
  pageCount,
  recordLength,
} from '@syncwire/blob';
import { nodeSha256Hasher } from '@syncwire/merkle/node';
import type { ResumeData } from '@syncwire/session';
import {
  blobRecord,
  chunksRecord,
  headerRecord,
  pageRecord,
  type ResumeLog,
  readResumeLog,
} from './resume-log.ts';

/** What {@link BlobWriter.open} found of an earlier run. */
export interface Resumed {
  /** For `Swarm.want`: the verified header and pages, and the chunks re-verified from `<out>.part`. */
  resume: ResumeData | undefined;
  chunks: number;
  bytes: number;
}

// The files of a fetch are opened without following a symbolic link where they should be: in a shared
// directory (/tmp) anyone could plant `<out>.part` pointing at one of our files, which would then be truncated
// and overwritten with the blob.
const { O_RDWR, O_WRONLY, O_CREAT, O_TRUNC, O_APPEND, O_NOFOLLOW = 0 } = constants;
const CREATE = O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW;
const RESUME = O_RDWR | O_NOFOLLOW;
const APPEND = O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW;

/** Part-file writes in flight at once (each one a `writev` of contiguous chunks). */
const MAX_WRITES = 2;

/** A chunk waiting for its write to `<out>.part`. */
interface QueuedWrite {
  index: number;
  bytes: Uint8Array;
  at: number;
  done: () => void;
  failed: (e: Error) => void;
}

/** A chunk that arrived before the pages in front of it: kept in the spool file until its offset is known. */
interface Parked {
  at: number;
  length: number;
  /** Settles when the bytes are in the spool. */
  spooled: Promise<void>;
}

/**
 * Writes a blob being fetched into `<out>.part`, each verified chunk at its offset, and keeps the resume log
 * `<out>.part.resume` (see `resume-log.ts`) so a later run fetches only what is missing; renames `.part` to
 * `out` when complete.
 *
 * A chunk's offset is the sum of the lengths before it, known only once every earlier manifest page is: a
 * chunk that arrives earlier (pages come from several peers, out of order) is parked in `<out>.part.spool`
 * rather than in memory, and moved into place when its offset becomes known. Memory held is the bytes of
 * writes in flight ({@link pendingBytes}, which the fetcher bounds by pausing its sockets) and 8 bytes per chunk.
 */
export class BlobWriter {
  readonly out: string;
  readonly partPath: string;
  readonly logPath: string;
  readonly spoolPath: string;
  /** Chunks and chunk bytes written into `<out>.part` by this run. */
  chunksWritten = 0;
  bytesWritten = 0;
  /** Called when {@link pendingBytes} falls to `lowWater` or below after having been above it. */
  onDrained: (() => void) | undefined;
  /** Called once on the first I/O error (later calls fail with it too). */
  onError: ((e: Error) => void) | undefined;
  lowWater = 4 << 20;

  readonly #pageBits: number;
  readonly #part: FileHandle;
  #logHandle: FileHandle | undefined;
  #spool: FileHandle | undefined;
  #spoolEnd = 0;
  #header: ManifestHeader | undefined;
  /** Per verified page: offsets of its chunks from the page start (n + 1 entries). */
  readonly #pages = new Map<number, Float64Array>();
  /** Absolute start offset of page p, for p ≤ #prefix. */
  readonly #pageBase: number[] = [0];
  /** Pages 0..#prefix-1 are all verified. */
  #prefix = 0;
  readonly #parked = new Map<number, Parked>();
  readonly #inflight = new Set<Promise<void>>();
  #pendingBytes = 0;
  #claims: number[] = [];
  #claimScheduled = false;
  #logChain: Promise<void> = Promise.resolve();
  #error: Error | undefined;

  private constructor(out: string, pageBits: number, part: FileHandle, log: FileHandle | undefined) {
    this.out = out;
    this.partPath = `${out}.part`;
    this.logPath = `${out}.part.resume`;
    this.spoolPath = `${out}.part.spool`;
    this.#pageBits = pageBits;
    this.#part = part;
    this.#logHandle = log;
  }

  /**
   * Opens the output of a fetch of `blobId`, resuming from `<out>.part` and its log when they belong to it:
   * the logged header and pages are verified against the BlobId and every logged chunk is re-read and checked
   * against its record (a chunk torn by a crash is simply fetched again).
   * @throws the file system's errors.
   */
  static async open(
    out: string,
    blobId: Uint8Array,
    pageBits: number,
  ): Promise<{ writer: BlobWriter; resumed: Resumed }> {
    const partPath = `${out}.part`;
    const logPath = `${out}.part.resume`;
    // The finished .part is renamed to `out`: find out now, not after the whole blob was fetched.
    if ((await stat(out).catch(() => undefined))?.isDirectory()) throw new Error(`${out} is a directory`);
    await rm(`${out}.part.spool`, { force: true });
    const logBytes = await readFile(logPath).catch(() => undefined);
    const old = logBytes && readResumeLog(logBytes, blobId, pageBits);
    const header = old ? old.header : undefined;
    const part = old && header ? await open(partPath, RESUME).catch(() => undefined) : undefined;
    if (!old || !header || part === undefined) {
      // Nothing usable: start over.
      const fresh = await open(partPath, CREATE);
      try {
        await writeWhole(logPath, [blobRecord(blobId, pageBits)]);
        const w = new BlobWriter(out, pageBits, fresh, await open(logPath, APPEND));
        return { writer: w, resumed: { resume: undefined, chunks: 0, bytes: 0 } };
      } catch (e) {
        await fresh.close().catch(() => {});
        throw e;
      }
    }
    const verifier = ManifestVerifier.create(blobId, header, { pageBits, hasher: nodeSha256Hasher });
    if (verifier === null) {
      await part.close();
      await rm(logPath, { force: true });
      return BlobWriter.open(out, blobId, pageBits);
    }
    const w = new BlobWriter(out, pageBits, part, undefined);
    try {
      return { writer: w, resumed: await w.#resume(blobId, verifier, old) };
    } catch (e) {
      await w.#close();
      throw e;
    }
  }

  /** Re-verifies what the log of an earlier run lists, compacts the log and opens it for appending. */
  async #resume(blobId: Uint8Array, verifier: ManifestVerifier, old: ResumeLog): Promise<Resumed> {
    const header = verifier.header;
    this.#header = header;
    const pages: ManifestPage[] = [];
    for (const p of old.pages) {
      if (p.pageBits !== this.#pageBits || verifier.hasPage(p.pageIndex) || !verifier.addPage(p)) continue;
      pages.push(p);
      this.#notePage(p);
    }
    const have: number[] = [];
    let bytes = 0;
    for (const i of new Set(old.chunks)) {
      const at = this.#offset(i);
      const length = verifier.chunkLength(i);
      if (at === undefined || length === undefined) continue;
      const buf = Buffer.allocUnsafe(length);
      const { bytesRead } = await this.#part.read(buf, 0, length, at);
      if (bytesRead === length && verifier.verifyChunk(i, buf)) {
        have.push(i);
        bytes += length;
      }
    }
    // Compact the log to what was verified, then append to it.
    await writeWhole(this.logPath, [
      blobRecord(blobId, this.#pageBits),
      headerRecord(header),
      ...pages.map(pageRecord),
      ...(have.length > 0 ? [chunksRecord(have)] : []),
    ]);
    this.#logHandle = await open(this.logPath, APPEND);
    await sizePart(this.#part, this.partPath, header.byteLength);
    return { resume: { header, pages, have }, chunks: have.length, bytes };
  }

  /** Bytes handed to {@link addChunk} whose writes have not finished (memory held). */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** The first I/O error, if any. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** A verified manifest page (from a `store-page` event). */
  addPage(header: ManifestHeader, page: ManifestPage): void {
    if (page.pageBits !== this.#pageBits || this.#pages.has(page.pageIndex)) return;
    if (this.#header === undefined) {
      this.#header = header;
      this.#appendLog(headerRecord(header));
      this.#track(sizePart(this.#part, this.partPath, header.byteLength), 0);
    }
    this.#appendLog(pageRecord(page));
    const before = this.#prefix;
    this.#notePage(page);
    if (this.#prefix === before) return;
    // Offsets are now known for more pages: move their parked chunks into place.
    for (const [index, p] of this.#parked) {
      if (this.#offset(index) === undefined) continue;
      this.#parked.delete(index);
      this.#unpark(index, p);
    }
  }

  /** A verified chunk (from a `store-chunk` event); `bytes` is not modified and must stay valid until written. */
  addChunk(index: number, bytes: Uint8Array): void {
    const at = this.#offset(index);
    if (at !== undefined) {
      this.#writeChunk(index, bytes, at);
      return;
    }
    const spoolAt = this.#spoolEnd;
    this.#spoolEnd += bytes.length;
    const spooled = this.#openSpool().then(async (spool) => {
      await spool.write(bytes, 0, bytes.length, spoolAt);
    });
    this.#parked.set(index, { at: spoolAt, length: bytes.length, spooled });
    this.#track(spooled, bytes.length);
  }

  /**
   * Everything written and logged, `<out>.part` synced and renamed to `out`; the log and spool removed.
   * @throws the first I/O error, or Error when chunks are still parked (pages missing: not complete).
   */
  async finish(): Promise<void> {
    await this.#settle();
    if (this.#parked.size > 0) throw new Error(`${this.#parked.size} chunks still wait for their pages`);
    if (this.#header === undefined) await this.#part.truncate(0); // the empty blob has no pages
    await this.#part.sync();
    await this.#close();
    await rename(this.partPath, this.out);
    await rm(this.logPath, { force: true });
  }

  /**
   * Stops: what was written is logged and kept for the next run (or both files removed when not even the
   * header was verified); parked chunks are dropped.
   */
  async abandon(): Promise<void> {
    await this.#settle().catch(() => {});
    await this.#close().catch(() => {});
    if (this.#header === undefined) {
      // Nothing verified (not even the header): leave no litter behind.
      await rm(this.partPath, { force: true });
      await rm(this.logPath, { force: true });
    }
  }

  // ------------------------------------------------------------------------------------------ internals

  #notePage(page: ManifestPage): void {
    const n = page.records.length / LEAF_RECORD_SIZE;
    const starts = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) starts[i + 1] = starts[i]! + recordLength(page.records, i);
    this.#pages.set(page.pageIndex, starts);
    const count = this.#header ? pageCount(this.#pageBits, this.#header.chunkCount) : 0;
    while (this.#prefix < count) {
      const s = this.#pages.get(this.#prefix);
      if (s === undefined) break;
      this.#pageBase[this.#prefix + 1] = this.#pageBase[this.#prefix]! + s[s.length - 1]!;
      this.#prefix++;
    }
  }

  /** Offset of chunk `index` in the blob, if every page up to its own is verified. */
  #offset(index: number): number | undefined {
    const p = Math.floor(index / 2 ** this.#pageBits);
    if (p >= this.#prefix) return undefined;
    const starts = this.#pages.get(p)!;
    const k = index - p * 2 ** this.#pageBits;
    if (k >= starts.length - 1) return undefined;
    return this.#pageBase[p]! + starts[k]!;
  }

  /**
   * Queues a chunk for `<out>.part`. Writes are coalesced: at most {@link MAX_WRITES} are in flight, and each
   * takes the queued chunks that are contiguous on disk as one `writev` — measured: thousands of 16 KiB
   * `pwrite`s racing on the file's lock in the thread pool cost the fetching process more CPU than verifying
   * the chunks did.
   */
  #writeChunk(index: number, bytes: Uint8Array, at: number): void {
    let done!: () => void;
    let failed!: (e: Error) => void;
    const written = new Promise<void>((resolve, reject) => {
      done = resolve;
      failed = reject;
    });
    this.#queue.push({ index, bytes, at, done, failed });
    this.#track(written, bytes.length);
    this.#pumpWrites();
  }

  readonly #queue: QueuedWrite[] = [];
  #writing = 0;

  #pumpWrites(): void {
    while (this.#writing < MAX_WRITES && this.#queue.length > 0) {
      const q = this.#queue;
      if (q.length > 1) q.sort((a, b) => a.at - b.at);
      // The longest contiguous run from the lowest offset (bounded in count and bytes).
      let n = 1;
      let end = q[0]!.at + q[0]!.bytes.length;
      let bytes = q[0]!.bytes.length;
      while (n < q.length && n < 1024 && bytes < 8 << 20 && q[n]!.at === end) {
        end += q[n]!.bytes.length;
        bytes += q[n]!.bytes.length;
        n++;
      }
      const run = q.splice(0, n);
      this.#writing++;
      this.#part
        .writev(
          run.map((w) => w.bytes),
          run[0]!.at,
        )
        .then(
          () => {
            this.#writing--;
            for (const w of run) {
              this.chunksWritten++;
              this.bytesWritten += w.bytes.length;
              this.#claim(w.index);
              w.done();
            }
            this.#pumpWrites();
          },
          (e: Error) => {
            this.#writing--;
            for (const w of run) w.failed(e);
            this.#pumpWrites();
          },
        );
    }
  }

  /**
   * Moves a parked chunk from the spool into place. Moves run one at a time and wait while more than
   * `lowWater` bytes are held: one page can make the offsets of the whole spool known at once, and reading it
   * all back together would hold the whole spool in memory.
   */
  #unpark(index: number, p: Parked): void {
    this.#unparkQueue.push([index, p]);
    if (this.#unparking) return;
    this.#unparking = true;
    this.#track(
      this.#runUnpark().finally(() => {
        this.#unparking = false;
      }),
      0,
    );
  }

  readonly #unparkQueue: Array<[number, Parked]> = [];
  #unparking = false;

  async #runUnpark(): Promise<void> {
    for (let next = this.#unparkQueue.shift(); next !== undefined; next = this.#unparkQueue.shift()) {
      const [index, p] = next;
      // The moved chunk joins the writes (and pendingBytes, which the fetcher bounds by pausing its sockets).
      while (this.#pendingBytes > this.lowWater && this.#error === undefined) {
        await Promise.race(this.#inflight);
      }
      if (this.#error !== undefined) throw this.#error;
      await p.spooled;
      const buf = Buffer.allocUnsafe(p.length);
      const { bytesRead } = await this.#spool!.read(buf, 0, p.length, p.at);
      if (bytesRead !== p.length) throw new Error(`${this.spoolPath} is shorter than what was spooled`);
      this.#writeChunk(index, buf, this.#offset(index)!);
    }
  }

  #openSpool(): Promise<FileHandle> {
    if (this.#spool !== undefined) return Promise.resolve(this.#spool);
    this.#spoolOpening ??= open(this.spoolPath, CREATE).then((h) => (this.#spool = h));
    return this.#spoolOpening;
  }

  #spoolOpening: Promise<FileHandle> | undefined;

  /** Logs chunk `index` as written; batched into one record per event-loop turn. */
  #claim(index: number): void {
    this.#claims.push(index);
    if (this.#claimScheduled) return;
    this.#claimScheduled = true;
    setImmediate(() => this.#flushClaims());
  }

  #flushClaims(): void {
    this.#claimScheduled = false;
    if (this.#claims.length === 0) return;
    const rec = chunksRecord(this.#claims);
    this.#claims = [];
    this.#appendLog(rec);
  }

  #appendLog(record: Uint8Array): void {
    const next = this.#logChain.then(async () => {
      await this.#logHandle!.write(record);
    });
    this.#logChain = next.catch(() => {});
    this.#track(next, 0);
  }

  /** Follows an I/O operation holding `bytes` of memory until it settles. */
  #track(op: Promise<void>, bytes: number): void {
    this.#pendingBytes += bytes;
    const settled = op.then(
      () => {},
      (e: Error) => this.#fail(e),
    );
    const entry = settled.finally(() => {
      this.#inflight.delete(entry);
      const wasAbove = this.#pendingBytes > this.lowWater;
      this.#pendingBytes -= bytes;
      if (wasAbove && this.#pendingBytes <= this.lowWater) this.onDrained?.();
    });
    this.#inflight.add(entry);
  }

  #fail(e: Error): void {
    if (this.#error !== undefined) return;
    this.#error = e;
    this.onError?.(e);
  }

  /** Waits until no write is in flight and every claim is logged. */
  async #settle(): Promise<void> {
    for (;;) {
      if (this.#claimScheduled || this.#claims.length > 0) this.#flushClaims();
      if (this.#inflight.size === 0) break;
      await Promise.all(this.#inflight);
    }
    await this.#logChain;
    if (this.#error) throw this.#error;
  }

  async #close(): Promise<void> {
    await this.#part.close().catch(() => {});
    await this.#logHandle?.close().catch(() => {});
    if (this.#spool) await this.#spool.close().catch(() => {});
    await rm(this.spoolPath, { force: true });
  }
}

/**
 * Sizes `<out>.part` to the blob's length (sparse: nothing is written) once there is room for the rest of it: a
 * BlobId can name a blob of up to 2^53 bytes, and finding out that the disk is full after filling it helps
 * no one (nor do the other programs on it).
 * @throws Error when the file system has less space free than the blob still needs.
 */
async function sizePart(part: FileHandle, path: string, byteLength: number): Promise<void> {
  const held = (await part.stat()).blocks * 512;
  // A file system that cannot say how much is free is not a reason to fail: ENOSPC will say it later.
  const fs = await statfs(dirname(path)).catch(() => undefined);
  const free = fs === undefined ? Number.POSITIVE_INFINITY : fs.bavail * fs.bsize;
  if (byteLength - held > free) {
    throw new Error(
      `not enough disk space: the blob is ${byteLength} bytes and needs ${byteLength - held} more, ` +
        `${free} bytes are free for ${path}`,
    );
  }
  await part.truncate(byteLength);
}

/** Writes a file whole, through a temporary name, so a crash leaves either the old or the new one. */
async function writeWhole(path: string, parts: Uint8Array[]): Promise<void> {
  const tmp = `${path}.tmp`;
  const h = await open(tmp, CREATE);
  try {
    for (const p of parts) await h.write(p);
    await h.sync();
  } finally {
    await h.close();
  }
  await rename(tmp, path);
}
