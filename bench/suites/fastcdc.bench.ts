import { compute_chunks } from '@dstanesc/wasm-chunking-fastcdc-node';
import { Chunker, chunk } from '@syncwire/fastcdc';
import { randomBytes } from '@syncwire/testkit';
import type { CaseSpec, Suite } from '../src/registry.ts';

// Issue 4's speed target, same run: 256 MiB of random bytes (16 MiB in quick mode) at min 4096, avg 16384,
// max 65536, level 1: syncwire's pure-TypeScript FastCDC 2020 >= 0.8 GB/s, next to the fastest npm chunker.
// The peer is a WASM build of fastcdc-rs's *ronomon* variant (the crate's pre-3.0 default): a different algorithm
// (31-bit hash, different masks, the matching byte ends the chunk), so its cut points differ from ours and from
// the crate's v2020 module; it is here for speed only. The Chunker on the WASM kernel is --full only.
const MIN = 4096;
const AVG = 16384;
const MAX = 65536;
const PEER = '@dstanesc/wasm-chunking-fastcdc-node (ronomon variant: other cut points)';

const suite: Suite = ({ full }) => {
  const size = (full ? 256 : 16) << 20;
  const label = `random-${size >> 20}MiB`;
  const data = randomBytes(size, 4);
  const options = { min: MIN, avg: AVG, max: MAX };
  const count = (n: number, what: string) => ({ [what]: n });
  const theirs = compute_chunks(data, MIN, AVG, MAX).length;
  const piece = 1 << 16;
  const pushes = (engine: 'js' | 'wasm') => () => {
    const chunker = new Chunker({ ...options, engine });
    let n = 0;
    for (let i = 0; i < size; i += piece) n += chunker.push(data.subarray(i, i + piece)).length;
    return n + chunker.finish().length;
  };
  const peer = () => compute_chunks(data, MIN, AVG, MAX).length;
  const cases: CaseSpec[] = [];
  for (const engine of ['js', 'wasm'] as const) {
    const ours = chunk(data, { ...options, engine }).length;
    // `js`: the pure-TypeScript loop (the 0.8 GB/s floor); `wasm`: the optional 390-byte WebAssembly
    // kernel (same cut points, checked by the tests), the default where WebAssembly exists.
    cases.push({
      name: `fastcdc/chunk-${engine}/${label}`,
      bytesPerOp: size,
      impls: { syncwire: () => chunk(data, { ...options, engine }).length, [PEER]: peer },
      metrics: { syncwire: count(ours, 'chunks'), [PEER]: count(theirs, 'chunks') },
    });
    // The incremental API as a file or socket reader drives it: 64 KiB pushes, chunks as views where possible.
    cases.push({
      name: `fastcdc/chunker-64KiB-pushes-${engine}/${label}`,
      fullOnly: engine === 'wasm',
      bytesPerOp: size,
      impls: { syncwire: pushes(engine), [PEER]: peer },
    });
  }
  return cases;
};

export default suite;
