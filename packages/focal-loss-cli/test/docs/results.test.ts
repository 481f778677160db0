/**
 * The published results are the report files themselves: every block of the CLI README, the
 * repository's README and the guides in docs/ marked `<!-- results: NAME -->` …
 * `<!-- /results -->` must be lines of the committed `results/NAME/summary.md`, whose verdicts
 * must be those of `results/NAME/results.json`. So a table cannot be edited by hand, or drift
 * from the run it came from.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { escapeMarkdown } from '../../src/report/table.js';
import { packageDir } from '../cli/helpers.js';

const repoDir = join(packageDir, '..', '..');
const docsDir = join(repoDir, 'docs');
const guides = existsSync(docsDir)
  ? readdirSync(docsDir)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => join(docsDir, f))
  : [];
const readmes = [join(packageDir, 'README.md'), join(repoDir, 'README.md'), ...guides];
const BLOCK = /<!-- results: ([\w-]+) -->\n([\s\S]*?)<!-- \/results -->/g;

const blocks = readmes.flatMap((path) => [...readFileSync(path, 'utf8').matchAll(BLOCK)].map((m) => ({ path, name: m[1]!, text: m[2]! })));

test('the READMEs and guides publish results from committed report files', () => {
  assert.ok(blocks.filter((b) => b.path === readmes[0]).length >= 2, 'result blocks in the CLI README');
  assert.ok(
    blocks.some((b) => b.path === join(docsDir, 'compare.md')),
    'result blocks in docs/compare.md',
  );
});

for (const { path, name, text } of blocks) {
  test(`${relative(repoDir, path)} block '${name}' is copied from results/${name}/summary.md`, () => {
    const dir = join(packageDir, 'results', name);
    assert.ok(
      existsSync(join(dir, 'summary.md')) && existsSync(join(dir, 'results.json')),
      `results/${name} has summary.md and results.json`,
    );
    const summary = new Set(readFileSync(join(dir, 'summary.md'), 'utf8').split('\n'));
    for (const line of text.split('\n').filter((l) => l.trim() !== ''))
      assert.ok(summary.has(line), `not in results/${name}/summary.md: ${line}`);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
      provenance: { commit: string | null; dirty: boolean };
      summaries: { verdictText: string }[];
    };
    assert.match(results.provenance.commit ?? '', /^[0-9a-f]{40}$/, 'made from a commit');
    assert.equal(results.provenance.dirty, false, 'made from a clean checkout');
    // summary.md escapes Markdown (a label such as FL* is written FL\*).
    for (const s of results.summaries)
      assert.ok(summary.has(`**Verdict:** ${escapeMarkdown(s.verdictText)}`), 'summary.md verdicts are results.json verdicts');
  });
}
