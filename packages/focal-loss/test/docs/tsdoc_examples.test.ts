/**
 * Keeps the API reference true: every example in a TSDoc comment of the published packages'
 * sources (focal-loss, tfjs-retinanet, tfjs-fast-conv) that imports one of them runs, as a user
 * would run it, against the built packages (`npm run build` first; `npm test` does). A fenced
 * block without such an import is a fragment of the surrounding text and is not run. A renamed
 * option or export then breaks this test, not the user's copy of the example.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const repoDir = join(packageDir, '../..');
const sources = ['focal-loss', 'tfjs-retinanet', 'tfjs-fast-conv'].map((name) => join(repoDir, 'packages', name, 'src'));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORTS_A_PACKAGE = /from '(focal-loss(\/core|\/layers)?|tfjs-retinanet|tfjs-fast-conv)'/;

/** The fenced ```js / ```ts blocks of the file's /** comments, with the leading ` * ` removed. */
function examplesOf(path: string): { language: 'js' | 'ts'; code: string }[] {
  const comments = readFileSync(path, 'utf8').match(/\/\*\*[\s\S]*?\*\//g) ?? [];
  return comments.flatMap((comment) => {
    const text = comment
      .split('\n')
      .map((line) => line.replace(/^\s*\*( |$)/, ''))
      .join('\n');
    return [...text.matchAll(/```(js|ts)\n([\s\S]*?)```/g)].map((m) => ({ language: m[1] as 'js' | 'ts', code: m[2]! }));
  });
}

const examples = sources.flatMap((dir) =>
  tsFiles(dir).flatMap((path) =>
    examplesOf(path)
      .filter((e) => IMPORTS_A_PACKAGE.test(e.code))
      .map((e, i) => ({ ...e, name: `${relative(repoDir, path)} example ${i + 1}` })),
  ),
);

test('the sources have TSDoc examples to run', () => {
  assert.ok(examples.length >= 25, `found ${examples.length} runnable TSDoc examples`);
});

for (const { name, language, code } of examples) {
  test(`${name} runs against the built packages`, () => {
    // Inside the package folder: 'focal-loss' resolves to the build by self-reference, the other
    // packages through the workspace's node_modules.
    const dir = mkdtempSync(join(packageDir, '.tsdoc-'));
    try {
      const file = join(dir, language === 'ts' ? 'example.mts' : 'example.mjs');
      writeFileSync(file, code);
      const args = language === 'ts' ? ['--import', import.meta.resolve('tsx'), file] : [file];
      const run = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: dir });
      assert.equal(run.status, 0, `${name} failed:\n${code}\n${run.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
