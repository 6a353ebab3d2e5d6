import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

it('src/xxh64-into.generated.ts is what scripts/gen-xxh64.mjs produces (after biome formatting)', () => {
  const raw = execFileSync(process.execPath, [here('../scripts/gen-xxh64.mjs'), '--stdout'], {
    encoding: 'utf8',
  });
  const biome = here('../../../node_modules/@biomejs/biome/bin/biome');
  const formatted = execFileSync(
    process.execPath,
    [biome, 'format', '--stdin-file-path=src/xxh64-into.generated.ts'],
    {
      input: raw,
      encoding: 'utf8',
      cwd: here('..'),
    },
  );
  expect(formatted).toBe(readFileSync(here('../src/xxh64-into.generated.ts'), 'utf8'));
});
