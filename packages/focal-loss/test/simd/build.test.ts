/**
 * The committed inlined module (src/kernels/simd/wasm_binary.ts) is what assembly/ compiles
 * to: scripts/build-wasm.mjs --check rebuilds it and compares. It imports nothing and its
 * memory cannot grow (the JS side keeps views of it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { FOCAL_SIMD_WASM_BASE64 } from '../../src/kernels/simd/wasm_binary.js';

test('the inlined wasm module matches a fresh build of assembly/', () => {
  const script = fileURLToPath(new URL('../../scripts/build-wasm.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
});

test('the module validates, imports nothing and has a fixed memory', () => {
  const bytes = Buffer.from(FOCAL_SIMD_WASM_BASE64, 'base64');
  assert.ok(WebAssembly.validate(bytes));
  const module = new WebAssembly.Module(bytes);
  assert.deepEqual(WebAssembly.Module.imports(module), []);
  const memory = new WebAssembly.Instance(module, {}).exports.memory as WebAssembly.Memory;
  assert.throws(() => memory.grow(1), RangeError);
});
