/** A growable byte buffer for building messages whose size is not known up front. @internal */
export class ByteWriter {
  #buf: Uint8Array;
  length = 0;

  constructor(initial = 256) {
    this.#buf = new Uint8Array(initial);
  }

  #room(n: number): void {
    if (this.length + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.length + n));
    next.set(this.#buf.subarray(0, this.length));
    this.#buf = next;
  }

  byte(b: number): void {
    this.#room(1);
    this.#buf[this.length++] = b;
  }

  bytes(b: Uint8Array): void {
    this.#room(b.length);
    this.#buf.set(b, this.length);
    this.length += b.length;
  }

  /** Negentropy varint (MSB-first base-128) of a u64 given as 32-bit halves. */
  varint64(hi: number, lo: number): void {
    const digits: number[] = [];
    do {
      digits.push(lo & 0x7f);
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    } while (hi !== 0 || lo !== 0);
    this.#room(digits.length);
    for (let i = digits.length - 1; i >= 0; i--) this.#buf[this.length++] = digits[i]! | (i > 0 ? 0x80 : 0);
  }

  /** Negentropy varint of a safe integer. */
  varint(n: number): void {
    this.varint64(Math.floor(n / 0x100000000), n >>> 0);
  }

  /** The bytes written (a view; the writer must not be used afterwards). */
  finish(): Uint8Array {
    return this.#buf.subarray(0, this.length);
  }
}
