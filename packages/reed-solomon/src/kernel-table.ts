import { mulTableFull } from './gf256.ts';
import type { Kernel } from './kernel.ts';

/**
 * Pure-TypeScript kernel: one 256-byte product-table row per coefficient, one lookup per byte. The first input
 * of each row assigns instead of XOR-ing so outputs need no clearing; coefficients 0 and 1 skip the lookup.
 */
export const tableKernel: Kernel = {
  name: 'table',
  mul(matrix, inputs, outputs, len) {
    const t = mulTableFull();
    const nin = inputs.length;
    for (let r = 0; r < outputs.length; r++) {
      const out = outputs[r] as Uint8Array;
      for (let c = 0; c < nin; c++) {
        const coef = matrix[r * nin + c] as number;
        const src = inputs[c] as Uint8Array;
        if (c === 0) {
          if (coef === 0) out.fill(0, 0, len);
          else if (coef === 1) out.set(src.subarray(0, len));
          else {
            const row = t.subarray(coef << 8, (coef << 8) + 256);
            for (let j = 0; j < len; j++) out[j] = row[src[j] as number] as number;
          }
        } else if (coef === 1) {
          for (let j = 0; j < len; j++) out[j] = (out[j] as number) ^ (src[j] as number);
        } else if (coef !== 0) {
          const row = t.subarray(coef << 8, (coef << 8) + 256);
          for (let j = 0; j < len; j++) out[j] = (out[j] as number) ^ (row[src[j] as number] as number);
        }
      }
    }
  },
};
