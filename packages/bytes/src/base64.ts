const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/**
 * Bytes of standard base64 (RFC 4648 §4, `=` padding optional). Written out because `atob` is not in the ES
 * library the packages compile against; used for WebAssembly modules embedded in the packages.
 * @throws TypeError on a character outside the alphabet or an impossible length.
 */
export function fromBase64(text: string): Uint8Array {
  if (typeof text !== 'string') throw new TypeError(`fromBase64: expected a string, got ${typeof text}`);
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--; // '='
  if (end % 4 === 1 || text.length - end > 2) throw new TypeError('fromBase64: invalid length or padding');
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) throw new TypeError(`fromBase64: invalid character at index ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  return out;
}
