import { createHash } from 'node:crypto';
import { concat, equals } from '@syncwire/bytes';
import { Chunker, chunk, cutPoints, DEFAULTS, type FastCdcOptions, LIMITS } from '@syncwire/fastcdc';
import { notBytes, notUint, Prng, randomBytes, splits } from '@syncwire/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const small: FastCdcOptions = { min: 64, avg: 256, max: 1024 };
const plain = (cs: readonly { offset: number; length: number; hash?: bigint }[]) =>
  cs.map((c) => [c.offset, c.length, c.hash]);

function pushAll(parts: readonly Uint8Array[], options: FastCdcOptions) {
  const chunker = new Chunker(options);
  const out = [];
  for (const p of parts) {
    out.push(...chunker.push(p));
    expect(chunker.buffered).toBeLessThan(options.max ?? DEFAULTS.max);
  }
  out.push(...chunker.finish());
  return out;
}

const sizes = fc
  .record({
    min: fc.integer({ min: 64, max: 2000 }),
    avgExtra: fc.integer({ min: 0, max: 6000 }),
    maxExtra: fc.integer({ min: 0, max: 20000 }),
    level: fc.integer({ min: 0, max: 3 }),
    variant: fc.constantFrom('v2020' as const, 'v2016' as const),
    engine: fc.constantFrom('js' as const, 'wasm' as const),
  })
  .map(({ min, avgExtra, maxExtra, level, variant, engine }) => {
    const avg = Math.max(256, min + avgExtra);
    return { min, avg, max: Math.max(1024, avg + maxExtra), level, variant, engine, hashes: true };
  });

