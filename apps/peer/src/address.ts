import { PeerError } from './errors.ts';

/** A TCP endpoint. */
export interface PeerAddress {
  host: string;
  port: number;
}

/**
 * Parses `host:port`, `[v6]:port` or `:port` (host 127.0.0.1).
 * @throws PeerError `usage` for anything else or a port outside 1..65535.
 */
export function parseAddress(text: string): PeerAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || !(port >= 1 && port <= 65535)) {
    throw new PeerError('usage', `bad peer address '${text}': expected host:port (or [ipv6]:port)`);
  }
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

/** `host:port`, with brackets around an IPv6 host. */
export function formatAddress(a: PeerAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
