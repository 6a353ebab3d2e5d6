/**
 * Shared byte helpers for the syncwire codecs.
 *
 * @example
 * ```ts
 * import { CodecError, fromHex, isCodecError, toHex } from '@syncwire/bytes';
 * toHex(fromHex('c0ffee')); // 'c0ffee'
 * isCodecError(new CodecError('unexpected_eof', 'short', 3), 'unexpected_eof'); // true
 * ```
 * @module
 */
export { assertBytes, assertInteger, describe } from './assert.ts';
export { fromBase64 } from './base64.ts';
export { type Codec, type Decoded, decode, encode } from './codec.ts';
export { CodecError, type CodecErrorCode, isCodecError } from './codec-error.ts';
export { concat, equals } from './concat.ts';
export { fromHex, toHex } from './hex.ts';
export { compileWasm, type WasmMemory, type WasmModule } from './wasm.ts';
