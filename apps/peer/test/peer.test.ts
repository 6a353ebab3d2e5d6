import { access, readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fetchBlob, isPeerError, type PeerServer, servePeer } from '@syncwire/peer';
import { randomBytes } from '@syncwire/testkit';
import { afterEach, describe, expect, test } from 'vitest';
import { randomFile, tempDir } from './helpers.ts';

const servers: Array<PeerServer | Server> = [];
const rawSockets: Socket[] = [];
afterEach(async () => {
  for (const s of rawSockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) {
    if ('files' in s) await s.close({ force: true });
    else await new Promise((r) => s.close(r));
  }
});

async function serve(...args: Parameters<typeof servePeer>): Promise<PeerServer> {
  const s = await servePeer(...args);
  servers.push(s);
  return s;
}

/** A raw TCP server (a hostile or silent peer) that runs `onSocket` for each connection. */
async function rawServer(onSocket: (s: Socket) => void): Promise<{ port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    rawSockets.push(s);
    s.on('error', () => {});
    onSocket(s);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  if (a === null || typeof a === 'string') throw new Error('no address');
  return { port: a.port, sockets };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the promise to reject');
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

// Small manifest pages (256 records) so a few MiB make several pages, fetched from several peers out of order.
const SMALL_PAGES = { session: { pageBits: 8 }, swarm: { pageBits: 8 } } as const;

describe('fetch over TCP', () => {
  test('serve + fetch of a random 16 MiB file over several manifest pages is byte-identical', async () => {
    const dir = await tempDir();
    const { path, bytes } = await randomFile(dir, 'blob.bin', 16 << 20, 11);
    const server = await serve([path]);
    const file = server.files[0]!;
    expect(file.manifest.byteLength).toBe(bytes.length);
    expect(Math.ceil(file.manifest.chunkCount / 256)).toBeGreaterThanOrEqual(3);
    const out = join(dir, 'copy.bin');
    const r = await fetchBlob(file.idHex, { peers: [server.address], out, ...SMALL_PAGES });
    expect(Buffer.compare(await readFile(out), bytes)).toBe(0);
    expect(r).toMatchObject({
      blobId: file.idHex,
      byteLength: bytes.length,
      chunkCount: file.manifest.chunkCount,
      resumedChunks: 0,
      fetchedChunks: file.manifest.chunkCount,
      fetchedBytes: bytes.length,
    });
    // Nothing is left behind but the output.
    expect(await exists(`${out}.part`)).toBe(false);
    expect(await exists(`${out}.part.resume`)).toBe(false);
    expect(await exists(`${out}.part.spool`)).toBe(false);
    // The wire carried the blob once, plus framing and manifest (< 2 %).
    expect(r.peers[0]!.wireBytes).toBeGreaterThan(bytes.length);
    expect(r.peers[0]!.wireBytes).toBeLessThan(bytes.length * 1.02);
  });

  test('three peers at once, one serving corrupted chunks: byte-identical, the bad peer is dropped', async () => {
    const dir = await tempDir();
    const { path, bytes } = await randomFile(dir, 'blob.bin', 8 << 20, 12);
    const good1 = await serve([path]);
    const good2 = await serve([path]);
    const evil = await serve([path], {
      tamperChunk: (_id, _index, b) => {
        const c = Uint8Array.from(b);
        c[c.length >> 1]! ^= 0x40;
        return c;
      },
    });
    const out = join(dir, 'copy.bin');
    const logs: string[] = [];
    const r = await fetchBlob(good1.files[0]!.idHex, {
      peers: [evil.address, good1.address, good2.address],
      out,
      log: (l) => logs.push(l),
      ...SMALL_PAGES,
    });
    expect(Buffer.compare(await readFile(out), bytes)).toBe(0);
    const bad = r.peers.find((p) => p.peer.endsWith(`:${evil.address.port}`))!;
    expect(bad.chunks).toBe(0);
    expect(bad.misbehaviour).toBeGreaterThanOrEqual(4); // 4 bad chunks × 25 points reach maxScore 100
    expect(bad.closeReason).toMatch(/misbehav|score|error/i);
    expect(bad.closeReason!.split('misbehaved').length).toBe(2); // said once, not "<reason>: <same reason>"
    expect(evil.stats.chunksServed).toBeGreaterThanOrEqual(4);
    const honest = r.peers.filter((p) => p !== bad);
    expect(honest.reduce((n, p) => n + p.chunks, 0)).toBe(good1.files[0]!.manifest.chunkCount);
    expect(honest.every((p) => p.chunks > 0)).toBe(true); // both honest peers were used
    expect(logs.some((l) => l.includes('misbehaviour'))).toBe(true);
  });

  test('a connection killed mid-transfer: the next run resumes and fetches only the missing chunks', async () => {
    const dir = await tempDir();
    const { path, bytes } = await randomFile(dir, 'blob.bin', 8 << 20, 13);
    const first = await serve([path]);
    const chunkCount = first.files[0]!.manifest.chunkCount;
    const id = first.files[0]!.idHex;
    const out = join(dir, 'copy.bin');
    let killed = false;
    const e = await rejection(
      fetchBlob(id, {
        peers: [first.address],
        out,
        ...SMALL_PAGES,
        onProgress: (p) => {
          if (!killed && p.chunks >= chunkCount * 0.4) {
            killed = true;
            void first.close({ force: true }); // the serving process dies: sockets destroyed
          }
        },
      }),
    );
    expect(killed).toBe(true);
    expect(isPeerError(e) && e.code).toBe('unreachable');
    expect(await exists(`${out}.part`)).toBe(true);
    expect(await exists(`${out}.part.resume`)).toBe(true);
    expect(await exists(out)).toBe(false);

    // Another peer with the same file; it records which chunks it is asked for.
    const asked: number[] = [];
    const second = await serve([path], {
      tamperChunk: (_id, index, b) => {
        asked.push(index);
        return b;
      },
    });
    const r = await fetchBlob(id, { peers: [second.address], out, ...SMALL_PAGES });
    expect(Buffer.compare(await readFile(out), bytes)).toBe(0);
    expect(r.resumedChunks).toBeGreaterThanOrEqual(Math.floor(chunkCount * 0.4));
    expect(r.resumedChunks + r.fetchedChunks).toBe(chunkCount);
    expect(r.resumedBytes + r.fetchedBytes).toBe(bytes.length);
    // Only the missing chunks were asked for, each once.
    expect(new Set(asked).size).toBe(chunkCount - r.resumedChunks);
    expect(second.stats.chunkBytesServed).toBe(r.fetchedBytes);
  });

  test('an interrupted fetch (abort signal) resumes; a torn resume log and a corrupted .part are re-verified', async () => {
    const dir = await tempDir();
    const { path, bytes } = await randomFile(dir, 'blob.bin', 4 << 20, 14);
    const server = await serve([path]);
    const { chunkCount } = server.files[0]!.manifest;
    const out = join(dir, 'copy.bin');
    const ac = new AbortController();
    const e = await rejection(
      fetchBlob(server.files[0]!.idHex, {
        peers: [server.address],
        out,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.chunks >= chunkCount / 2) ac.abort();
        },
      }),
    );
    expect(isPeerError(e) && e.code).toBe('interrupted');
    // Damage the first chunk in .part and tear the log's last record: neither may be trusted.
    const { open, truncate, stat } = await import('node:fs/promises');
    const h = await open(`${out}.part`, 'r+');
    await h.write(Uint8Array.of(bytes[0]! ^ 1), 0, 1, 0);
    await h.close();
    await truncate(`${out}.part.resume`, (await stat(`${out}.part.resume`)).size - 2);
    const r = await fetchBlob(server.files[0]!.idHex, { peers: [server.address], out });
    expect(Buffer.compare(await readFile(out), bytes)).toBe(0);
    expect(r.resumedChunks).toBeGreaterThan(0);
    expect(r.resumedChunks).toBeLessThan(chunkCount);
    expect(r.resumedChunks + r.fetchedChunks).toBe(chunkCount);
  });
});

