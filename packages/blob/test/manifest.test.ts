import { sha256 } from '@noble/hashes/sha2.js';
import {
  blobId,
  buildManifest,
  buildManifestFromStream,
  LEAF_RECORD_SIZE,
  Manifest,
  ManifestBuilder,
  ManifestVerifier,
  verifyHeader,
  verifyPage,
} from '@syncwire/blob';
import { chunk } from '@syncwire/fastcdc';
import { emptyRoot, MerkleTree, merkleRoot } from '@syncwire/merkle';
import { nodeSha256Hasher } from '@syncwire/merkle/node';
import { notBytes, randomBytes, splits } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceBlobId, referenceRecord, repetitive, SMALL } from './helpers.ts';

const opts = { chunking: SMALL, pageBits: 3 };

describe('buildManifest', () => {
  const data = randomBytes(200_000, 11);
  const m = buildManifest(data, opts);

  it('matches the spec written out independently (FastCDC cuts, noble SHA-256, RFC 9162 root, BlobId)', () => {
    const refs = chunk(data, SMALL);
    expect(m.chunkCount).toBe(refs.length);
    expect(m.byteLength).toBe(data.length);
    const records = refs.map((r) => referenceRecord(data.subarray(r.offset, r.offset + r.length)));
    expect(m.records).toEqual(new Uint8Array(records.flatMap((r) => [...r])));
    expect(m.root).toEqual(merkleRoot(records));
    expect(m.id).toEqual(referenceBlobId(refs.length, data.length, m.root));
    expect(blobId(m.header)).toEqual(m.id);
    for (let i = 0; i < refs.length; i++) {
      expect(m.chunkOffset(i)).toBe(refs[i]!.offset);
      expect(m.chunkLength(i)).toBe(refs[i]!.length);
      expect(m.chunkDigest(i)).toEqual(
        sha256(data.subarray(refs[i]!.offset, refs[i]!.offset + refs[i]!.length)),
      );
    }
    expect(m.chunkOffset(refs.length)).toBe(data.length);
  });

  it('gives the same manifest with the node:crypto hasher', () => {
    const n = buildManifest(data, { ...opts, hasher: nodeSha256Hasher });
    expect(n.id).toEqual(m.id);
    expect(n.page(1)).toEqual(m.page(1));
  });

  it('fromRecords rebuilds the same manifest', () => {
    const r = Manifest.fromRecords(m.records, { pageBits: 3 });
    expect(r.id).toEqual(m.id);
    expect(r.byteLength).toBe(m.byteLength);
  });

  it('the empty blob has no chunks, the empty-tree root, and a verifiable id', () => {
    const e = buildManifest(new Uint8Array(0));
    expect(e.chunkCount).toBe(0);
    expect(e.root).toEqual(emptyRoot());
    expect(e.id).toEqual(referenceBlobId(0, 0, emptyRoot()));
    expect(verifyHeader(e.header, e.id)).toBe(true);
    expect(e.pageCount).toBe(0);
    const v = ManifestVerifier.create(e.id, e.header);
    expect(v?.status).toBe('complete');
    expect(() => e.page(0)).toThrow(RangeError);
  });

  it('pages carry range proofs that verify; a verifier rebuilds the manifest from them', () => {
    const v = ManifestVerifier.create(m.id, m.header, { pageBits: 3 })!;
    expect(v).not.toBeNull();
    const tree = MerkleTree.fromLeaves(Array.from({ length: m.chunkCount }, (_, i) => m.record(i)));
    expect(tree.root()).toEqual(m.root);
    for (let p = m.pageCount - 1; p >= 0; p--) {
      const page = m.page(p);
      expect(verifyPage(m.header, page)).toBe(true);
      expect(v.status).toBe('incomplete');
      expect(v.addPage(page)).toBe(true);
    }
    expect(v.status).toBe('complete');
    expect(v.toManifest().id).toEqual(m.id);
    for (let i = 0; i < m.chunkCount; i++) {
      const bytes = data.subarray(m.chunkOffset(i), m.chunkOffset(i) + m.chunkLength(i));
      expect(v.verifyChunk(i, bytes)).toBe(true);
      expect(m.verifyChunk(i, bytes)).toBe(true);
    }
  });

  it('a verifier refuses pages before it can check them and chunks before their page', () => {
    const v = ManifestVerifier.create(m.id, m.header, { pageBits: 3 })!;
    const c0 = data.subarray(0, m.chunkLength(0));
    expect(v.verifyChunk(0, c0)).toBe(false);
    expect(v.record(0)).toBeUndefined();
    expect(v.addPage({ ...m.page(0), pageBits: 2 })).toBe(false);
    expect(v.addPage({ ...m.page(0), pageIndex: 1 })).toBe(false);
    expect(v.addPage(m.page(0))).toBe(true);
    expect(v.verifyChunk(0, c0)).toBe(true);
    expect(v.verifyChunk(m.chunkCount, c0)).toBe(false);
    expect(v.verifyChunk(-1, c0)).toBe(false);
  });

  it('create returns null for a header that does not hash to the id', () => {
    expect(ManifestVerifier.create(m.id, { ...m.header, byteLength: m.byteLength + 1 })).toBeNull();
    expect(ManifestVerifier.create(m.id, { ...m.header, chunkCount: m.chunkCount - 1 })).toBeNull();
    expect(ManifestVerifier.create(new Uint8Array(32), m.header)).toBeNull();
  });

  it('reports an inconsistent manifest whose records do not add up to the signed length', () => {
    // A publisher that signs a header with the wrong length (but a possible shape) gets pages that verify,
    // yet the blob can never complete: the verifier says so once all pages are in.
    const header = { ...m.header, byteLength: m.byteLength - 1 };
    const id = blobId(header);
    const v = ManifestVerifier.create(id, header, { pageBits: 3 })!;
    for (let p = 0; p < m.pageCount; p++) expect(v.addPage(m.page(p))).toBe(true);
    expect(v.status).toBe('inconsistent');
    expect(() => v.toManifest()).toThrow(/inconsistent/);
  });
});

