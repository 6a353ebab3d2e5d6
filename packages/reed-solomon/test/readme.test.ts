import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { concat, equals } from '@syncwire/bytes';
import { readmeSnippet } from '@syncwire/testkit';
import { expect, it } from 'vitest';

it('runs the README usage snippet', async () => {
  const snippet = readmeSnippet(import.meta.url);
  // Run it as a real module (TypeScript, real imports) from the ignored .test-results folder.
  const dir = fileURLToPath(new URL('../.test-results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}readme-snippet.ts`;
  writeFileSync(
    file,
    `${snippet}\nexport const result = { blob, ok: rs.verify(shards), joined: joinBlob(rebuilt.slice(0, 4)), parts };\n`,
  );
  const { result } = (await import(/* @vite-ignore */ file)) as {
    result: { blob: Uint8Array; ok: boolean; joined: Uint8Array; parts: Uint8Array[] };
  };
  expect(result.ok).toBe(true);
  expect(equals(result.joined, result.blob)).toBe(true);
  expect(equals(concat(result.parts), result.blob)).toBe(true);
});