describe('hostile and absent peers', () => {
  test('an oversize length prefix is refused before buffering; the fetch completes from the honest peer', async () => {
    const dir = await tempDir();
    const { path, bytes } = await randomFile(dir, 'blob.bin', 2 << 20, 15);
    const good = await serve([path]);
    let written = 0;
    const hostile = await rawServer((s) => {
      // Declares a 1 GiB frame, then streams zeros as fast as the socket takes them.
      s.write(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x04));
      const zeros = new Uint8Array(64 * 1024);
      const pump = () => {
        while (!s.destroyed && written < 256 << 20 && s.write(zeros)) written += zeros.length;
      };
      s.on('drain', pump);
      pump();
    });
    const out = join(dir, 'copy.bin');
    const logs: string[] = [];
    const r = await fetchBlob(good.files[0]!.idHex, {
      peers: [`127.0.0.1:${hostile.port}`, good.address],
      out,
      log: (l) => logs.push(l),
    });
    expect(Buffer.compare(await readFile(out), bytes)).toBe(0);
    const bad = r.peers.find((p) => p.peer.endsWith(`:${hostile.port}`))!;
    expect(bad.closeReason).toMatch(/bad frame.*limit/);
    expect(bad.misbehaviour).toBe(1);
    expect(bad.chunks).toBe(0);
    // The socket was dropped right away: only what was already in flight was read, nothing was kept.
    expect(bad.wireBytes).toBeLessThan(16 << 20);
    expect(logs.some((l) => l.includes('bad frame'))).toBe(true);
  });

  test('garbage frames (bad CRC) from a peer end its connection; garbage sent to a server does not stop it', async () => {
    const dir = await tempDir();
    const { path, bytes } = await randomFile(dir, 'blob.bin', 1 << 20, 16);
    // A "peer" that answers with frames of random bytes that have a plausible length.
    const junk = await rawServer((s) => {
      const g = randomBytes(4096, 99);
      for (let i = 0; i < 16; i++) s.write(Uint8Array.of(100, ...g.subarray(i * 104, i * 104 + 104)));
    });
    const out = join(dir, 'junk.bin');
    const e = await rejection(
      fetchBlob('00'.repeat(32), { peers: [`127.0.0.1:${junk.port}`], out, timeoutMs: 10_000 }),
    );
    expect(isPeerError(e) && e.code).toBe('misbehaved');
    expect((e as Error).message).toMatch(/corrupt frame/);

    // Now garbage aimed at a serving peer: random bytes, then an oversize prefix, on two connections.
    const logs: string[] = [];
    const server = await serve([path], { log: (l) => logs.push(l) });
    const { connect } = await import('node:net');
    const sendGarbage = (payload: Uint8Array) =>
      new Promise<void>((resolve) => {
        const c = connect(server.address.port, '127.0.0.1', () => c.write(payload));
        c.on('error', () => {});
        c.resume(); // read, so a reset is noticed
        c.on('close', () => resolve());
      });
    await Promise.all([
      sendGarbage(randomBytes(100_000, 7)),
      sendGarbage(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f)),
    ]);
    expect(logs.filter((l) => /^\S+: (bad frame|peer sent a corrupt frame)/.test(l)).length).toBe(2);
    const r = await fetchBlob(server.files[0]!.idHex, { peers: [server.address], out: join(dir, 'ok.bin') });
    expect(r.fetchedBytes).toBe(bytes.length);
    expect(server.stats.connections).toBe(3);
  });

  test('an unknown blob id fails cleanly with unknown-blob and leaves no files', async () => {
    const dir = await tempDir();
    const { path } = await randomFile(dir, 'blob.bin', 100_000, 17);
    const a = await serve([path]);
    const b = await serve([path]);
    const out = join(dir, 'nothing.bin');
    const e = await rejection(fetchBlob('ab'.repeat(32), { peers: [a.address, b.address], out }));
    expect(isPeerError(e) && e.code).toBe('unknown-blob');
    expect((e as Error).message).toContain('ab'.repeat(32));
    expect(await exists(`${out}.part`)).toBe(false);
    expect(await exists(`${out}.part.resume`)).toBe(false);
    expect(a.stats.refused + b.stats.refused).toBeGreaterThanOrEqual(2);
  });

  test('no reachable peer, a silent peer with a deadline, and bad arguments fail with their codes', async () => {
    const dir = await tempDir();
    const out = join(dir, 'x.bin');
    const closed = await rawServer(() => {});
    const port = closed.port;
    await new Promise((r) => (servers.pop() as Server).close(r)); // nothing listens there now
    const e1 = await rejection(fetchBlob('00'.repeat(32), { peers: [`127.0.0.1:${port}`], out }));
    expect(isPeerError(e1) && e1.code).toBe('unreachable');
    expect((e1 as Error).message).toMatch(/ECONNREFUSED/);

    const silent = await rawServer(() => {}); // accepts, never speaks
    const t = Date.now();
    const e2 = await rejection(
      fetchBlob('00'.repeat(32), { peers: [`127.0.0.1:${silent.port}`], out, timeoutMs: 400 }),
    );
    expect(isPeerError(e2) && e2.code).toBe('timeout');
    expect(Date.now() - t).toBeLessThan(3000);
    expect(silent.sockets.length).toBe(1);

    for (const [id, peers] of [
      ['xyz', ['127.0.0.1:1']],
      ['00'.repeat(32), []],
      ['00'.repeat(32), ['localhost']],
      ['00'.repeat(32), ['127.0.0.1:70000']],
    ] as const) {
      const e = await rejection(fetchBlob(id, { peers, out }));
      expect(isPeerError(e) && e.code).toBe('usage');
    }
  });
});

