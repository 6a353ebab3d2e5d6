import { existsSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { parseAddress } from './address.ts';
import { isPeerError, PeerError } from './errors.ts';
import { type FetchProgress, fetchBlob } from './fetch.ts';
import { servePeer } from './server.ts';

const USAGE = `syncwire-peer — serve files to peers, fetch blobs from many peers at once (verified, resumable)

usage:
  syncwire-peer serve <file...> [--host 127.0.0.1] [--port 0] [--max-connections 64] [--max-per-host 16] [--quiet]
  syncwire-peer fetch <blobId> --peer host:port [--peer host:port ...] --out <file>
                      [--timeout <seconds>] [--verbose | --quiet]

serve prints "<blobId> <bytes> <path>" per file, then "listening on <host:port>"; Ctrl-C drains and exits 0.
fetch writes <file>.part (+ .part.resume) and renames it when complete; run it again to resume.
exit codes: 0 done, 1 internal error, 2 usage, 3 unknown blob, 4 no peer reachable, 5 timeout,
            6 peer misbehaved, 7 blob unavailable from the peers, 8 file error, 130 interrupted`;

/** Runs the CLI with `argv` (without `node` and the script); resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === 'serve') return await serve(rest);
    if (command === 'fetch') return await fetch(rest);
    if (command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    throw new PeerError('usage', command === undefined ? 'missing command' : `unknown command '${command}'`);
  } catch (e) {
    if (isPeerError(e)) {
      process.stderr.write(`syncwire-peer: ${e.code}: ${e.message}\n`);
      if (e.code === 'usage') process.stderr.write(`${USAGE}\n`);
      return e.exitCode;
    }
    process.stderr.write(`syncwire-peer: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}

function args(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new PeerError('usage', (e as Error).message);
  }
}

const logTo =
  (quiet: boolean) =>
  (line: string): void => {
    if (!quiet) process.stderr.write(`${line}\n`);
  };

async function serve(argv: readonly string[]): Promise<number> {
  const { values, positionals } = args(argv, {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    'max-connections': { type: 'string', default: '64' },
    'max-per-host': { type: 'string', default: '16' },
    quiet: { type: 'boolean', short: 'q', default: false },
  });
  if (positionals.length === 0) throw new PeerError('usage', 'serve: at least one file is needed');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new PeerError('usage', `serve: bad --port '${values.port}'`);
  }
  const maxConnections = Number(values['max-connections']);
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new PeerError('usage', `serve: bad --max-connections '${values['max-connections']}'`);
  }
  const maxPerHost = Number(values['max-per-host']);
  if (!Number.isInteger(maxPerHost) || maxPerHost < 1) {
    throw new PeerError('usage', `serve: bad --max-per-host '${values['max-per-host']}'`);
  }
  const server = await servePeer(positionals, {
    host: values.host as string,
    port,
    maxConnections,
    maxPerHost,
    log: logTo(values.quiet as boolean),
  });
  // Signal handlers first: whoever reads "listening on" may signal us at once.
  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      if (stopping) {
        process.stderr.write(`syncwire-peer: ${signal} again, exiting now\n`);
        process.exit(130);
      }
      stopping = true;
      logTo(values.quiet as boolean)(`${signal}: draining ${server.connections.size} connection(s)`);
      server.close().then(resolve, resolve);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  for (const f of server.files) {
    process.stdout.write(`${f.idHex} ${f.manifest.byteLength} ${f.path}\n`);
  }
  const a = server.address;
  process.stdout.write(`listening on ${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}\n`);
  await stopped;
  return 0;
}

async function fetch(argv: readonly string[]): Promise<number> {
  const { values, positionals } = args(argv, {
    peer: { type: 'string', multiple: true, short: 'p' },
    out: { type: 'string', short: 'o' },
    timeout: { type: 'string' },
    quiet: { type: 'boolean', short: 'q', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
  });
  if (positionals.length !== 1) throw new PeerError('usage', 'fetch: exactly one blob id is needed');
  const peers = ((values.peer as string[] | undefined) ?? []).map(parseAddress);
  const out = values.out as string | undefined;
  if (out === undefined) throw new PeerError('usage', 'fetch: --out <file> is needed');
  const timeout = values.timeout === undefined ? 0 : Number(values.timeout);
  if (!(Number.isFinite(timeout) && timeout >= 0)) {
    throw new PeerError('usage', `fetch: bad --timeout '${values.timeout}' (seconds, 0 for none)`);
  }
  const quiet = values.quiet as boolean;
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const tty = process.stderr.isTTY && !quiet;
  let lastDraw = 0;
  const started = Date.now();
  const draw = (p: FetchProgress, force = false): void => {
    const now = Date.now();
    if (!tty || (!force && now - lastDraw < 200)) return;
    lastDraw = now;
    const pct = p.byteLength > 0 ? ((100 * p.bytes) / p.byteLength).toFixed(1) : '0.0';
    const rate = p.bytes / 1e6 / Math.max(0.001, (now - started) / 1000);
    process.stderr.write(
      `\r${pct}% ${mib(p.bytes)}/${mib(p.byteLength)} MiB, ${rate.toFixed(1)} MB/s, ${p.peers} peer(s)   `,
    );
  };
  const verbose = values.verbose as boolean;
  const log = (line: string, level: 'info' | 'warn'): void => {
    if (quiet || (level === 'info' && !verbose)) return;
    process.stderr.write(tty ? `\r\x1b[K${line}\n` : `${line}\n`);
  };
  try {
    const r = await fetchBlob(positionals[0]!, {
      peers,
      out,
      timeoutMs: timeout * 1000,
      signal: controller.signal,
      log,
      onProgress: draw,
    });
    if (tty) process.stderr.write('\r\x1b[K');
    const secs = r.elapsedMs / 1000;
    const from = r.peers.filter((p) => p.chunks > 0).map((p) => `${p.peer} ${p.chunks}`);
    process.stdout.write(
      `${r.out}: ${r.byteLength} bytes, ${r.fetchedChunks} chunks fetched` +
        (r.resumedChunks > 0 ? `, ${r.resumedChunks} resumed` : '') +
        ` in ${secs.toFixed(2)} s (${(r.fetchedBytes / 1e6 / Math.max(secs, 0.001)).toFixed(1)} MB/s)` +
        (from.length > 0 ? `; chunks per peer: ${from.join(', ')}` : '') +
        '\n',
    );
    return 0;
  } catch (e) {
    if (tty) process.stderr.write('\r\x1b[K');
    if (isPeerError(e) && e.code === 'interrupted') {
      const kept = existsSync(`${out}.part.resume`)
        ? `verified chunks kept in ${out}.part; run again to resume`
        : 'nothing was verified yet';
      process.stderr.write(`syncwire-peer: interrupted: ${kept}\n`);
      return e.exitCode;
    }
    throw e;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

const mib = (n: number): string => (n / 1048576).toFixed(1);