describe('streaming', () => {
  const data = randomBytes(50_000, 5);
  const whole = buildManifest(data, opts);

  it('any split of the input gives the same manifest and chunks (chunking invariance)', async () => {
    await fc.assert(
      fc.asyncProperty(splits(data), async (parts) => {
        const seen: number[] = [];
        const m = await buildManifestFromStream(
          (async function* () {
            yield* parts;
          })(),
          {
            ...opts,
            onChunk: (c) => {
              expect(c.offset).toBe(whole.chunkOffset(c.index));
              expect(whole.verifyChunk(c.index, c.bytes)).toBe(true);
              seen.push(c.index);
            },
          },
        );
        expect(m.id).toEqual(whole.id);
        expect(m.records).toEqual(whole.records);
        expect(seen).toEqual(Array.from({ length: whole.chunkCount }, (_, i) => i));
      }),
      { numRuns: 30 },
    );
  });

  it('accepts a sync iterable and a Web ReadableStream', async () => {
    expect((await buildManifestFromStream([data.subarray(0, 7), data.subarray(7)], opts)).id).toEqual(
      whole.id,
    );
    const rs = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(data.subarray(0, 30_000));
        c.enqueue(data.subarray(30_000));
        c.close();
      },
    });
    expect((await buildManifestFromStream(rs, opts)).id).toEqual(whole.id);
  });

  it('holds at most one max-size chunk of the blob between pushes (bounded memory)', () => {
    const b = new ManifestBuilder(opts);
    const big = randomBytes(1 << 20, 9);
    let chunks = 0;
    for (let at = 0; at < big.length; at += 1000) chunks += b.push(big.subarray(at, at + 1000)).length;
    chunks += b.finish().length;
    expect(chunks).toBe(b.manifest().chunkCount);
    // Records are the only per-blob state: 36 bytes per chunk.
    expect(b.manifest().records.length).toBe(chunks * LEAF_RECORD_SIZE);
  });

  it('rejects misuse with precise errors', async () => {
    const b = new ManifestBuilder();
    b.finish();
    expect(() => b.push(new Uint8Array(1))).toThrow(/finished/);
    expect(() => new ManifestBuilder().manifest()).toThrow(/finish/);
    for (const [, v] of notBytes) expect(() => buildManifest(v as Uint8Array)).toThrow(TypeError);
    expect(() => buildManifest(data, { pageBits: 21 })).toThrow(RangeError);
    expect(() => buildManifest(data, { chunking: { avg: 3 } })).toThrow(RangeError);
    expect(() => buildManifest(data, { hasher: { name: 'x', outputLen: 20, hashInto() {} } })).toThrow(
      /outputLen expected 32/,
    );
    await expect(buildManifestFromStream(42 as never)).rejects.toThrow(TypeError);
    await expect(buildManifestFromStream([new Uint8Array(1), 'x' as never])).rejects.toThrow(
      /piece expected/,
    );
    expect(() => whole.record(whole.chunkCount)).toThrow(RangeError);
    expect(() => whole.page(whole.pageCount)).toThrow(RangeError);
  });
});

describe('deduplication', () => {
  it('equal chunks have equal leaf records', () => {
    const data = repetitive(300_000, 3);
    const m = buildManifest(data, { chunking: SMALL });
    const byDigest = new Map<string, Uint8Array>();
    let dups = 0;
    for (let i = 0; i < m.chunkCount; i++) {
      const bytes = data.subarray(m.chunkOffset(i), m.chunkOffset(i) + m.chunkLength(i));
      const key = Buffer.from(m.chunkDigest(i)).toString('hex');
      const prev = byDigest.get(key);
      if (prev) {
        dups++;
        expect(prev).toEqual(bytes);
      } else byDigest.set(key, bytes);
    }
    expect(dups).toBeGreaterThan(0);
  });

  it('a 1-byte edit in a 4 MiB blob changes only a few leaf records', () => {
    const data = randomBytes(4 << 20, 21);
    const a = buildManifest(data);
    const edited = data.slice();
    edited[2_000_000] = edited[2_000_000]! ^ 0x5a;
    const b = buildManifest(edited);
    const before = new Set<string>();
    for (let i = 0; i < a.chunkCount; i++) before.add(Buffer.from(a.record(i)).toString('hex'));
    let fresh = 0;
    for (let i = 0; i < b.chunkCount; i++) if (!before.has(Buffer.from(b.record(i)).toString('hex'))) fresh++;
    expect(a.id).not.toEqual(b.id);
    expect(fresh).toBeGreaterThan(0);
    expect(fresh).toBeLessThanOrEqual(3);
    expect(Math.abs(a.chunkCount - b.chunkCount)).toBeLessThanOrEqual(2);
  });
});

describe('pages of another size', () => {
  it('a manifest serves pages of any size exponent, each verifying against the same root', () => {
    const m = buildManifest(randomBytes(90_000, 4), { chunking: SMALL, pageBits: 3 });
    for (const bits of [0, 1, 5, 12]) {
      const v = ManifestVerifier.create(m.id, m.header, { pageBits: bits })!;
      const pages = Math.ceil(m.chunkCount / 2 ** bits);
      for (let p = 0; p < pages; p++) expect(v.addPage(m.page(p, bits))).toBe(true);
      expect(v.status).toBe('complete');
    }
    expect(() => m.page(0, 33)).toThrow(RangeError);
    expect(() => m.page(m.chunkCount, 0)).toThrow(RangeError);
  });
});
