import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readmeSnippet } from '@syncwire/testkit';
import { expect, it } from 'vitest';

it('runs the README usage snippet', async () => {
  const snippet = readmeSnippet(import.meta.url);
  // Run it as a module (TypeScript, real imports) from an ignored folder inside the package.
  const dir = fileURLToPath(new URL('../.test-results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}readme-snippet.ts`;
  writeFileSync(
    file,
    `${snippet}\nexport const result = { received, leaves, ok: verifyInclusion(hashLeaf(leaves[2]!), p.leafIndex, p.treeSize, p.hashes, root) };\n`,
  );
  const { result } = (await import(/* @vite-ignore */ file)) as {
    result: { received: Uint8Array[]; leaves: Uint8Array[]; ok: boolean };
  };
  expect(result.ok).toBe(true);
  expect(result.received).toEqual(result.leaves);
});