test('a dropped connection is redialled and the same run completes', async () => {
  const dir = await tempDir();
  const { path, bytes } = await randomFile(dir, 'blob.bin', 6 << 20, 18);
  const server = await serve([path]);
  const { chunkCount } = server.files[0]!.manifest;
  const out = join(dir, 'copy.bin');
  const logs: string[] = [];
  let dropped = 0;
  const r = await fetchBlob(server.files[0]!.idHex, {
    peers: [server.address],
    out,
    log: (l) => logs.push(l),
    onProgress: (p) => {
      if (dropped === 0 && p.chunks >= chunkCount / 3) {
        dropped++;
        for (const c of server.connections) c.destroy('test: link cut'); // the server stays up
      }
    },
  });
  expect(dropped).toBe(1);
  expect(Buffer.compare(await readFile(out), bytes)).toBe(0);
  expect(server.stats.connections).toBe(2);
  expect(logs.some((l) => /reconnecting in 250 ms/.test(l))).toBe(true);
  // Chunks verified before the cut were not fetched again.
  expect(server.stats.chunksServed).toBeLessThan(chunkCount + 64);
  expect(r.fetchedChunks).toBe(chunkCount);
});

test('an empty file is served and fetched; an output in a missing directory fails with io', async () => {
  const dir = await tempDir();
  const { path } = await randomFile(dir, 'empty.bin', 0, 1);
  const server = await serve([path]);
  expect(server.files[0]!.manifest.chunkCount).toBe(0);
  const out = join(dir, 'empty-copy.bin');
  const r = await fetchBlob(server.files[0]!.idHex, { peers: [server.address], out });
  expect(r).toMatchObject({ byteLength: 0, chunkCount: 0, fetchedChunks: 0 });
  expect((await readFile(out)).length).toBe(0);

  const e = await rejection(
    fetchBlob(server.files[0]!.idHex, { peers: [server.address], out: join(dir, 'no', 'such', 'dir.bin') }),
  );
  expect(isPeerError(e) && e.code).toBe('io');
  const e2 = await rejection(servePeer([join(dir, 'missing.bin')]));
  expect(isPeerError(e2) && e2.code).toBe('io');
  expect((e2 as Error).message).toMatch(/missing\.bin: ENOENT/);
});