describe('chunk: properties', () => {
  it('chunks tile the input; all but the last are within [min, max] (min - 1 for an odd v2020 min)', () => {
    fc.assert(
      fc.property(sizes, fc.integer({ min: 0, max: 60_000 }), fc.nat(), (o, n, seed) => {
        const data = new Prng(seed).bytes(n);
        const cs = chunk(data, o);
        let at = 0;
        for (const [i, c] of cs.entries()) {
          expect(c.offset).toBe(at);
          expect(c.length).toBeGreaterThan(0);
          expect(c.length).toBeLessThanOrEqual(o.max);
          if (i < cs.length - 1)
            expect(c.length).toBeGreaterThanOrEqual(o.variant === 'v2020' ? o.min & ~1 : o.min);
          at += c.length;
        }
        expect(at).toBe(n);
        expect(cs.length === 0).toBe(n === 0);
        expect(Array.from(cutPoints(data, o))).toEqual(cs.map((c) => c.offset + c.length));
      }),
      { numRuns: 80 },
    );
  });

  it('Chunker over random splits equals one-shot, holds < max bytes, and its bytes are the input slices', () => {
    fc.assert(
      fc.property(
        sizes,
        fc.integer({ min: 0, max: 40_000 }).chain((n) => splits(randomBytes(n, n + 1))),
        (o, parts) => {
          const whole = concat(parts);
          const want = chunk(whole, o);
          const got = pushAll(parts, o);
          expect(plain(got)).toEqual(plain(want));
          for (const c of got)
            expect(equals(c.bytes, whole.subarray(c.offset, c.offset + c.length))).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('one-byte pushes and max-sized pushes give the same chunks', () => {
    const data = randomBytes(20_000, 3);
    const want = plain(chunk(data, small));
    const ones = Array.from({ length: data.length }, (_, i) => data.subarray(i, i + 1));
    expect(plain(pushAll(ones, small))).toEqual(want);
    const big = Array.from({ length: Math.ceil(data.length / 1024) }, (_, i) =>
      data.subarray(i * 1024, (i + 1) * 1024),
    );
    expect(plain(pushAll(big, small))).toEqual(want);
  });

  it('chunks inside one push are zero-copy views; chunks spanning pushes are copies', () => {
    const data = randomBytes(200_000, 4);
    const chunker = new Chunker({ min: 1024, avg: 4096, max: 16384 });
    const a = data.slice(0, 100_001);
    const b = data.slice(100_001);
    const first = chunker.push(a);
    const rest = [...chunker.push(b), ...chunker.finish()];
    expect(first.length).toBeGreaterThan(5);
    for (const c of first) expect(c.bytes.buffer).toBe(a.buffer);
    expect(rest[0]!.bytes.buffer).not.toBe(a.buffer); // spans a and b
    expect(rest[0]!.bytes.buffer).not.toBe(b.buffer);
    // Between the first and the last (the tail that waited for finish() in the pending buffer): views of b.
    expect(rest.length).toBeGreaterThan(5);
    expect(rest.slice(1, -1).every((c) => c.bytes.buffer === b.buffer)).toBe(true);
  });

  it('finish resets the chunker for a new stream; position and buffered report progress', () => {
    const chunker = new Chunker(small);
    const data = randomBytes(5000, 5);
    const first = chunker.push(data.subarray(0, 3000));
    expect(chunker.position).toBe(3000);
    expect(chunker.buffered).toBe(3000 - first.reduce((s, c) => s + c.length, 0));
    expect(chunker.buffered).toBeLessThan(1024);
    first.push(...chunker.push(data.subarray(3000)), ...chunker.finish());
    expect(chunker.position).toBe(0);
    expect(chunker.finish()).toEqual([]);
    const second = [...chunker.push(data), ...chunker.finish()];
    expect(plain(second)).toEqual(plain(first));
    expect(chunk(new Uint8Array(0))).toEqual([]);
  });

  it('totality: any bytes chunk without throwing, under every level and variant', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), sizes, (data, o) => {
        const cs = chunk(data, o);
        expect(cs.reduce((s, c) => s + c.length, 0)).toBe(data.length);
      }),
    );
  });
});

describe('dedup locality', () => {
  const digests = (data: Uint8Array) =>
    chunk(data).map((c) =>
      createHash('sha256')
        .update(data.subarray(c.offset, c.offset + c.length))
        .digest('hex'),
    );
  const base = randomBytes(4 << 20, 42);
  const before = digests(base);
  const known = new Set(before);

  it('inserting, deleting or overwriting k bytes in the middle of 4 MiB changes only the chunks near it', () => {
    const mid = 2 << 20;
    const edits: [string, Uint8Array][] = [];
    for (const k of [1, 7, 100, 5000]) {
      const ins = new Uint8Array(base.length + k);
      ins.set(base.subarray(0, mid));
      ins.set(randomBytes(k, k), mid);
      ins.set(base.subarray(mid), mid + k);
      edits.push([`insert ${k}`, ins]);
      const del = new Uint8Array(base.length - k);
      del.set(base.subarray(0, mid));
      del.set(base.subarray(mid + k), mid);
      edits.push([`delete ${k}`, del]);
    }
    const over = base.slice();
    over[mid] = over[mid]! ^ 0xff;
    edits.push(['flip one byte', over]);
    expect(before.length).toBeGreaterThan(150); // ~4 MiB / ~20 KiB
    for (const [what, edited] of edits) {
      const after = digests(edited);
      const fresh = after.filter((d) => !known.has(d)).length;
      // The edited chunk plus at most a couple of neighbours (a cut point inside the edit can merge or split).
      expect(fresh, what).toBeLessThanOrEqual(3);
      expect(after.length - fresh, what).toBeGreaterThanOrEqual(before.length - 4);
    }
  });
});

describe('bad arguments', () => {
  it.each(notBytes)('chunk, cutPoints and push reject %s with TypeError', (_name, v) => {
    expect(() => chunk(v as Uint8Array)).toThrow(TypeError);
    expect(() => cutPoints(v as Uint8Array)).toThrow(/fastcdc.cutPoints: bytes expected a Uint8Array/);
    expect(() => new Chunker().push(v as Uint8Array)).toThrow(
      /fastcdc.Chunker.push: bytes expected a Uint8Array/,
    );
  });

  // undefined means "use the default", as for any omitted option.
  it.each(notUint.filter(([name]) => name !== 'undefined'))('size options reject %s', (_name, v) => {
    for (const key of ['min', 'avg', 'max', 'level'] as const) {
      expect(() => chunk(new Uint8Array(1), { [key]: v } as FastCdcOptions)).toThrow(
        new RegExp(`fastcdc.chunk: options.${key} expected`),
      );
    }
  });

  it('sizes outside the crate limits or out of order throw RangeError with the limits in the message', () => {
    const b = new Uint8Array(1);
    expect(() => chunk(b, { min: 63, avg: 256, max: 1024 })).toThrow(
      'fastcdc.chunk: options.min expected an integer in [64, 1048576], got 63',
    );
    expect(() => chunk(b, { min: 64, avg: 255, max: 1024 })).toThrow(RangeError);
    expect(() => chunk(b, { min: 64, avg: 256, max: 1023 })).toThrow(RangeError);
    expect(() => chunk(b, { max: LIMITS.maxMax + 1 })).toThrow(RangeError);
    expect(() => chunk(b, { min: 5000, avg: 4096, max: 65536 })).toThrow(
      'fastcdc.chunk: options expected min <= avg <= max, got 5000, 4096, 65536',
    );
    expect(() => chunk(b, { min: 64, avg: 65536, max: 4096 })).toThrow(RangeError);
    expect(() => chunk(b, { level: 4 })).toThrow(RangeError);
    expect(() => chunk(b, { level: -1 })).toThrow(RangeError);
  });

  it('seed, variant, hashes and options themselves are checked', () => {
    const b = new Uint8Array(1);
    expect(() => chunk(b, { seed: -1 })).toThrow(RangeError);
    expect(() => chunk(b, { seed: 1.5 })).toThrow(RangeError);
    expect(() => chunk(b, { seed: 1n << 64n })).toThrow(RangeError);
    expect(() => chunk(b, { seed: '1' as unknown as number })).toThrow(TypeError);
    expect(() => chunk(b, { variant: 'ronomon' as 'v2020' })).toThrow(TypeError);
    expect(() => chunk(b, { hashes: 1 as unknown as boolean })).toThrow(TypeError);
    expect(() => chunk(b, 'fast' as FastCdcOptions)).toThrow(TypeError);
    expect(() => chunk(b, null as unknown as FastCdcOptions)).toThrow(TypeError);
    expect(() => new Chunker({ avg: 7 })).toThrow('fastcdc.Chunker: options.avg expected an integer');
    expect(chunk(b, { seed: (1n << 64n) - 1n })).toHaveLength(1);
    expect(chunk(b, { seed: Number.MAX_SAFE_INTEGER })).toHaveLength(1);
  });

  it('a seed changes the cut points; the same seed as number or bigint is the same', () => {
    const data = randomBytes(300_000, 9);
    const a = plain(chunk(data, { seed: 666 }));
    expect(plain(chunk(data, { seed: 666n }))).toEqual(a);
    expect(plain(chunk(data))).not.toEqual(a);
  });
});
