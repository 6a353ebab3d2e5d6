import { assertInteger } from '@syncwire/bytes';
import { MAX_TRANSFER_LENGTH, type Oti } from './oti.ts';
import { K_MAX, kPrimeAtMost } from './systematic.ts';

/** Inputs of the RFC 6330 §4.3 parameter derivation. */
export interface DeriveOptions {
  /** F: object size in octets. */
  transferLength: number;
  /** P': the largest symbol (payload) size, a multiple of `alignment`. It becomes T. */
  maxPayloadSize: number;
  /** WS: the largest source block, in octets, the receiver decodes in memory. Default 10 MiB. */
  workingMemory?: number;
  /** Al: symbol alignment. Default 4 (the RFC's recommendation). */
  alignment?: number;
  /** SS: the smallest sub-symbol is SS·Al octets. Default 8. */
  minSubSymbol?: number;
}

/**
 * The example parameter derivation of RFC 6330 §4.3: T = P', Z source blocks so that each fits K'_max and
 * WS, and the fewest sub-blocks N that make a block fit WS. Throws RangeError for impossible inputs.
 */
export function deriveOti(options: DeriveOptions): Oti {
  const where = 'raptorq.deriveOti';
  const { transferLength: F, maxPayloadSize: T } = options;
  const WS = options.workingMemory ?? 10 * 1024 * 1024;
  const Al = options.alignment ?? 4;
  const SS = options.minSubSymbol ?? 8;
  assertInteger(where, 'transferLength', F, 1, MAX_TRANSFER_LENGTH);
  assertInteger(where, 'alignment', Al, 1, 255);
  assertInteger(where, 'maxPayloadSize', T, Al, 65535);
  assertInteger(where, 'workingMemory', WS, 1, Number.MAX_SAFE_INTEGER);
  assertInteger(where, 'minSubSymbol', SS, 1, 65535);
  if (T % Al !== 0)
    throw new RangeError(`${where}: maxPayloadSize ${T} is not a multiple of alignment ${Al}`);
  const kt = Math.ceil(F / T);
  const nMax = Math.floor(T / (SS * Al));
  if (nMax < 1) {
    throw new RangeError(`${where}: maxPayloadSize ${T} is below minSubSymbol·alignment = ${SS * Al}`);
  }
  const kl = (n: number): number =>
    kPrimeAtMost(Math.min(K_MAX, Math.floor(WS / (Al * Math.ceil(T / (Al * n))))));
  const klMax = kl(nMax);
  if (klMax < 1) throw new RangeError(`${where}: workingMemory ${WS} is too small for one block`);
  const Z = Math.ceil(kt / klMax);
  if (Z > 255) throw new RangeError(`${where}: the object needs ${Z} source blocks (at most 255)`);
  let N = nMax;
  for (let n = 1; n <= nMax; n++) {
    if (Math.ceil(kt / Z) <= kl(n)) {
      N = n;
      break;
    }
  }
  return { transferLength: F, symbolSize: T, sourceBlocks: Z, subBlocks: N, alignment: Al };
}

/**
 * The OTI the `raptorq` reference (cberner/raptorq `ObjectTransmissionInformation::with_defaults`, which the npm
 * `raptorq` package uses) picks for an object of `transferLength` bytes sent in packets of `mtu` symbol bytes:
 * Al = 8, SS = 8, WS = 10 MiB and T = mtu rounded down to a multiple of 8; for mtu < 64, Al = SS = 1 and T = mtu
 * (cberner ≥ 1.8; for mtu ≥ 64 every version agrees). Blocks above about 10 MiB get N > 1 sub-blocks.
 * Throws RangeError when mtu is outside [1, 65535] or the object is too large.
 */
export function withDefaults(transferLength: number, mtu: number): Oti {
  assertInteger('raptorq.withDefaults', 'transferLength', transferLength, 1, MAX_TRANSFER_LENGTH);
  assertInteger('raptorq.withDefaults', 'mtu', mtu, 1, 65535);
  const Al = mtu < 64 ? 1 : 8;
  return deriveOti({
    transferLength,
    maxPayloadSize: mtu - (mtu % Al),
    workingMemory: 10 * 1024 * 1024,
    alignment: Al,
    minSubSymbol: Al === 1 ? 1 : 8,
  });
}
