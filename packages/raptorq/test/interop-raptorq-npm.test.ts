// Differential and interop tests against the `raptorq` npm package 1.7.x (cberner/raptorq compiled to wasm).
// It has no `exports` map, so its JS file is imported directly and its wasm is instantiated with initSync.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Decoder, Encoder, withDefaults } from '@syncwire/raptorq';
import { Prng } from '@syncwire/testkit';
import {
  initSync,
  Decoder as PeerDecoder,
  Encoder as PeerEncoder,
  EncodingPacket as PeerPacket,
} from 'raptorq/raptorq.js';
import { beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
beforeAll(() => {
  initSync(readFileSync(require.resolve('raptorq/raptorq_bg.wasm')));
});

const objectOf = (n: number, seed: number): Uint8Array => new Prng(seed).bytes(n);

function peerEncode(data: Uint8Array, mtu: number, repair: number): Uint8Array[] {
  const e = PeerEncoder.with_defaults(data, mtu);
  try {
    return e.encode(repair);
  } finally {
    e.free();
  }
}

const esiOf = (p: Uint8Array): number => (p[1]! << 16) | (p[2]! << 8) | p[3]!;

/** Drops exactly round(K·fraction) random source packets (label below the block's K) of every block. */
function dropSource(packets: Uint8Array[], enc: Encoder, fraction: number, seed: number): Uint8Array[] {
  const rng = new Prng(seed);
  const drop = new Set<Uint8Array>();
  for (let sbn = 0; sbn < enc.oti.sourceBlocks; sbn++) {
    const k = enc.sourceSymbols(sbn);
    const src = packets.filter((p) => p[0] === sbn && esiOf(p) < k);
    const n = Math.round(k * fraction);
    for (let i = 0; i < n; i++) {
      const j = i + rng.below(src.length - i); // partial Fisher–Yates
      [src[i], src[j]] = [src[j]!, src[i]!];
      drop.add(src[i]!);
    }
  }
  return packets.filter((p) => !drop.has(p));
}

/** Byte equality without vitest's element-by-element diffing (megabytes would take seconds). */
function same(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.compare(a, b) === 0;
}

describe('raptorq npm 1.7.x: same bytes', () => {
  const cases: [number, number][] = [
    [1024, 1280],
    [100_000, 500],
    [1 << 20, 1280],
  ];
  for (const [size, mtu] of cases) {
    it(`compat-mode packets equal the peer's byte for byte (F=${size}, mtu=${mtu})`, () => {
      const data = objectOf(size, size);
      const ours = Encoder.withDefaults(data, mtu, { compat: 'raptorq-1.x' }).packets(8);
      const theirs = peerEncode(data, mtu, 8);
      expect(ours.length).toBe(theirs.length);
      for (let i = 0; i < ours.length; i++) expect(same(ours[i], theirs[i]!), `packet ${i}`).toBe(true);
    });
  }
});

describe('raptorq npm 1.7.x → syncwire', () => {
  const cases: [number, number, number][] = [
    [1024, 1280, 0.5],
    [5000, 100, 0.3],
    [100_000, 500, 0.1],
    [1 << 20, 1280, 0.05],
    [3_000_000, 8192, 0.05],
    [10 << 20, 1280, 0.05], // N = 2 sub-blocks
  ];
  for (const [size, mtu, loss] of cases) {
    it(`rebuilds F=${size} at mtu=${mtu} with ${loss * 100}% of source packets lost`, () => {
      const data = objectOf(size, size + 1);
      const oti = withDefaults(size, mtu);
      const k = Math.ceil(size / oti.symbolSize);
      const repair = Math.ceil((k / oti.sourceBlocks) * loss) + 8;
      const packets = peerEncode(data, mtu, repair);
      const probe = new Encoder(data, oti);
      const kept = dropSource(packets, probe, loss, size);
      expect(kept.length).toBeLessThan(packets.length);
      const dec = new Decoder(oti, { compat: 'raptorq-1.x' });
      for (const p of kept) if (dec.add(p)) break;
      expect(dec.done).toBe(true);
      expect(same(dec.result(), data)).toBe(true);
    });
  }

  it('shows the labelling trap: the same packets in RFC mode do not give the object back', () => {
    const data = objectOf(1024, 7); // K = 1, K' = 10: repair labels 10, 11, … instead of 1, 2, …
    const packets = peerEncode(data, 1280, 12).slice(1); // lose the only source packet
    const dec = new Decoder(withDefaults(1024, 1280)); // compat: 'rfc6330'
    for (const p of packets) if (dec.add(p)) break;
    expect(dec.done).toBe(true);
    expect(same(dec.result(), data)).toBe(false);
  });
});

describe('syncwire (raptorq-1.x mode) → raptorq npm 1.7.x', () => {
  const cases: [number, number, number][] = [
    [1024, 1280, 0.5],
    [100_000, 500, 0.1],
    [1 << 20, 1280, 0.05],
    [10 << 20, 1280, 0.05],
  ];
  for (const [size, mtu, loss] of cases) {
    it(`the peer rebuilds F=${size} at mtu=${mtu} with ${loss * 100}% of source packets lost`, () => {
      const data = objectOf(size, size + 2);
      const enc = Encoder.withDefaults(data, mtu, { compat: 'raptorq-1.x' });
      const k = Math.ceil(size / enc.oti.symbolSize);
      const packets = enc.packets(Math.ceil((k / enc.oti.sourceBlocks) * loss) + 8);
      const kept = dropSource(packets, enc, loss, size);
      const dec = PeerDecoder.with_defaults(BigInt(size), mtu);
      let out: Uint8Array | undefined;
      try {
        for (const p of kept) {
          out = dec.decode(p);
          if (out) break;
        }
      } finally {
        dec.free();
      }
      expect(same(out, data)).toBe(true);
    });
  }

  it('the peer reads our payload IDs as we wrote them', () => {
    const enc = Encoder.withDefaults(objectOf(10_000, 3), 1280, { compat: 'raptorq-1.x' });
    const p = enc.packet(0, 9); // K = 8, K' = 10: repair ESI 9 is labelled ISI 11
    const parsed = PeerPacket.deserialize(p);
    expect([parsed.source_block_number(), parsed.encoding_symbol_id()]).toEqual([0, 11]);
    parsed.free();
  });
});
