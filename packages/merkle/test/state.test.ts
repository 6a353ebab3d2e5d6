import { isCodecError, toHex } from '@syncwire/bytes';
import { MerkleAppender, MerkleTree } from '@syncwire/merkle';
import { garbage, mutated, Prng } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const leavesOf = (n: number): Uint8Array[] => {
  const r = new Prng(n + 11);
  return Array.from({ length: n }, () => r.bytes(r.below(16)));
};

describe('toBytes / fromBytes', () => {
  it('MerkleAppender resumes exactly where it stopped, from popcount(size) hashes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), (a, b) => {
        const leaves = leavesOf(a + b);
        const one = new MerkleAppender();
        for (const l of leaves.slice(0, a)) one.append(l);
        const bytes = one.toBytes();
        const resumed = MerkleAppender.fromBytes(bytes);
        expect(resumed.toBytes()).toEqual(bytes);
        for (const l of leaves.slice(a)) resumed.append(l);
        const whole = new MerkleAppender();
        for (const l of leaves) whole.append(l);
        expect(toHex(resumed.root())).toBe(toHex(whole.root()));
        expect(resumed.size).toBe(a + b);
      }),
    );
  });

  it('MerkleTree round-trips through its leaf hashes', () => {
    for (const n of [0, 1, 2, 7, 64, 100]) {
      const tree = MerkleTree.fromLeaves(leavesOf(n));
      const back = MerkleTree.fromBytes(tree.toBytes());
      expect(back.size).toBe(n);
      expect(back.root()).toEqual(tree.root());
      if (n > 3) expect(back.consistencyProof(3)).toEqual(tree.consistencyProof(3));
    }
  });

  it('garbage and mutated state bytes load or throw CodecError, never anything else', () => {
    const valid = fc.integer({ min: 0, max: 40 }).map((n) => MerkleTree.fromLeaves(leavesOf(n)).toBytes());
    const validApp = fc.integer({ min: 0, max: 40 }).map((n) => {
      const a = new MerkleAppender();
      for (const l of leavesOf(n)) a.append(l);
      return a.toBytes();
    });
    fc.assert(
      fc.property(fc.oneof(garbage(100), mutated(valid), mutated(validApp)), (bytes) => {
        for (const load of [
          () => MerkleTree.fromBytes(bytes, { maxLeaves: 1000 }),
          () => MerkleAppender.fromBytes(bytes),
        ]) {
          try {
            load();
          } catch (e) {
            expect(isCodecError(e)).toBe(true);
          }
        }
      }),
    );
  });

  it('checks the declared size against the limit and the bytes present before allocating', () => {
    // 2^31 - 1 leaves declared, 0 bytes present.
    expect(() => MerkleTree.fromBytes(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x07))).toThrow(
      expect.objectContaining({ code: 'unexpected_eof' }),
    );
    expect(() => MerkleTree.fromBytes(Uint8Array.of(0x0b), { maxLeaves: 10 })).toThrow(
      expect.objectContaining({ code: 'limit_exceeded' }),
    );
    expect(() => MerkleAppender.fromBytes(Uint8Array.of(0x03, ...new Uint8Array(65)))).toThrow(
      expect.objectContaining({ code: 'trailing_bytes' }),
    );
  });
});
