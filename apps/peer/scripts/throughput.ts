/**
 * Fetch throughput over localhost: one `syncwire-peer serve` process per peer (the real CLI), a random file of
 * SIZE_MIB (default 64) MiB, and RUNS (default 5) fetches from 1 peer and from 3 peers, interleaved so machine
 * noise hits both alike. Prints the median, min and max MB/s of each. Run: `npm run throughput -w apps/peer`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchBlob } from '@syncwire/peer';
import { Prng } from '@syncwire/testkit';

const sizeMiB = Number(process.env.SIZE_MIB ?? 64);
const runs = Number(process.env.RUNS ?? 5);
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

const dir = await mkdtemp(join(tmpdir(), 'syncwire-throughput-'));
const children: ChildProcess[] = [];
try {
  const prng = new Prng(2024);
  const bytes = new Uint8Array(sizeMiB << 20);
  for (let at = 0; at < bytes.length; at += 1 << 20) bytes.set(prng.bytes(1 << 20), at);
  const file = join(dir, 'blob.bin');
  await writeFile(file, bytes);

  const serve = (): Promise<{ id: string; address: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--conditions=@syncwire/source', '--import', 'tsx', cli, 'serve', file, '--quiet'],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      children.push(child);
      let text = '';
      child.stdout!.on('data', (d) => {
        text += d;
        const m = /^([0-9a-f]{64}) \d+ .+\nlistening on (\S+)\n/.exec(text);
        if (m) resolve({ id: m[1]!, address: m[2]! });
      });
      child.on('close', (code) => reject(new Error(`serve exited ${code}`)));
    });
  const servers = await Promise.all([serve(), serve(), serve()]);
  const id = servers[0]!.id;
  const out = join(dir, 'copy.bin');
  const rates: Record<number, number[]> = { 1: [], 3: [] };
  const split: Record<number, string> = {};
  /** The fetching process's CPU time over wall time (1 = one core busy). */
  const cpuShare: Record<number, number[]> = { 1: [], 3: [] };
  for (let r = 0; r < runs; r++) {
    for (const n of [1, 3]) {
      await rm(out, { force: true });
      const t = performance.now();
      const cpu0 = process.cpuUsage();
      const res = await fetchBlob(id, {
        peers: servers.slice(0, n).map((s) => s.address),
        out,
        ...(process.env.PIPELINE ? { swarm: { pipeline: Number(process.env.PIPELINE) } } : {}),
      });
      const secs = (performance.now() - t) / 1000;
      rates[n]!.push(bytes.length / 1e6 / secs);
      const cpu = process.cpuUsage(cpu0);
      cpuShare[n]!.push((cpu.user + cpu.system) / 1e6 / secs);
      split[n] = res.peers.map((p) => p.chunks).join('/');
      if (r === 0 && Buffer.compare(await readFile(out), bytes) !== 0) throw new Error('copy differs');
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  console.log(
    `${sizeMiB} MiB, ${runs} runs each, node ${process.version}, ${cpus().length} x ${cpus()[0]?.model}`,
  );
  for (const n of [1, 3]) {
    const xs = rates[n]!;
    console.log(
      `${n} peer(s): median ${median(xs).toFixed(1)} MB/s (min ${Math.min(...xs).toFixed(1)}, max ` +
        `${Math.max(...xs).toFixed(1)}); fetching process busy ${(100 * median(cpuShare[n]!)).toFixed(0)} % ` +
        `of a core; chunks per peer in the last run: ${split[n]}`,
    );
  }
} finally {
  for (const c of children) c.kill('SIGINT');
  await rm(dir, { recursive: true, force: true });
}
