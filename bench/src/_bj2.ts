import { uvarint, VarintReader } from '@syncwire/varint';
import Benchmark from 'benchmark';
import suite from '../suites/varint.bench.ts';

const mode = process.argv[2];
if (mode === 'oob') {
  for (let i = 0; i < 10000; i++) {
    try {
      uvarint.decode(new Uint8Array([0x80]));
    } catch {}
    try {
      new VarintReader(new Uint8Array([0xff, 0xff])).uint();
    } catch {}
  }
}
const cases = await suite({ full: false });
for (const cn of ['varint/decode/u32', 'varint/decode/u53']) {
  const c = cases.find((x) => x.name === cn)!;
  for (const name of ['syncwire', '@bufbuild/protobuf', 'uint8-varint']) {
    const fn = c.impls[name]!;
    fn();
    const b = new Benchmark(name, fn, { maxTime: 1, minSamples: 5, initCount: 1 });
    b.run({ async: false });
    console.log(mode, cn, name, ((b.hz * 1000) / 1e6).toFixed(1), 'M/s');
  }
}
