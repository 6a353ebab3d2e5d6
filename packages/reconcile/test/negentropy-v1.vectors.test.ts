import { sha256 } from '@noble/hashes/sha2.js';
import { decode, encode, fromHex, toHex } from '@syncwire/bytes';
import {
  Negentropy,
  NegentropyStorageVector,
  negentropyFingerprint,
  negentropyVarint,
} from '@syncwire/reconcile';
import { loadVectors } from '@syncwire/testkit';
import { describe, expect, it } from 'vitest';

interface Vectors {
  varint: { value: string; hex: string }[];
  fingerprint: { name: string; ids: string[] | { generator: string }; count: number; fingerprint: string }[];
  transcripts: {
    name: string;
    frameSizeLimit: number;
    clientItems: [number, string][];
    serverItems: [number, string][];
    messages: { from: 'client' | 'server'; hex: string }[];
    clientHave: string[];
    clientNeed: string[];
  }[];
}

const v = loadVectors<Vectors>(import.meta.url, 'negentropy-v1.json');

function storage(items: [number, string][]): NegentropyStorageVector {
  const s = new NegentropyStorageVector();
  for (const [ts, id] of items) s.insert(ts, fromHex(id));
  s.seal();
  return s;
}

describe('negentropy v1 vectors (hoytech/negentropy reference JS, 6edb041)', () => {
  it('has the vector sets this suite expects', () => {
    expect(v.varint.length).toBeGreaterThanOrEqual(10);
    expect(v.fingerprint.length).toBeGreaterThanOrEqual(3);
    expect(v.transcripts.length).toBeGreaterThanOrEqual(3);
  });

  it.each(v.varint)('varint $value ↔ $hex', ({ value, hex }) => {
    expect(toHex(encode(negentropyVarint, BigInt(value)))).toBe(hex);
    expect(decode(negentropyVarint, fromHex(hex))).toBe(BigInt(value));
  });

  it.each(v.fingerprint)('fingerprint $name', (f) => {
    let ids: Uint8Array[];
    if (Array.isArray(f.ids)) ids = f.ids.map(fromHex);
    else {
      expect(f.ids.generator).toBe('sha256(utf8("fp:" + i)) for i in 0..999');
      ids = Array.from({ length: f.count }, (_, i) => sha256(new TextEncoder().encode(`fp:${i}`)));
    }
    expect(ids.length).toBe(f.count);
    expect(toHex(negentropyFingerprint(ids))).toBe(f.fingerprint);
    // The storage's prefix-sum fingerprint must agree with the direct one.
    const s = new NegentropyStorageVector();
    for (const [i, id] of ids.entries()) s.insert(i, id);
    s.seal();
    expect(toHex(s.fingerprint(0, s.size))).toBe(f.fingerprint);
  });

  it.each(v.transcripts)('transcript $name is byte-exact and ends with the expected have/need', (t) => {
    const client = new Negentropy(storage(t.clientItems), { frameSizeLimit: t.frameSizeLimit });
    const server = new Negentropy(storage(t.serverItems), { frameSizeLimit: t.frameSizeLimit });
    const have = new Set<string>();
    const need = new Set<string>();
    let k = 0;
    let msg: Uint8Array | null = client.initiate();
    while (msg) {
      expect(t.messages[k]?.from).toBe('client');
      expect(toHex(msg)).toBe(t.messages[k++]!.hex);
      const reply = server.reconcile(msg).output!;
      expect(t.messages[k]?.from).toBe('server');
      expect(toHex(reply)).toBe(t.messages[k++]!.hex);
      const step = client.reconcile(reply);
      for (const id of step.have) have.add(toHex(id));
      for (const id of step.need) need.add(toHex(id));
      msg = step.output;
    }
    expect(k).toBe(t.messages.length);
    expect([...have].sort()).toEqual([...t.clientHave].sort());
    expect([...need].sort()).toEqual([...t.clientNeed].sort());
  });
});
