/**
 * Set reconciliation for syncwire: two peers holding sets of 32-byte ids learn their difference.
 *
 * - **RIBLT** (rateless IBLT, Yang–Gilad–Alizadeh, SIGCOMM 2024): one round trip, ≈ 1.35 coded symbols
 *   (≈ 41 bytes each) per difference, served from a cached, incrementally updated prefix sketch.
 * - **Negentropy v1** (range-based, frame-size limited, timestamps): byte-exact with the reference.
 *
 * Both are sans-IO: bytes in, bytes out. Wire formats: RFC 0007.
 *
 * @example
 * ```ts
 * import { deriveRibltKey, RibltRequester, RibltResponder, RibltSketch } from '@syncwire/reconcile';
 * const key = deriveRibltKey(myNonce, peerNonce);
 * const mine = new RibltSketch(key, { capacity: 4096 });
 * // …mine.add(id) for each id; the peer builds its own sketch the same way…
 * const requester = new RibltRequester(mine);
 * responder.receive(requester.start());
 * for (let b = responder.poll(); b; b = responder.poll()) {
 *   const reply = requester.receive(b);
 *   if (reply) { responder.receive(reply); break; }
 * }
 * requester.result(); // { remoteOnly, localOnly } or undefined
 * ```
 * @module
 */

export {
  MIN_FRAME_SIZE_LIMIT,
  NEGENTROPY_V1,
  Negentropy,
  type NegentropyOptions,
  type NegentropyStep,
} from './negentropy.ts';
export {
  type Bound,
  compareBytes,
  MAX_TIMESTAMP,
  type NegentropyStorage,
  NegentropyStorageVector,
  negentropyFingerprint,
} from './negentropy-storage.ts';
export { negentropyVarint } from './negentropy-varint.ts';
export {
  RibltDecoder,
  type RibltDecoderOptions,
  type RibltDecoderState,
  type RibltResult,
} from './riblt-decoder.ts';
export { RibltEncoder } from './riblt-encoder.ts';
export { deriveRibltKey } from './riblt-key.ts';
export {
  RibltRequester,
  type RibltRequesterOptions,
  RibltResponder,
  type RibltResponderOptions,
} from './riblt-session.ts';
export { RibltSketch } from './riblt-sketch.ts';
export type { CodedSymbolSource } from './riblt-source.ts';
export {
  DEFAULT_RIBLT_LIMITS,
  decodeRibltMessage,
  encodeDone,
  encodeGiveUp,
  encodeWant,
  expectedCount,
  type RibltMessage,
  RibltTag,
  type RibltWireLimits,
  type SymbolBatch,
} from './riblt-wire.ts';
export { sipHash24 } from './siphash.ts';
