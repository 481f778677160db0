/**
 * Keeps the documentation true: every ```js block that imports focal-loss (or focal-loss/core,
 * focal-loss/layers) in the library's README (its npm page), the repository's README and the
 * guides in docs/ (not the generated docs/api/) runs, as a user would run it, against the built
 * package (`npm run build` first; `npm test` does).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const repoDir = join(packageDir, '../..');
const docsDir = join(repoDir, 'docs');

const libraryReadme = join(packageDir, 'README.md');
const guides = existsSync(docsDir)
  ? readdirSync(docsDir)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => join(docsDir, f))
  : [];
const files = [libraryReadme, join(repoDir, 'README.md'), ...guides];

const IMPORTS_FOCAL_LOSS = /from 'focal-loss(\/core|\/layers)?'/;
const blocksOf = (path: string) =>
  [...readFileSync(path, 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((code) => IMPORTS_FOCAL_LOSS.test(code));

const examples = files.flatMap((path) => blocksOf(path).map((code, i) => ({ name: `${relative(repoDir, path)} example ${i + 1}`, code })));

test('the library README and the guides have runnable examples', () => {
  assert.ok(blocksOf(libraryReadme).length >= 4, `found ${blocksOf(libraryReadme).length} js blocks in packages/focal-loss/README.md`);
  assert.ok(guides.length >= 5, `found ${guides.length} guides in docs/`);
  assert.ok(examples.length >= 10, `found ${examples.length} js blocks in all`);
});

for (const { name, code } of examples) {
  test(`${name} runs against the built package`, () => {
    // Inside the package folder, so that 'focal-loss' resolves to the build by self-reference.
    const dir = mkdtempSync(join(packageDir, '.readme-'));
    try {
      const file = join(dir, 'example.mjs');
      writeFileSync(file, code);
      const run = spawnSync(process.execPath, [file], { encoding: 'utf8' });
      assert.equal(run.status, 0, `${name} failed:\n${code}\n${run.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
