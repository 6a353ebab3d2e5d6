import { fromHex, isCodecError, toHex } from '@syncwire/bytes';
import { loadVectors } from '@syncwire/testkit';
import { decodeTlvStream, fixedBytes, tlvSchema, tu32, tu64, tuple, u16, u64 } from '@syncwire/tlv';
import { describe, expect, it } from 'vitest';

interface Vector {
  namespace: 'any' | 'either' | 'n1' | 'n2';
  stream: string;
  valid: boolean;
  reason?: string;
  values?: Record<string, string> | string;
}
interface Bolt1 {
  vectors: Vector[];
  init_message_extension: { hex: string; valid: boolean; note: string }[];
}
const v = loadVectors<Bolt1>(import.meta.url, 'tlv-bolt1.json');

// The two test namespaces of BOLT #1 Appendix B.
const n1 = tlvSchema(
  {
    tlv1: { type: 1, codec: tu64 },
    tlv2: { type: 2, codec: fixedBytes(8) },
    tlv3: { type: 3, codec: tuple(fixedBytes(33), u64, u64) },
    tlv4: { type: 254, codec: u16 },
  },
  { format: 'bolt1' },
);
const n2 = tlvSchema(
  { tlv1: { type: 0, codec: tu64 }, tlv2: { type: 11, codec: tu32 } },
  { format: 'bolt1' },
);

// BOLT #1 failure reasons -> our CodecError codes.
function expectedCode(reason: string): string {
  if (/truncated|missing value|less than encoding length/.test(reason)) return 'unexpected_eof';
  if (/not minimal/.test(reason)) return 'not_minimal';
  if (/unknown even/.test(reason)) return 'unknown_required';
  if (/greater than encoding length/.test(reason)) return 'trailing_bytes';
  if (/ordering/.test(reason)) return 'out_of_order';
  throw new Error(`unmapped reason ${reason}`);
}

function outcome(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (e) {
    if (!isCodecError(e)) throw e;
    return e.code;
  }
}

describe('BOLT #1 TLV vectors', () => {
  it.each(v.vectors)('$namespace $stream', (vec) => {
    const bytes = fromHex(vec.stream);
    const schemas = vec.namespace === 'n1' ? [n1] : vec.namespace === 'n2' ? [n2] : [n1, n2];
    for (const schema of schemas) {
      const got = outcome(() => schema.decode(bytes));
      expect(got).toBe(vec.valid ? 'ok' : expectedCode(vec.reason!));
    }
    if (vec.namespace === 'any') {
      // Failures of the stream itself, whatever the namespace.
      expect(outcome(() => decodeTlvStream(bytes, { format: 'bolt1' }))).toBe(expectedCode(vec.reason!));
    }
  });

  it('decodes the valid n1 values exactly', () => {
    for (const vec of v.vectors.filter((x) => x.valid && x.namespace === 'n1')) {
      const decoded = n1.decode(fromHex(vec.stream));
      const values = typeof vec.values === 'string' ? null : vec.values;
      if (values?.tlv1_amount_msat !== undefined) expect(decoded.tlv1).toBe(BigInt(values.tlv1_amount_msat));
      // Canonical: what we accept re-encodes to the same bytes.
      expect(toHex(n1.encode(decoded))).toBe(vec.stream);
    }
  });

  it.each(v.init_message_extension)('init message extension $hex ($note)', ({ hex, valid }) => {
    // init = type u16, gflen u16 + gf, flen u16 + features, then a TLV stream.
    const bytes = fromHex(hex);
    const parse = () => {
      let p = 2;
      const gflen = (bytes[p]! << 8) | bytes[p + 1]!;
      p += 2 + gflen;
      const flen = (bytes[p]! << 8) | bytes[p + 1]!;
      p += 2 + flen;
      if (p > bytes.length) throw new Error('short init');
      return decodeTlvStream(bytes.subarray(p), { format: 'bolt1', known: () => false });
    };
    expect(outcome(parse)).toBe(valid ? 'ok' : 'unexpected_eof');
  });
});
