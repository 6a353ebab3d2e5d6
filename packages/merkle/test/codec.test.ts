import { type Codec, decode, encode, fromHex, isCodecError, toHex } from '@syncwire/bytes';
import {
  consistencyProof,
  consistencyProofCodec,
  encodeStream,
  inclusionProof,
  MerkleTree,
  rangeProof,
  VerifiedStreamDecoder,
  verifyConsistency,
  verifyInclusion,
  verifyRange,
  verifyStream,
} from '@syncwire/merkle';
import { garbage, mutated, Prng, splits } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const leavesOf = (n: number, seed = n): Uint8Array[] => {
  const r = new Prng(seed);
  return Array.from({ length: n }, (_, i) => Uint8Array.of(i & 255, ...r.bytes(r.below(20))));
};
const tree300 = MerkleTree.fromLeaves(leavesOf(300));

type AnyCodec = Codec<{ hashes: Uint8Array }>;

const anyProof: fc.Arbitrary<{ codec: AnyCodec; value: { hashes: Uint8Array } }> = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 300 }), fc.nat()).map(([n, i]) => ({
    codec: inclusionProof as unknown as AnyCodec,
    value: { leafIndex: i % n, treeSize: n, hashes: tree300.inclusionProof(i % n, n) } as never,
  })),
  fc.tuple(fc.integer({ min: 1, max: 300 }), fc.nat()).map(([n, m]) => ({
    codec: consistencyProof as unknown as AnyCodec,
    value: { size1: 1 + (m % n), size2: n, hashes: tree300.consistencyProof(1 + (m % n), n) } as never,
  })),
  fc.tuple(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat()).map(([n, a0, b0]) => {
    const a = a0 % n;
    const b = a + 1 + (b0 % (n - a));
    return {
      codec: rangeProof,
      value: { start: a, end: b, treeSize: n, hashes: tree300.rangeProof(a, b, n) } as never,
    };
  }),
);

describe('proof codecs', () => {
  it('known bytes: uvarint header, then exactly the implied hashes, no count', () => {
    const t = MerkleTree.fromLeaves(leavesOf(8));
    const bytes = encode(inclusionProof, { leafIndex: 5, treeSize: 8, hashes: t.inclusionProof(5) });
    expect(toHex(bytes.subarray(0, 2))).toBe('0508');
    expect(bytes.length).toBe(2 + 3 * 32);
    const big = encode(consistencyProof, { size1: 200, size2: 300, hashes: tree300.consistencyProof(200) });
    expect(toHex(big.subarray(0, 4))).toBe('c801ac02');
  });

  it('round-trip, canonical re-encoding, exact consumption, zero-copy hashes, and the proofs still verify', () => {
    fc.assert(
      fc.property(anyProof, ({ codec, value }) => {
        const bytes = encode(codec, value);
        const { value: back, end } = codec.decode(bytes, 0);
        expect(end).toBe(bytes.length);
        expect(codec.encodingLength(back)).toBe(bytes.length);
        expect(encode(codec, back)).toEqual(bytes);
        const hashes = (back as { hashes: Uint8Array }).hashes;
        expect(hashes.buffer).toBe(bytes.buffer);
        const b = back as unknown as Record<string, number>;
        const h = (back as { hashes: Uint8Array }).hashes;
        const at = (n: number) => tree300.rootAt(n);
        if ('leafIndex' in b) {
          const [i, n] = [b.leafIndex!, b.treeSize!];
          expect(verifyInclusion(tree300.leafHash(i), i, n, h, at(n))).toBe(true);
        } else if ('size1' in b) {
          const [m, n] = [b.size1!, b.size2!];
          expect(verifyConsistency(m, n, h, at(m), at(n))).toBe(true);
        } else {
          const [a, e, n] = [b.start!, b.end!, b.treeSize!];
          expect(verifyRange(tree300.leafHashes().subarray(a * 32, e * 32), a, n, h, at(n))).toBe(true);
        }
      }),
    );
  });

  it('totality: garbage and mutated encodings decode or throw CodecError, never anything else', () => {
    const valid = anyProof.map(({ codec, value }) => encode(codec, value));
    fc.assert(
      fc.property(
        fc.oneof(garbage(200), mutated(valid)),
        fc.constantFrom(inclusionProof, consistencyProof, rangeProof),
        (bytes, codec) => {
          try {
            const { end } = (codec as typeof inclusionProof).decode(bytes);
            expect(end).toBeLessThanOrEqual(bytes.length);
          } catch (e) {
            expect(isCodecError(e)).toBe(true);
          }
        },
      ),
    );
  });

  it('checks the header and limits before touching hashes', () => {
    // leafIndex ≥ treeSize, size1 = 0, empty range: impossible headers.
    expect(() => inclusionProof.decode(fromHex('0505'))).toThrow(
      expect.objectContaining({ code: 'out_of_range' }),
    );
    expect(() => consistencyProof.decode(fromHex('0005'))).toThrow(
      expect.objectContaining({ code: 'out_of_range' }),
    );
    expect(() => rangeProof.decode(fromHex('030305'))).toThrow(
      expect.objectContaining({ code: 'out_of_range' }),
    );
    // A header for a 2^53 - 1 tree asks for 53 hashes: with 3 bytes present it is unexpected_eof, not an allocation.
    const huge = encode(consistencyProofCodec(), { size1: 1, size2: 1, hashes: new Uint8Array(0) });
    expect(decode(consistencyProof, huge)).toEqual({ size1: 1, size2: 1, hashes: new Uint8Array(0) });
    const header = fromHex('00ffffffffffffff0f');
    expect(() => inclusionProof.decode(header)).toThrow(expect.objectContaining({ code: 'unexpected_eof' }));
    expect(() => consistencyProofCodec({ maxHashes: 10 }).decode(fromHex('01ffffffffffffff0f'))).toThrow(
      expect.objectContaining({ code: 'limit_exceeded' }),
    );
    expect(() => inclusionProof.decode(fromHex('8000'))).toThrow(
      expect.objectContaining({ code: 'not_minimal' }),
    );
    expect(() => encode(inclusionProof, { leafIndex: 0, treeSize: 8, hashes: new Uint8Array(64) })).toThrow(
      RangeError,
    );
    expect(() => encode(inclusionProof, { leafIndex: 8, treeSize: 8, hashes: new Uint8Array(0) })).toThrow(
      RangeError,
    );
  });
});

