/**
 * Private test helpers shared by the syncwire packages.
 * @module
 */
export { garbage, mutated, safeUint, splits, u64 } from './arbitraries.ts';
export { notBytes, notUint } from './bad-arguments.ts';
export { Prng, randomBytes } from './prng.ts';
export { readmeSnippet, runReadmeSnippet } from './readme.ts';
export { loadFixture, loadVectors } from './vectors.ts';
