import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from '@syncwire/testkit';
import { onTestFinished } from 'vitest';

/** A temporary directory, removed when the calling test finishes. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'syncwire-peer-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `size` seeded random bytes to `dir/name`; returns the path and the bytes. */
export async function randomFile(
  dir: string,
  name: string,
  size: number,
  seed: number,
): Promise<{ path: string; bytes: Uint8Array }> {
  const bytes = randomBytes(size, seed);
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, bytes };
}
