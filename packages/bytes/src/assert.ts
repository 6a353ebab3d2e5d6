/** Throws TypeError unless `value` is a Uint8Array (Buffer included). `where` prefixes the message. */
export function assertBytes(where: string, name: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${where}: ${name} expected a Uint8Array, got ${describe(value)}`);
  }
}

/** Throws TypeError/RangeError unless `value` is an integer in [min, max]. */
export function assertInteger(
  where: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${where}: ${name} expected an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) {
    throw new RangeError(`${where}: ${name} expected an integer in [${min}, ${max}], got ${value}`);
  }
}

/** Short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return `string "${value.length > 20 ? `${value.slice(0, 20)}…` : value}"`;
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
