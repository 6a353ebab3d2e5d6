import { assertBytes, type Codec, CodecError, describe, isCodecError } from '@syncwire/bytes';
import { resolveTlvOptions, type TlvOptions } from './options.ts';
import { encodeTlvStream, readRecords, type TlvRecord } from './stream.ts';

/** One field of a schema: its record type and the codec of its value. */
export interface TlvField<T> {
  type: number;
  codec: Codec<T>;
}

type Fields = Record<string, TlvField<unknown>>;
/** The object a schema decodes to: every field optional (TLV records may be absent). */
export type TlvObject<F> = { [K in keyof F]?: F[K] extends TlvField<infer T> ? T : never };

/** A typed TLV stream codec built by {@link tlvSchema}. */
export interface TlvSchema<F> {
  /** Encodes the present fields as records in increasing type order. */
  encode(value: TlvObject<F>): Uint8Array;
  /**
   * Decodes a stream: known types fill their fields (each value must be consumed exactly, else
   * `trailing_bytes`); unknown odd types are skipped; unknown even types are `unknown_required`.
   */
  decode(bytes: Uint8Array): TlvObject<F>;
}

/** Options of {@link tlvSchema}: the stream options less `known`, which the schema supplies. */
export type TlvSchemaOptions = Omit<TlvOptions, 'known'>;

/**
 * Declares record types once and gets a typed codec for the stream:
 * ```ts
 * const offer = tlvSchema({ amount: { type: 1, codec: tu64 }, note: { type: 3, codec: utf8 } });
 * offer.decode(offer.encode({ amount: 5n })); // { amount: 5n }
 * ```
 */
export function tlvSchema<const F extends Fields>(fields: F, options: TlvSchemaOptions = {}): TlvSchema<F> {
  const byType = new Map<number, [string, Codec<unknown>]>();
  for (const [name, f] of Object.entries(fields)) {
    if (typeof f?.type !== 'number' || !Number.isSafeInteger(f.type) || f.type < 0) {
      throw new TypeError(
        `tlvSchema: field ${name} expected a non-negative integer type, got ${describe(f?.type)}`,
      );
    }
    if (byType.has(f.type)) throw new RangeError(`tlvSchema: type ${f.type} declared twice`);
    byType.set(f.type, [name, f.codec as Codec<unknown>]);
  }
  const sorted = [...byType.entries()].sort((a, b) => a[0] - b[0]);
  const opts = resolveTlvOptions('tlvSchema', { ...options, known: (t) => byType.has(t) });
  return {
    encode(value) {
      const records: TlvRecord[] = [];
      for (const [type, [name, codec]] of sorted) {
        const v = (value as Record<string, unknown>)[name];
        if (v === undefined) continue;
        const out = new Uint8Array(codec.encodingLength(v));
        codec.encodeInto(v, out, 0);
        records.push({ type, value: out });
      }
      return encodeTlvStream(records, options);
    },
    decode(bytes) {
      assertBytes('tlvSchema.decode', 'bytes', bytes);
      const out: Record<string, unknown> = {};
      readRecords(bytes, opts, (type, value, offset) => {
        const [name, codec] = byType.get(type)!;
        let decoded: { value: unknown; end: number };
        try {
          decoded = codec.decode(value, 0);
        } catch (e) {
          if (isCodecError(e)) throw new CodecError(e.code, `tlv field ${name}: ${e.message}`, offset);
          throw e;
        }
        if (decoded.end !== value.length) {
          throw new CodecError(
            'trailing_bytes',
            `tlv field ${name}: ${value.length - decoded.end} bytes left`,
            offset,
          );
        }
        out[name] = decoded.value;
      });
      return out as TlvObject<F>;
    },
  };
}
