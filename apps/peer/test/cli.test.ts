import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { randomFile, tempDir } from './helpers.ts';

// The real CLI, run from source through tsx (tests never depend on a build).
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

function run(
  args: string[],
): ChildProcess & { stdoutText: Promise<string>; stderrText: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--conditions=@syncwire/source', '--import', 'tsx', cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return Object.assign(child, {
    stdoutText: exit.then(() => out),
    stderrText: () => err,
    exit,
  });
}

/** Resolves once the child's stdout contains `pattern`. */
function waitFor(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d;
      const m = pattern.exec(text);
      if (m) {
        child.stdout!.off('data', onData);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
    child.on('close', (code) => reject(new Error(`exited ${code} before ${pattern}: ${text}`)));
  });
}

test('the CLI serves a file, fetches it (exit 0, identical bytes), fails an unknown blob with 3, and drains on SIGINT', async () => {
  const dir = await tempDir();
  const { path, bytes } = await randomFile(dir, 'data.bin', 3 << 20, 21);
  const server = run(['serve', path, '--port', '0', '--quiet']);
  const line = await waitFor(server, /^([0-9a-f]{64}) (\d+) (.+)\nlistening on (\S+)\n/);
  const [, id, size, servedPath, address] = line;
  expect(Number(size)).toBe(bytes.length);
  expect(servedPath).toBe(path);

  const out = join(dir, 'copy.bin');
  const fetch = run(['fetch', id!, '--peer', address!, '--out', out, '--timeout', '20']);
  expect(await fetch.exit).toBe(0);
  expect(Buffer.compare(await readFile(out), bytes)).toBe(0);
  expect(await fetch.stdoutText).toMatch(new RegExp(`${out}: ${bytes.length} bytes, \\d+ chunks fetched`));

  const unknown = run(['fetch', 'cd'.repeat(32), '--peer', address!, '--out', join(dir, 'x.bin'), '-q']);
  expect(await unknown.exit).toBe(3);

  const usage = run(['fetch', 'cd'.repeat(32), '--out', join(dir, 'x.bin')]);
  expect(await usage.exit).toBe(2);
  const forever = run([
    'fetch',
    id!,
    '--peer',
    address!,
    '--out',
    join(dir, 'y.bin'),
    '--timeout',
    'Infinity',
  ]);
  expect(await forever.exit).toBe(2);
  expect(forever.stderrText()).toContain("syncwire-peer: usage: fetch: bad --timeout 'Infinity'");

  server.kill('SIGINT');
  expect(await server.exit).toBe(0);
}, 30_000);

test('Ctrl-C during a fetch exits 130 with a one-line message; SIGTERM stops a server with exit 0', async () => {
  const dir = await tempDir();
  // A peer that accepts the connection and never answers: the fetch waits until interrupted.
  let connected!: () => void;
  const seen = new Promise<void>((r) => (connected = r));
  const silent = createServer((s) => {
    s.on('error', () => {});
    connected();
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as AddressInfo).port;
  const out = join(dir, 'never.bin');
  const fetch = run(['fetch', 'ef'.repeat(32), '--peer', `127.0.0.1:${port}`, '--out', out]);
  await seen;
  fetch.kill('SIGINT');
  expect(await fetch.exit).toBe(130);
  expect(fetch.stderrText()).toContain('syncwire-peer: interrupted: nothing was verified yet');
  silent.close();

  const { path } = await randomFile(dir, 'small.bin', 10_000, 22);
  const server = run(['serve', path, '-q']);
  await waitFor(server, /listening on/);
  server.kill('SIGTERM');
  expect(await server.exit).toBe(0);
}, 30_000);
