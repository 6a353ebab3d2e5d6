import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ReedSolomonErasure } from '@digitaldefiance/reed-solomon-erasure.wasm';
import { ReedSolomon } from '@syncwire/reed-solomon';
import { Prng } from '@syncwire/testkit';
import type { CaseSpec, Suite } from '../src/registry.ts';

// Issue 5's speed targets, all in one run, single thread, MB/s of *data* in (k × shard bytes per op):
// 10+4 with 64 KiB shards and 4+2 with 1 MiB shards; encode all parity, and reconstruct the first m data
// shards from the other k. Peers:
// - @ronomon/reed-solomon: a native C addon (Cauchy bit-matrix XOR code — a different, incompatible code).
//   Its API is async only (work runs on one libuv pool thread). The harness times synchronous calls, so a
//   worker thread drives it and the main thread blocks on an Atomics handshake until the worker's batch of
//   `BATCH` back-to-back calls is done: one handshake per batch, the same batch our impl runs per call.
//   It aborts the process on zero-length buffers, so no case here ever passes one. Skipped (with a note) if
//   its native binding cannot be loaded.
// - @digitaldefiance/reed-solomon-erasure.wasm: the Rust reed-solomon-erasure crate compiled to (non-SIMD)
//   WASM, the same code as ours; its API copies the whole flat shard buffer in and out of WASM per call.

const BATCH = 4;

interface Shape {
  k: number;
  m: number;
  shard: number;
  label: string;
}

const SHAPES: Shape[] = [
  { k: 10, m: 4, shard: 64 * 1024, label: '10+4/64KiB' },
  { k: 4, m: 2, shard: 1024 * 1024, label: '4+2/1MiB' },
];

/** Source of the ronomon worker: set-up messages, then batches triggered through the shared control words. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const RS = require(workerData.modulePath);
const ctl = new Int32Array(workerData.control);
const jobs = new Map();
parentPort.on('message', (msg) => {
  const data = Buffer.from(msg.data);
  const parity = Buffer.from(msg.parity);
  jobs.set(msg.id, { ...msg, ctx: RS.create(msg.k, msg.m), data, parity });
  Atomics.store(ctl, 2, msg.id);
  Atomics.notify(ctl, 2);
});
let seen = 0;
function runBatch() {
  const job = jobs.get(Atomics.load(ctl, 1));
  let left = Atomics.load(ctl, 3);
  let failed = 0;
  const one = () => {
    if (left-- === 0) {
      Atomics.store(ctl, 4, failed);
      Atomics.store(ctl, 5, seen);
      Atomics.notify(ctl, 5);
      return wait();
    }
    try {
      RS.encode(job.ctx, job.sources, job.targets, job.data, 0, job.data.length, job.parity, 0, job.parity.length,
        (err) => { if (err) failed = 1; one(); });
    } catch (e) {
      failed = 1;
      left = 0;
      one();
    }
  };
  one();
}
function wait() {
  const r = Atomics.waitAsync(ctl, 0, seen);
  const go = () => { seen = Atomics.load(ctl, 0); runBatch(); };
  if (r.async) r.value.then(go); else go();
}
wait();
`;

/** Runs @ronomon/reed-solomon synchronously from the main thread's point of view (see the header note). */
class RonomonDriver {
  readonly #worker: Worker;
  readonly #ctl = new Int32Array(new SharedArrayBuffer(6 * 4));
  #nextId = 1;
  #seq = 0;