test('a server refuses connections above maxConnections and keeps serving the others', async () => {
  const dir = await tempDir();
  const { path, bytes } = await randomFile(dir, 'blob.bin', 300_000, 19);
  const server = await serve([path], { maxConnections: 1 });
  const { connect } = await import('node:net');
  const idle = connect(server.address.port, '127.0.0.1');
  idle.on('error', () => {});
  await new Promise((r) => idle.once('connect', r));
  await new Promise((r) => setTimeout(r, 50));
  const e = await rejection(
    fetchBlob(server.files[0]!.idHex, { peers: [server.address], out: join(dir, 'a.bin'), reconnects: 0 }),
  );
  expect(isPeerError(e) && e.code).toBe('unreachable');
  idle.destroy();
  await new Promise((r) => setTimeout(r, 50));
  const r = await fetchBlob(server.files[0]!.idHex, { peers: [server.address], out: join(dir, 'b.bin') });
  expect(r.fetchedBytes).toBe(bytes.length);
});

test('a server refuses connections above maxPerHost from one address and serves it again once they close', async () => {
  const dir = await tempDir();
  const { path, bytes } = await randomFile(dir, 'blob.bin', 300_000, 21);
  const server = await serve([path], { maxPerHost: 2 });
  const { connect } = await import('node:net');
  const idle = [0, 1].map(() => connect(server.address.port, '127.0.0.1').on('error', () => {}));
  await Promise.all(idle.map((s) => new Promise((r) => s.once('connect', r))));
  await new Promise((r) => setTimeout(r, 50));
  const e = await rejection(
    fetchBlob(server.files[0]!.idHex, { peers: [server.address], out: join(dir, 'a.bin'), reconnects: 0 }),
  );
  expect(isPeerError(e) && e.code).toBe('unreachable');
  expect(server.stats.open).toBe(2);
  idle[0]!.destroy();
  await new Promise((r) => setTimeout(r, 50));
  const r = await fetchBlob(server.files[0]!.idHex, { peers: [server.address], out: join(dir, 'b.bin') });
  expect(r.fetchedBytes).toBe(bytes.length);
  idle[1]!.destroy();
});

