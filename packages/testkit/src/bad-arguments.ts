/**
 * Values that are not bytes: each must make a function that takes `Uint8Array` throw TypeError.
 */
export const notBytes: ReadonlyArray<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['number', 42],
  ['string', 'abc'],
  ['array of numbers', [1, 2, 3]],
  ['ArrayBuffer', new ArrayBuffer(4)],
  ['DataView', new DataView(new ArrayBuffer(4))],
  ['Uint16Array', new Uint16Array(2)],
  ['plain object', { length: 2, 0: 1, 1: 2 }],
];

/** Values that are not non-negative safe integers: each must make an integer argument throw. */
export const notUint: ReadonlyArray<[string, unknown]> = [
  ['negative', -1],
  ['fraction', 1.5],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['above MAX_SAFE_INTEGER', 2 ** 53],
  ['string', '1'],
  ['bigint', 1n],
  ['undefined', undefined],
];