describe('verified stream', () => {
  it('delivers every leaf, whatever the chunking (chunking invariance)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.nat(), (n, seed) => {
        const leaves = leavesOf(n, seed);
        const tree = MerkleTree.fromLeaves(leaves);
        const stream = encodeStream(tree, leaves);
        fc.assert(
          fc.property(splits(stream), (parts) => {
            const got: Uint8Array[] = [];
            const dec = new VerifiedStreamDecoder(tree.root(), n);
            for (const p of parts)
              dec.push(p, (leaf, i) => {
                expect(i).toBe(got.length);
                got.push(leaf.slice());
              });
            dec.finish();
            expect(got).toEqual(leaves);
          }),
          { numRuns: 10 },
        );
      }),
      { numRuns: 30 },
    );
  });

  it('rejects any single-bit change anywhere in the stream, delivering only genuine leaves before it', () => {
    const leaves = leavesOf(9, 4);
    const tree = MerkleTree.fromLeaves(leaves);
    const stream = encodeStream(tree, leaves);
    for (let bit = 0; bit < stream.length * 8; bit++) {
      const bad = stream.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      const got: Uint8Array[] = [];
      const dec = new VerifiedStreamDecoder(tree.root(), 9);
      let err: unknown;
      try {
        dec.push(bad, (leaf) => got.push(leaf.slice()));
        dec.finish();
      } catch (e) {
        err = e;
      }
      expect(isCodecError(err), `bit ${bit}`).toBe(true);
      expect(got).toEqual(leaves.slice(0, got.length));
      expect(got.length).toBeLessThan(9);
      // Failed for good.
      expect(() => dec.push(new Uint8Array(0), () => {})).toThrow();
    }
  });

  it('enforces maxLeafSize before buffering the leaf, and trailing bytes', () => {
    const leaves = [new Uint8Array(100), new Uint8Array(5)];
    const tree = MerkleTree.fromLeaves(leaves);
    const stream = encodeStream(tree, leaves);
    const dec = new VerifiedStreamDecoder(tree.root(), 2, { maxLeafSize: 50 });
    // Only the proof and the length prefix: rejected before the 100 leaf bytes arrive.
    expect(() => dec.push(stream.subarray(0, 33), () => {})).toThrow(
      expect.objectContaining({ code: 'limit_exceeded' }),
    );
    const dec2 = new VerifiedStreamDecoder(tree.root(), 2);
    expect(() => dec2.push(Uint8Array.of(...stream, 0), () => {})).toThrow(
      expect.objectContaining({ code: 'trailing_bytes' }),
    );
    const dec3 = new VerifiedStreamDecoder(tree.root(), 2);
    dec3.push(stream.subarray(0, stream.length - 1), () => {});
    expect(() => dec3.finish()).toThrow(expect.objectContaining({ code: 'unexpected_eof' }));
  });

  it('async adapter yields the leaves that checked out, then the error', async () => {
    const leaves = leavesOf(5, 2);
    const tree = MerkleTree.fromLeaves(leaves);
    const stream = encodeStream(tree, leaves);
    async function* chunks(bytes: Uint8Array) {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    const got: Uint8Array[] = [];
    for await (const leaf of verifyStream(chunks(stream), tree.root(), 5)) got.push(leaf);
    expect(got).toEqual(leaves);
    const bad = stream.slice();
    bad[bad.length - 1]! ^= 1;
    const got2: Uint8Array[] = [];
    await expect(async () => {
      for await (const leaf of verifyStream(chunks(bad), tree.root(), 5)) got2.push(leaf);
    }).rejects.toThrow(expect.objectContaining({ code: 'checksum_mismatch' }));
    expect(got2).toEqual(leaves.slice(0, 4));
  });
});
