import { fromHex } from '@syncwire/bytes';
import { ReedSolomon } from '@syncwire/reed-solomon';
import { loadVectors } from '@syncwire/testkit';
import { describe, expect, it } from 'vitest';
import { expectSameShards } from './helpers.ts';

interface Vectors {
  matrices: [
    { k: number; m: number; parityRows: number[][] },
    { k: number; m: number; firstParityRow: number[] },
  ];
  cases: { k: number; m: number; data: string[]; parity: string[] }[];
}
const v = loadVectors<Vectors>(import.meta.url, 'klauspost-parity.json');

describe('klauspost/Backblaze known answers', () => {
  it('4+2 parity rows of the encoding matrix', () => {
    const e = new ReedSolomon(4, 2).encodingMatrix();
    expect([...e.subarray(16, 20)]).toEqual(v.matrices[0].parityRows[0]);
    expect([...e.subarray(20, 24)]).toEqual(v.matrices[0].parityRows[1]);
  });

  it('10+4 first parity row, and the top k rows are the identity', () => {
    const e = new ReedSolomon(10, 4).encodingMatrix();
    expect([...e.subarray(100, 110)]).toEqual(v.matrices[1].firstParityRow);
    for (let r = 0; r < 10; r++) for (let c = 0; c < 10; c++) expect(e[r * 10 + c]).toBe(r === c ? 1 : 0);
  });

  for (const kernel of ['simd', 'table'] as const) {
    it(`parity vectors (${kernel})`, () => {
      for (const c of v.cases) {
        const rs = new ReedSolomon(c.k, c.m, { kernel });
        expectSameShards(
          rs.encodeParity(c.data.map((h) => fromHex(h))),
          c.parity.map((h) => fromHex(h)),
        );
      }
    });
  }
});
