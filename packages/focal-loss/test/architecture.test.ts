/**
 * The library's import graph has no cycle and runs one way down its layers (the
 * "importLayers" of package.json: core, the kernels' contract, SIMD, family, GPU plans,
 * webgl/webgpu programs, the rest of the kernels, ops, layers, the entry), as the
 * repository's scripts/check-imports.mjs checks it. The checker itself is tested on a small
 * package written to a temporary directory: a cycle through a type-only re-export, an upward
 * dynamic import, a multi-line import and an import named only in a comment.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const CHECKER = fileURLToPath(new URL('../../../scripts/check-imports.mjs', import.meta.url));

function checkImports(packageDir: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [CHECKER, packageDir], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

test('focal-loss: no import cycle, and no module imports from a layer above its own', () => {
  const { status, output } = checkImports(PACKAGE_DIR);
  assert.equal(status, 0, output);
  assert.match(output, /no cycles, nothing imports upward/);
});

test('check-imports reports a cycle (type-only imports count) and an upward import, and exits 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'check-imports-'));
  try {
    const write = (path: string, text: string): void => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    write('package.json', JSON.stringify({ name: 'fixture', importLayers: { src: 'src', layers: ['low', 'high'] } }));
    write('src/low/a.ts', "// import { h } from '../high/h.js';\nimport {\n  b,\n} from './b.js';\nexport const a = b;\n");
    write('src/low/b.ts', "export type {\n  A,\n} from './a.js';\nexport const b = 1;\n");
    write('src/low/c.ts', "export async function load(): Promise<unknown> {\n  return import('../high/h.js');\n}\n");
    write('src/high/h.ts', "import { b } from '../low/b.js';\nexport const h = b;\n");
    const { status, output } = checkImports(dir);
    assert.equal(status, 1, output);
    assert.match(output, /cycle: low\/a\.ts -> low\/b\.ts -> low\/a\.ts/);
    assert.match(output, /upward: low\/c\.ts:2 \(layer 0 low\) imports high\/h\.ts \(layer 1 high\)/);
    // The commented-out import of a.ts is no import: a.ts has no upward arrow.
    assert.doesNotMatch(output, /upward: low\/a\.ts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