test('a server shutting down gracefully mid-transfer drains and says BYE; the other peer finishes the blob', async () => {
  const dir = await tempDir();
  const { path, bytes } = await randomFile(dir, 'blob.bin', 6 << 20, 20);
  const leaving = await serve([path]);
  const staying = await serve([path]);
  const { chunkCount } = leaving.files[0]!.manifest;
  let closing: Promise<void> | undefined;
  const r = await fetchBlob(leaving.files[0]!.idHex, {
    peers: [leaving.address, staying.address],
    out: join(dir, 'copy.bin'),
    onProgress: (p) => {
      if (closing === undefined && p.chunks >= chunkCount / 3) closing = leaving.close();
    },
  });
  await closing;
  expect(Buffer.compare(await readFile(join(dir, 'copy.bin')), bytes)).toBe(0);
  const gone = r.peers.find((p) => p.peer.endsWith(`:${leaving.address.port}`))!;
  expect(gone.closeReason).toMatch(/BYE/);
  expect(gone.misbehaviour).toBe(0);
  expect(gone.chunks).toBeGreaterThan(0);
  expect(gone.chunks).toBeLessThan(chunkCount);
  expect(leaving.stats.open).toBe(0);
});

test('a disk slower than the network pauses the sockets instead of buffering, and the fetch still completes', async () => {
  const dir = await tempDir();
  const { path, bytes } = await randomFile(dir, 'blob.bin', 4 << 20, 23);
  const a = await serve([path]);
  const b = await serve([path]);
  const out = join(dir, 'copy.bin');
  // A 64 KiB write buffer: reading pauses whenever a few chunks wait for the disk.
  const r = await fetchBlob(a.files[0]!.idHex, { peers: [a.address, b.address], out, writeBuffer: 64 << 10 });
  expect(Buffer.compare(await readFile(out), bytes)).toBe(0);
  expect(r.pauses).toBeGreaterThan(0);
  const big = await fetchBlob(a.files[0]!.idHex, { peers: [a.address], out: join(dir, 'copy2.bin') });
  expect(big.pauses).toBe(0); // 16 MiB default: a local disk keeps up with 4 MiB
});