  constructor(modulePath: string) {
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // Plain CommonJS: without this the worker would inherit tsx's loader flags and boot through the loader
      // thread, which can need the (then blocked) main thread.
      execArgv: [],
      workerData: { modulePath, control: this.#ctl.buffer },
    });
    this.#worker.unref();
  }

  /**
   * Registers a job over fresh shared buffers (k data shards, seeded, and m parity shards); returns a batch
   * runner. `sources`/`targets` are ronomon's bit masks of present and wanted shards.
   */
  job(s: Shape, sources: number, targets: number): () => void {
    const id = this.#nextId++;
    const data = new SharedArrayBuffer(s.k * s.shard);
    new Prng(s.k * 1000 + s.m).fill(new Uint8Array(data));
    const parity = new SharedArrayBuffer(s.m * s.shard);
    this.#worker.postMessage({ id, k: s.k, m: s.m, data, parity, sources, targets });
    const deadline = Date.now() + 30_000;
    while (Atomics.load(this.#ctl, 2) !== id) {
      if (Date.now() > deadline) throw new Error('@ronomon/reed-solomon worker did not start');
      Atomics.wait(this.#ctl, 2, Atomics.load(this.#ctl, 2), 1000);
    }
    return () => {
      const seq = ++this.#seq;
      Atomics.store(this.#ctl, 1, id);
      Atomics.store(this.#ctl, 3, BATCH);
      Atomics.store(this.#ctl, 0, seq);
      Atomics.notify(this.#ctl, 0);
      const deadline = Date.now() + 60_000;
      while (Atomics.load(this.#ctl, 5) !== seq) {
        if (Date.now() > deadline) throw new Error('@ronomon/reed-solomon worker stalled');
        Atomics.wait(this.#ctl, 5, seq - 1, 1000);
      }
      if (Atomics.load(this.#ctl, 4) !== 0) throw new Error('@ronomon/reed-solomon: encode failed');
    };
  }
}

function loadRonomon(): RonomonDriver | undefined {
  try {
    const require = createRequire(import.meta.url);
    const path = require.resolve('@ronomon/reed-solomon');
    require(path); // throws here, not in the worker, if the native binding is missing
    return new RonomonDriver(path);
  } catch (e) {
    console.warn(
      `reed-solomon bench: @ronomon/reed-solomon unavailable, skipping it (${(e as Error).message})`,
    );
    return undefined;
  }
}

function loadRse(): ReedSolomonErasure {
  const require = createRequire(import.meta.url);
  return ReedSolomonErasure.fromBytes(
    readFileSync(require.resolve('@digitaldefiance/reed-solomon-erasure.wasm/wasm')),
  );
}

/** k + m shards as views of one ordinary buffer (data first), data filled from a fixed seed. */
function makeShards(s: Shape): { flat: Uint8Array; shards: Uint8Array[] } {
  const flat = new Uint8Array((s.k + s.m) * s.shard);
  new Prng(s.k * 1000 + s.m).fill(flat.subarray(0, s.k * s.shard));
  const shards = Array.from({ length: s.k + s.m }, (_, i) => flat.subarray(i * s.shard, (i + 1) * s.shard));
  return { flat, shards };
}

const suite: Suite = () => {
  const ronomon = loadRonomon();
  const rse = loadRse();
  const cases: CaseSpec[] = [];
  for (const s of SHAPES) {
    const rs = new ReedSolomon(s.k, s.m);
    const table = new ReedSolomon(s.k, s.m, { kernel: 'table' });
    const bytesPerOp = s.k * s.shard;

    // Encode: parity written in place into preallocated shards by every impl. Ours: shards from
    // rs.allocateShards (in the SIMD kernel's memory, no staging copies); the plain-array row below shows the
    // copying path any Uint8Array takes.
    const enc = makeShards(s);
    rs.encode(enc.shards);
    const own = rs.allocateShards(s.shard);
    enc.shards.forEach((x, i) => {
      (own[i] as Uint8Array).set(x);
    });
    const rseFlat = enc.flat.slice(); // rse wants an ordinary buffer holding data + parity slots
    const encImpls: CaseSpec['impls'] = {
      syncwire: () => {
        for (let i = 0; i < BATCH; i++) rs.encode(own);
      },
      '@syncwire/reed-solomon (plain Uint8Arrays, copying)': () => {
        for (let i = 0; i < BATCH; i++) rs.encode(enc.shards);
      },
    };
    if (ronomon) {
      let sources = 0;
      let targets = 0;
      for (let i = 0; i < s.k; i++) sources |= 1 << i;
      for (let i = s.k; i < s.k + s.m; i++) targets |= 1 << i;
      encImpls['@ronomon/reed-solomon (native, other code)'] = ronomon.job(s, sources, targets);
    }
    encImpls['@digitaldefiance/reed-solomon-erasure.wasm'] = () => {
      for (let i = 0; i < BATCH; i++)
        if (rse.encode(rseFlat, s.k, s.m) !== 0) throw new Error('rse encode failed');
    };
    encImpls['@syncwire/reed-solomon (table kernel)'] = () => {
      for (let i = 0; i < BATCH; i++) table.encode(enc.shards);
    };
    cases.push({ name: `reed-solomon/encode/${s.label}`, opsPerCall: BATCH, bytesPerOp, impls: encImpls });

    // Reconstruct the first m data shards from the other k (m - 0 .. k + m - 1).
    const rec = makeShards(s);
    rs.encode(rec.shards);
    const present = rec.shards.map((_, i) => i >= s.m);
    const ownRec = rs.allocateShards(s.shard);
    rec.shards.forEach((x, i) => {
      (ownRec[i] as Uint8Array).set(x);
    });
    const recImpls: CaseSpec['impls'] = {
      syncwire: () => {
        for (let i = 0; i < BATCH; i++) rs.reconstructData(ownRec, present);
      },
      '@syncwire/reed-solomon (plain Uint8Arrays, copying)': () => {
        for (let i = 0; i < BATCH; i++) rs.reconstructData(rec.shards, present);
      },
    };
    if (ronomon) {
      let sources = 0;
      let targets = 0;
      for (let i = 0; i < s.k + s.m; i++) {
        if (i < s.m) targets |= 1 << i;
        else sources |= 1 << i;
      }
      recImpls['@ronomon/reed-solomon (native, other code)'] = ronomon.job(s, sources, targets);
    }
    const rseRec = rec.flat.slice();
    const avail = present.slice();
    recImpls['@digitaldefiance/reed-solomon-erasure.wasm'] = () => {
      for (let i = 0; i < BATCH; i++) {
        if (rse.reconstruct(rseRec, s.k, s.m, avail) !== 0) throw new Error('rse reconstruct failed');
      }
    };
    recImpls['@syncwire/reed-solomon (table kernel)'] = () => {
      for (let i = 0; i < BATCH; i++) table.reconstructData(rec.shards, present);
    };
    cases.push({
      name: `reed-solomon/reconstruct-${s.m}-data/${s.label}`,
      opsPerCall: BATCH,
      bytesPerOp,
      impls: recImpls,
    });
  }
  return cases;
};

export default suite;
