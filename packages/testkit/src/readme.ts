import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The first ```ts block of the package README (the one next to the calling test's folder). */
export function readmeSnippet(testFileUrl: string): string {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', testFileUrl)), 'utf8');
  const match = /```ts\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README has no ```ts snippet');
  return match[1]!;
}

/**
 * Runs the README's first ```ts snippet as a module (imports resolve as the package's tests do) and
 * returns its exports, so a test can assert on what the snippet computed.
 */
export async function runReadmeSnippet(testFileUrl: string): Promise<Record<string, unknown>> {
  const url = new URL(`./.readme-snippet-${process.pid}.ts`, testFileUrl);
  const path = fileURLToPath(url);
  writeFileSync(path, readmeSnippet(testFileUrl));
  try {
    return (await import(/* @vite-ignore */ url.href)) as Record<string, unknown>;
  } finally {
    rmSync(path, { force: true });
  }
}
