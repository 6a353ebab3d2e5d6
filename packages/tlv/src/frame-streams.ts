import { encodeFrame } from './frame.ts';
import { FrameDecoder } from './frame-decoder.ts';
import type { FrameOptions } from './frame-options.ts';

/** Frames (payloads) of a byte stream given as chunks: `for await (const f of decodeFrames(socket)) …`. */
export async function* decodeFrames(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options?: FrameOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const d = new FrameDecoder(options);
  for await (const chunk of source) {
    d.push(chunk);
    for (let f = d.read(); f !== null; f = d.read()) yield f;
  }
  yield* d.finish();
}

/** Each payload of `source` as one encoded frame. */
export async function* encodeFrames(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options?: FrameOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  for await (const payload of source) yield encodeFrame(payload, options);
}

/** The part of a WHATWG TransformStream controller the transformers use. */
export interface ChunkController {
  enqueue(chunk: Uint8Array): void;
}

/** A WHATWG `Transformer<Uint8Array, Uint8Array>`: pass it to `new TransformStream(…)`. */
export interface FrameTransformer {
  transform(chunk: Uint8Array, controller: ChunkController): void;
  flush(controller: ChunkController): void;
}

/**
 * Web Streams adapter: `readable.pipeThrough(new TransformStream(frameDecoderTransformer()))` turns a byte
 * stream into a stream of payloads. Errors (CodecError) error the stream. Needs no DOM or Node types: any
 * environment with `TransformStream` works.
 */
export function frameDecoderTransformer(options?: FrameOptions): FrameTransformer {
  const d = new FrameDecoder(options);
  return {
    transform(chunk, controller) {
      d.push(chunk);
      for (let f = d.read(); f !== null; f = d.read()) controller.enqueue(f);
    },
    flush(controller) {
      for (const f of d.finish()) controller.enqueue(f);
    },
  };
}

/** Web Streams adapter: `new TransformStream(frameEncoderTransformer())` turns payloads into frames. */
export function frameEncoderTransformer(options?: FrameOptions): FrameTransformer {
  return {
    transform(payload, controller) {
      controller.enqueue(encodeFrame(payload, options));
    },
    flush() {},
  };
}
