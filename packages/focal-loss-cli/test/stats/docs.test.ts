/**
 * The documentation of focal-loss-cli/stats runs: every TSDoc example in src/stats/ and every
 * ```js block of the package README that imports 'focal-loss-cli/stats', as a user would run it,
 * against the built package (`npm run build -w focal-loss-cli` first; `npm test` does).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const IMPORTS = /from 'focal-loss-cli\/stats'/;

const tsdoc = readdirSync(join(packageDir, 'src/stats'))
  .filter((name) => name.endsWith('.ts'))
  .sort()
  .flatMap((name) => {
    const comments = readFileSync(join(packageDir, 'src/stats', name), 'utf8').match(/\/\*\*[\s\S]*?\*\//g) ?? [];
    const text = comments
      .map((c) =>
        c
          .split('\n')
          .map((line) => line.replace(/^\s*\*( |$)/, ''))
          .join('\n'),
      )
      .join('\n');
    return [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m, i) => ({ name: `src/stats/${name} example ${i + 1}`, code: m[1]! }));
  });
const readme = [...readFileSync(join(packageDir, 'README.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m, i) => ({
  name: `README.md block ${i + 1}`,
  code: m[1]!,
}));
const examples = [...tsdoc, ...readme].filter((e) => IMPORTS.test(e.code));

test('focal-loss-cli/stats has examples to run: one per export and one in the README', () => {
  assert.ok(tsdoc.filter((e) => IMPORTS.test(e.code)).length >= 4, `${tsdoc.length} TSDoc examples`);
  assert.ok(
    readme.some((e) => IMPORTS.test(e.code)),
    'no README block imports focal-loss-cli/stats',
  );
});

for (const { name, code } of examples) {
  test(`${name} runs against the built package`, () => {
    // Inside the package folder, so that 'focal-loss-cli/stats' resolves to the build by self-reference.
    const dir = mkdtempSync(join(packageDir, '.stats-example-'));
    try {
      const file = join(dir, 'example.mjs');
      writeFileSync(file, code);
      const run = spawnSync(process.execPath, [file], { encoding: 'utf8', cwd: dir });
      assert.equal(run.status, 0, `${name} failed:\n${code}\n${run.stderr}`);
      assert.notEqual(run.stdout.trim(), '', `${name} printed nothing`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
