import { concat, equals } from '@syncwire/bytes';
import { type Chunk, chunk, chunkStream, type FastCdcOptions } from '@syncwire/fastcdc';
import { randomBytes, splits } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const opts: FastCdcOptions = { min: 256, avg: 1024, max: 4096, hashes: true };
const plain = (cs: readonly { offset: number; length: number; hash?: bigint }[]) =>
  cs.map((c) => [c.offset, c.length, c.hash]);

async function collect(it: AsyncIterable<Chunk>): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

async function* asyncPieces(parts: readonly Uint8Array[]) {
  for (const p of parts) {
    await Promise.resolve();
    yield p;
  }
}

function readable(parts: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < parts.length) controller.enqueue(parts[i++]!);
      else controller.close();
    },
  });
}

describe('chunkStream', () => {
  it('AsyncIterable, Iterable and ReadableStream with random splits equal one-shot chunk', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 30_000 }).chain((n) => splits(randomBytes(n, n + 7))),
        async (parts) => {
          const whole = concat(parts);
          const want = plain(chunk(whole, opts));
          expect(plain(await collect(chunkStream(asyncPieces(parts), opts)))).toEqual(want);
          expect(plain(await collect(chunkStream(parts, opts)))).toEqual(want);
          const viaWeb = await collect(chunkStream(readable(parts), opts));
          expect(plain(viaWeb)).toEqual(want);
          for (const c of viaWeb)
            expect(equals(c.bytes, whole.subarray(c.offset, c.offset + c.length))).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('cancels a ReadableStream when the consumer stops early', async () => {
    let cancelled = false;
    const data = randomBytes(100_000, 1);
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(data.subarray(0, 10_000));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const c of chunkStream(stream, opts)) {
      expect(c.length).toBeGreaterThan(0);
      break;
    }
    expect(cancelled).toBe(true);
  });

  it('rejects sources and pieces that are not bytes with TypeError', async () => {
    await expect(collect(chunkStream(42 as unknown as Iterable<Uint8Array>))).rejects.toThrow(
      /fastcdc.chunkStream: source expected/,
    );
    await expect(collect(chunkStream(['abc'] as unknown as Iterable<Uint8Array>))).rejects.toThrow(
      /fastcdc.chunkStream: piece expected a Uint8Array, got string/,
    );
    await expect(collect(chunkStream([], { min: 1 }))).rejects.toThrow(RangeError);
  });
});
