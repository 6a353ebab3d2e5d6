import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * A static file server for a built dashboard. The file is read before `writeHead`, so a missing file
 * (favicon.ico…) answers 404 instead of failing after the headers went out. Paths cannot leave `root`.
 */
export function createStaticServer(root: string): Server {
  const base = resolve(root);
  return createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = resolve(join(base, path.endsWith('/') ? `${path}index.html` : path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(body);
  });
}

/** Listens on 127.0.0.1 (`port` 0 = any free port) and resolves with the page URL. */
export function listen(server: Server, port: number): Promise<string> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      const addr = server.address();
      ok(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : port}/`);
    });
  });
}

async function main(): Promise<void> {
  const root = process.argv[2] ?? 'dist';
  const wanted = Number(process.env.PORT ?? 4173);
  const server = createStaticServer(root);
  let url: string;
  try {
    url = await listen(server, wanted);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    url = await listen(server, 0); // the usual port is taken: any free one will do
  }
  console.log(`\n  syncwire dashboard: ${url}\n  (serving ${resolve(root)}; Ctrl+C to stop)\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