test('a deadline longer than setTimeout can hold (24.8 days) is not a deadline of 1 ms; bad ones are usage errors', async () => {
  const dir = await tempDir();
  const silent = await rawServer(() => {}); // accepts, never speaks
  const peers = [`127.0.0.1:${silent.port}`];
  const out = join(dir, 'x.bin');
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 300);
  const e = await rejection(
    fetchBlob('00'.repeat(32), {
      peers,
      out,
      timeoutMs: 30 * 86_400_000,
      connectTimeoutMs: 2 ** 32,
      signal: ac.signal,
    }),
  );
  expect(isPeerError(e) && e.code).toBe('interrupted');
  for (const bad of [
    { timeoutMs: Number.NaN },
    { timeoutMs: -1 },
    { timeoutMs: Number.POSITIVE_INFINITY },
    { connectTimeoutMs: 0 },
    { connectTimeoutMs: Number.NaN },
    { reconnects: -1 },
  ]) {
    const e2 = await rejection(fetchBlob('00'.repeat(32), { peers, out, ...bad }));
    expect([isPeerError(e2) && e2.code, (e2 as Error).message]).toEqual([
      'usage',
      expect.stringMatching(/^fetch: /),
    ]);
  }
});

test('an --out that is a directory fails with io before anything is fetched, leaving no files', async () => {
  const dir = await tempDir();
  const { path } = await randomFile(dir, 'blob.bin', 300_000, 24);
  const server = await serve([path]);
  const { mkdir } = await import('node:fs/promises');
  const out = join(dir, 'existing-dir');
  await mkdir(out);
  const e = await rejection(fetchBlob(server.files[0]!.idHex, { peers: [server.address], out }));
  expect(isPeerError(e) && e.code).toBe('io');
  expect((e as Error).message).toMatch(/existing-dir.*is a directory/);
  expect(server.stats.chunksServed).toBe(0);
  expect(await exists(`${out}.part`)).toBe(false);
  expect(await exists(`${out}.part.resume`)).toBe(false);
});

test('a .part (or resume log) planted as a symlink is not followed: the file it points to is left alone', async () => {
  const dir = await tempDir();
  const { path, bytes } = await randomFile(dir, 'blob.bin', 300_000, 25);
  const server = await serve([path]);
  const { symlink, writeFile, rm } = await import('node:fs/promises');
  const victim = join(dir, 'victim.txt');
  await writeFile(victim, 'precious');
  const out = join(dir, 'copy.bin');
  for (const planted of [`${out}.part`, `${out}.part.resume.tmp`]) {
    await symlink(victim, planted);
    const e = await rejection(fetchBlob(server.files[0]!.idHex, { peers: [server.address], out }));
    expect(isPeerError(e) && e.code).toBe('io');
    expect((e as Error).message).toMatch(/ELOOP|symbolic link/);
    expect(await readFile(victim, 'utf8')).toBe('precious');
    await rm(planted);
  }
  await fetchBlob(server.files[0]!.idHex, { peers: [server.address], out });
  expect(Buffer.compare(await readFile(out), bytes)).toBe(0);
});

test('serving something that is not a regular file (a device that never ends, a directory) fails with io at once', async () => {
  const dir = await tempDir();
  const { execFileSync } = await import('node:child_process');
  execFileSync('mkfifo', [join(dir, 'fifo')]); // opening it for reading would wait for a writer forever
  for (const [path, why] of [
    ['/dev/zero', /\/dev\/zero: not a regular file/],
    [join(dir, 'fifo'), /fifo: not a regular file/],
    [dir, /not a regular file/],
  ] as const) {
    const e = await rejection(servePeer([path]));
    expect(isPeerError(e) && e.code).toBe('io');
    expect((e as Error).message).toMatch(why);
  }
}, 5000);

test('bad session or swarm options are thrown by fetchBlob before anything is opened (not an unhandled rejection later)', async () => {
  const dir = await tempDir();
  const { path } = await randomFile(dir, 'blob.bin', 100_000, 26);
  const server = await serve([path]);
  const out = join(dir, 'copy.bin');
  for (const bad of [{ session: { maxFrame: 1 } }, { swarm: { pipeline: 0 } }]) {
    const e = await rejection(fetchBlob(server.files[0]!.idHex, { peers: [server.address], out, ...bad }));
    expect(e).toBeInstanceOf(RangeError);
    expect(await exists(`${out}.part`)).toBe(false);
    expect(await exists(`${out}.part.resume`)).toBe(false);
  }
});
