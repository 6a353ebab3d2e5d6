import { createHash } from 'node:crypto';
import { createNobleSha256, sha256Hasher } from '@syncwire/merkle';
import { nodeSha256Hasher } from '@syncwire/merkle/node';
import { Prng } from '@syncwire/testkit';
import { expect, it } from 'vitest';

it('both hashers equal SHA-256 for every input length 0..300 (short padded path and long path), in place too', () => {
  const r = new Prng(9);
  const fresh = createNobleSha256();
  for (let len = 0; len <= 300; len++) {
    const data = r.bytes(len);
    const want = createHash('sha256').update(data).digest();
    for (const h of [sha256Hasher, fresh, nodeSha256Hasher]) {
      const out = new Uint8Array(40);
      h.hashInto(data, out, 5);
      expect(Buffer.from(out.subarray(5, 37)).equals(want), `${h.name} len ${len}`).toBe(true);
      // Output over its own input (the tree hashes frontier nodes in place).
      const buf = new Uint8Array(Math.max(len, 32));
      buf.set(data);
      h.hashInto(buf.subarray(0, len), buf, 0);
      expect(Buffer.from(buf.subarray(0, 32)).equals(want), `${h.name} in place len ${len}`).toBe(true);
    }
  }
});

it('the noble hasher stays right over runs and alternations of input lengths (its padding is reused per length)', () => {
  const r = new Prng(12);
  const h = createNobleSha256();
  const out = new Uint8Array(32);
  let len = 33;
  for (let k = 0; k < 3000; k++) {
    // Mostly tree-like 33/65 alternation and repeats, sometimes any short or long length.
    const pick = r.below(10);
    if (pick < 4) len = len === 33 ? 65 : 33;
    else if (pick >= 8) len = r.below(140);
    const data = r.bytes(len);
    h.hashInto(data, out, 0);
    expect(Buffer.from(out).equals(createHash('sha256').update(data).digest()), `call ${k} len ${len}`).toBe(
      true,
    );
  }
});
