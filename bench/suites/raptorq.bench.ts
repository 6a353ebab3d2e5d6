// RaptorQ (RFC 6330) encode/decode throughput against the `raptorq` npm package 1.7.x (cberner/raptorq, wasm).
// Both sides use the reference's default parameters for mtu = 1280 (T = 1280), 10 % repair packets per block,
// and decoding gets the same packets with 5 % of the source packets lost. The peer labels repair packets with
// the ISI, so our decoder runs in its 'raptorq-1.x' mode on the peer's (byte-identical) packets.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { clearPlanCache, Decoder, Encoder, withDefaults } from '@syncwire/raptorq';
import { Prng } from '@syncwire/testkit';
import { initSync, Decoder as PeerDecoder, Encoder as PeerEncoder } from 'raptorq/raptorq.js';
import type { CaseSpec, Suite } from '../src/registry.ts';

const require = createRequire(import.meta.url);
initSync(readFileSync(require.resolve('raptorq/raptorq_bg.wasm')));

const MTU = 1280;

function fixture(size: number) {
  const data = new Prng(0x5eed ^ size).bytes(size);
  const oti = withDefaults(size, MTU);
  const k = Math.ceil(size / oti.symbolSize / oti.sourceBlocks);
  const repair = Math.ceil(k * 0.1);
  const e = PeerEncoder.with_defaults(data, MTU);
  const packets = e.encode(repair);
  e.free();
  // Lose 5 % of the source packets of every block (exactly, at random).
  const rng = new Prng(size);
  const kept = packets.filter((p) => {
    const esi = (p[1]! << 16) | (p[2]! << 8) | p[3]!;
    return esi >= k || rng.float() >= 0.05;
  });
  return { data, oti, repair, kept };
}

function check(out: Uint8Array | undefined, data: Uint8Array): void {
  if (!out || out.length !== data.length || Buffer.compare(out, data) !== 0) {
    throw new Error('raptorq bench: decoded object differs');
  }
}

function cases(label: string, size: number): CaseSpec[] {
  const { data, oti, repair, kept } = fixture(size);
  return [
    {
      name: `raptorq/encode/${label}`,
      bytesPerOp: size,
      impls: {
        syncwire: () => new Encoder(data, oti).packets(repair),
        raptorq: () => {
          const e = PeerEncoder.with_defaults(data, MTU);
          const p = e.encode(repair);
          e.free();
          return p;
        },
      },
    },
    {
      // Our encoder caches a solved plan per K'; this case drops the cache before every encode (--full only).
      name: `raptorq/encode-cold-plan/${label}`,
      fullOnly: true,
      bytesPerOp: size,
      impls: {
        syncwire: () => {
          clearPlanCache();
          return new Encoder(data, oti).packets(repair);
        },
        raptorq: () => {
          const e = PeerEncoder.with_defaults(data, MTU);
          const p = e.encode(repair);
          e.free();
          return p;
        },
      },
    },
    {
      name: `raptorq/decode/${label}`,
      bytesPerOp: size,
      impls: {
        syncwire: () => {
          const d = new Decoder(oti, { compat: 'raptorq-1.x' });
          for (const p of kept) if (d.add(p)) break;
          check(d.result(), data);
        },
        raptorq: () => {
          const d = PeerDecoder.with_defaults(BigInt(size), MTU);
          let out: Uint8Array | undefined;
          for (const p of kept) {
            out = d.decode(p);
            if (out) break;
          }
          d.free();
          check(out, data);
        },
      },
    },
  ];
}

const suite: Suite = () => [
  ...cases('1MiB-T1280-10%repair-5%loss', 1 << 20),
  ...cases('10MiB-T1280-10%repair-5%loss', 10 << 20),
];
export default suite;
