// TextEncoder/TextDecoder exist in every target (Node, browsers, React Native) but the library builds
// with no DOM or Node types, so they are typed here by the little this package uses.
interface Utf8Encoder {
  encode(text: string): Uint8Array;
  encodeInto(text: string, out: Uint8Array): { read: number; written: number };
}
interface Utf8Decoder {
  decode(bytes: Uint8Array): string;
}
const g = globalThis as unknown as {
  TextEncoder: new () => Utf8Encoder;
  TextDecoder: new (label: string, options: { fatal: boolean }) => Utf8Decoder;
};

export const textEncoder: Utf8Encoder = new g.TextEncoder();
/** Throws on invalid UTF-8 instead of inserting U+FFFD. */
export const strictTextDecoder: Utf8Decoder = new g.TextDecoder('utf-8', { fatal: true });
