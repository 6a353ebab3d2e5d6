import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Reads a JSON vector file that sits in the `vectors/` folder next to the calling test:
 * `loadVectors<T>(import.meta.url, 'quic-varint.json')`.
 */
export function loadVectors<T = unknown>(testFileUrl: string, name: string): T {
  return JSON.parse(readFileSync(vectorPath(testFileUrl, name), 'utf8')) as T;
}

/** Raw bytes of a fixture in the `vectors/` folder next to the calling test. */
export function loadFixture(testFileUrl: string, name: string): Uint8Array {
  const b = readFileSync(vectorPath(testFileUrl, name));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function vectorPath(testFileUrl: string, name: string): string {
  return fileURLToPath(new URL(`./vectors/${name}`, testFileUrl));
}
