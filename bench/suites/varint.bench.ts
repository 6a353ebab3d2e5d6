import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import { uvarint, VarintReader } from '@syncwire/varint';
import protobuf from 'protobufjs/minimal.js';
import * as uint8Varint from 'uint8-varint';
import varint from 'varint';
import type { CaseSpec, Suite } from '../src/registry.ts';
import { fixtureValues } from './fixtures.ts';

const N = 1000;

/** Values with uniformly distributed bit lengths (1..maxBits), so every varint length is exercised. */
function encodeAll(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  let o = 0;
  for (const v of values) o += uvarint.encodeInto(v, out, o);
  return out.subarray(0, o);
}

/** A decode fixture: `N` values with bit lengths uniform in 1..maxBits, their LEB128 run, a sum checker. */
function decodeFixture(maxBits: number): { buf: Uint8Array; check: (sum: number) => void } {
  const values = fixtureValues(N, maxBits, 0x5eed + maxBits);
  const buf = encodeAll(values);
  const expected = values.reduce((a, b) => a + b, 0);
  const check = (sum: number) => {
    if (sum !== expected) throw new Error(`varint bench: wrong sum ${sum} != ${expected}`);
  };
  return { buf, check };
}

type Impls = CaseSpec['impls'];

/**
 * A decode case. Its impls are made twice and the first set is dropped: V8 compiles a closure that is the
 * only one ever made from its literal with its context folded in, so the fixture buffer becomes a
 * constant, which no real decoder gets (it reads whatever buffer it is handed). With two closures per
 * literal every library runs the generic code real callers run. (A factory shared by u32 and u53 with
 * per-width literals for the protobuf peers only had given the folded form to those two alone.)
 */
function decodeCase(
  fixture: string,
  maxBits: number,
  makeImpls: (buf: Uint8Array, check: (s: number) => void) => Impls,
): CaseSpec {
  const { buf, check } = decodeFixture(maxBits);
  makeImpls(buf, check);
  return { name: `varint/decode/${fixture}`, opsPerCall: N, impls: makeImpls(buf, check) };
}

/** Decode N u32 values from one buffer, one after the other: each library's u32 reader. */
function u32Impls(buf: Uint8Array, check: (s: number) => void): Impls {
  return {
    syncwire: () => {
      const r = new VarintReader(buf);
      let s = 0;
      for (let i = 0; i < N; i++) s += r.uint32();
      check(s);
    },
    // The same data through the 2^53 reader: what u32 callers get without uint32().
    'syncwire uint()': () => {
      const r = new VarintReader(buf);
      let s = 0;
      for (let i = 0; i < N; i++) s += r.uint();
      check(s);
    },
    'uint8-varint': () => {
      let s = 0;
      let o = 0;
      for (let i = 0; i < N; i++) {
        const v = uint8Varint.decodeUint8Array(buf, o);
        o += uint8Varint.encodingLength(v);
        s += v;
      }
      check(s);
    },
    varint: () => {
      let s = 0;
      let o = 0;
      for (let i = 0; i < N; i++) {
        s += varint.decode(buf, o);
        o += varint.decode.bytes ?? 0;
      }
      check(s);
    },
    protobufjs: () => {
      const r = protobuf.Reader.create(buf);
      let s = 0;
      for (let i = 0; i < N; i++) s += r.uint32();
      check(s);
    },
    '@bufbuild/protobuf': () => {
      const r = new BinaryReader(buf);
      let s = 0;
      for (let i = 0; i < N; i++) s += r.uint32();
      check(s);
    },
  };
}

/** Decode N values up to 2^53 − 1: each library's widest number-returning reader (Long / bigint for protobuf). */
function u53Impls(buf: Uint8Array, check: (s: number) => void): Impls {
  return {
    syncwire: () => {
      const r = new VarintReader(buf);
      let s = 0;
      for (let i = 0; i < N; i++) s += r.uint();
      check(s);
    },
    'uint8-varint': () => {
      let s = 0;
      let o = 0;
      for (let i = 0; i < N; i++) {
        const v = uint8Varint.decodeUint8Array(buf, o);
        o += uint8Varint.encodingLength(v);
        s += v;
      }
      check(s);
    },
    varint: () => {
      let s = 0;
      let o = 0;
      for (let i = 0; i < N; i++) {
        s += varint.decode(buf, o);
        o += varint.decode.bytes ?? 0;
      }
      check(s);
    },
    protobufjs: () => {
      const r = protobuf.Reader.create(buf);
      let s = 0;
      for (let i = 0; i < N; i++) s += (r.uint64() as unknown as { toNumber(): number }).toNumber();
      check(s);
    },
    '@bufbuild/protobuf': () => {
      const r = new BinaryReader(buf);
      let s = 0;
      for (let i = 0; i < N; i++) s += Number(r.uint64());
      check(s);
    },
  };
}

function encodeCase(fixture: string, maxBits: number): CaseSpec {
  const values = fixtureValues(N, maxBits, 0xe0c0de + maxBits);
  const out = new Uint8Array(N * 10);
  const expectedLength = encodeAll(values).length;
  const check = (n: number) => {
    if (n !== expectedLength) throw new Error(`varint bench: wrote ${n} bytes, expected ${expectedLength}`);
  };
  const big = maxBits > 32;
  return {
    name: `varint/encode/${fixture}`,
    opsPerCall: N,
    impls: {
      syncwire: () => {
        let o = 0;
        for (let i = 0; i < N; i++) o += uvarint.encodeInto(values[i]!, out, o);
        check(o);
      },
      'uint8-varint': () => {
        let o = 0;
        for (let i = 0; i < N; i++) {
          const v = values[i]!;
          uint8Varint.encodeUint8Array(v, out, o);
          o += uint8Varint.encodingLength(v);
        }
        check(o);
      },
      varint: () => {
        let o = 0;
        for (let i = 0; i < N; i++) {
          varint.encode(values[i]!, out, o);
          o += varint.encode.bytes ?? 0;
        }
        check(o);
      },
      protobufjs: () => {
        const w = protobuf.Writer.create();
        if (big) for (let i = 0; i < N; i++) w.uint64(values[i]!);
        else for (let i = 0; i < N; i++) w.uint32(values[i]!);
        check(w.finish().length);
      },
      '@bufbuild/protobuf': () => {
        const w = new BinaryWriter();
        if (big) for (let i = 0; i < N; i++) w.uint64(values[i]!);
        else for (let i = 0; i < N; i++) w.uint32(values[i]!);
        check(w.finish().length);
      },
    },
  };
}

const suite: Suite = ({ full }) => {
  const u32 = decodeCase('u32', 32, u32Impls);
  if (!full) delete u32.impls['syncwire uint()']; // a variant, not a floor: --full only
  return [u32, decodeCase('u53', 53, u53Impls), encodeCase('u32', 32), encodeCase('u53', 53)];
};
export default suite;
