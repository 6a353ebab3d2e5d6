// Compiles wasm/rs-kernel.wat and wasm/rs-kernel-relaxed.wat with the `wabt` package (a devDependency; no network, no native tools) and
// writes src/wasm-kernel-bytes.ts holding the module as base64. Same .wat + same wabt version = same bytes;
// test/wasm-build.test.ts recompiles and compares against the committed file.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileKernel, renderBytesModule } from './compile-kernel.mjs';

const read = (name) => readFileSync(fileURLToPath(new URL(`../wasm/${name}`, import.meta.url)), 'utf8');
const plain = await compileKernel(read('rs-kernel.wat'));
const relaxed = await compileKernel(read('rs-kernel-relaxed.wat'));
const target = fileURLToPath(new URL('../src/wasm-kernel-bytes.ts', import.meta.url));
writeFileSync(target, renderBytesModule(plain, relaxed));
console.log(`wrote ${target} (${plain.length} + ${relaxed.length} bytes of wasm)`);
