/**
 * Keeps the README true: every ```js block that imports focal-loss runs, as a user would run
 * it, against the built package (`npm run build` first; `npm test` does).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(packageDir, '../../README.md'), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => /from 'focal-loss(\/core)?'/.test(code));

test('the README has runnable examples', () => {
  assert.ok(blocks.length >= 4, `found ${blocks.length} js blocks`);
});

blocks.forEach((code, i) => {
  test(`README example ${i + 1} runs against the built package`, () => {
    // Inside the package folder, so that 'focal-loss' resolves to the build by self-reference.
    const dir = mkdtempSync(join(packageDir, '.readme-'));
    try {
      const file = join(dir, 'example.mjs');
      writeFileSync(file, code);
      const run = spawnSync(process.execPath, [file], { encoding: 'utf8' });
      assert.equal(run.status, 0, `example ${i + 1} failed:\n${code}\n${run.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
