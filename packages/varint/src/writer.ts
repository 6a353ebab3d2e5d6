import { assertBytes } from '@syncwire/bytes';
import { checkRoom, checkUint } from './check.ts';
import { uintLength, writeUint } from './leb128.ts';

/**
 * Writes consecutive LEB128 varints into a caller's buffer without allocating. `pos` is where the next
 * write goes; a write that would not fit throws RangeError and writes nothing.
 */
export class VarintWriter {
  readonly out: Uint8Array;
  pos: number;

  constructor(out: Uint8Array, offset = 0) {
    assertBytes('VarintWriter', 'out', out);
    this.out = out;
    this.pos = offset;
  }

  /** Appends `value` (a safe non-negative integer) as minimal LEB128. */
  uint(value: number): this {
    checkUint('VarintWriter.uint', value);
    checkRoom('VarintWriter.uint', this.out, this.pos, uintLength(value));
    this.pos = writeUint(value, this.out, this.pos);
    return this;
  }
}
