import { concat } from '@syncwire/bytes';
import { encodeFrame, FrameDecoder } from '@syncwire/tlv';
import * as lp from 'it-length-prefixed';
import type { CaseSpec, Suite } from '../src/registry.ts';
import { randomBytes } from './fixtures.ts';

const FRAMES = 1000;

/** FRAMES frames of `size`-byte payloads, delivered as `chunkSize`-byte reads (like a socket would). */
function frameDecodeCase(size: number, chunkSize: number): CaseSpec {
  const stream = concat(Array.from({ length: FRAMES }, (_, i) => encodeFrame(randomBytes(size, i + 1))));
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < stream.length; i += chunkSize) chunks.push(stream.subarray(i, i + chunkSize));
  const check = (n: number, bytes: number) => {
    if (n !== FRAMES || bytes !== FRAMES * size)
      throw new Error(`tlv bench: decoded ${n} frames / ${bytes} bytes`);
  };
  return {
    name: `tlv/frame-decode/${size}B-in-${chunkSize / 1024}KiB-reads`,
    opsPerCall: FRAMES,
    bytesPerOp: size,
    impls: {
      syncwire: () => {
        const d = new FrameDecoder();
        let n = 0;
        let bytes = 0;
        for (const c of chunks) {
          d.push(c);
          for (let f = d.read(); f !== null; f = d.read()) {
            n++;
            bytes += f.length;
          }
        }
        d.finish();
        check(n, bytes);
      },
      'it-length-prefixed': () => {
        let n = 0;
        let bytes = 0;
        for (const f of lp.decode(chunks)) {
          n++;
          bytes += f.byteLength;
        }
        check(n, bytes);
      },
    },
  };
}

const suite: Suite = () => [frameDecodeCase(64, 4096), frameDecodeCase(64, 64 * 1024)];
export default suite;
