/**
 * How the package answers require() and import(), as a user's code reaches it: each check runs in
 * a fresh `node` from the repository root, where `focal-loss` resolves through the workspace link
 * to this folder's package.json "exports" (and its built dist).
 *
 * - import('focal-loss') (and '/core', '/layers') loads the ES modules.
 * - Where Node can require() an ES module (20.19+, 22.12+: the "module-sync" condition),
 *   require('focal-loss') loads those same modules, the same instances import() gets.
 * - Where it cannot (older Node, --no-experimental-require-module, a bundler's require()), the
 *   "require" condition loads cjs/require.cjs, which throws an error saying to use import.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const ENTRIES = ['focal-loss', 'focal-loss/core', 'focal-loss/layers'];
const MESSAGE =
  "focal-loss is an ES module: use import { sigmoidFocalLoss } from 'focal-loss', or await import('focal-loss') from CommonJS" +
  ' (require() of it needs Node 20.19+ or 22.12+)';

/** Runs `node [flags] -e code` (CommonJS) from the repository root; stdout parsed as JSON. */
function node(code: string, flags: string[] = []): unknown {
  const r = spawnSync(process.execPath, [...flags, '--input-type=commonjs', '-e', code], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** For each entry: what require() threw (message and code), or null if it loaded. */
const requireEach = `
const out = {};
for (const entry of ${JSON.stringify(ENTRIES)}) {
  try { require(entry); out[entry] = null; } catch (e) { out[entry] = { message: e.message, code: e.code }; }
}
console.log(JSON.stringify(out));`;

before(() => {
  for (const file of ['dist/index.js', 'dist/core/index.js', 'dist/layers/index.js'])
    assert.ok(existsSync(`${PACKAGE_DIR}/${file}`), `${file} is missing: run \`npm run build\` at the repository root first`);
});

test("import('focal-loss') and its subpaths load the ES modules", () => {
  const loaded = node(`
Promise.all(${JSON.stringify(ENTRIES)}.map((entry) => import(entry))).then(([main, core, layers]) =>
  console.log(JSON.stringify([typeof main.sigmoidFocalLoss, typeof core.sigmoidFocalLossInto, typeof layers.losses]))
);`);
  assert.deepEqual(loaded, ['function', 'function', 'object']);
});

test('without require(esm), require() of each entry throws the error that says to import it', () => {
  // The flag only exists on Node versions that have require(esm); older ones lack it by default.
  const flags = process.allowedNodeEnvironmentFlags.has('--experimental-require-module') ? ['--no-experimental-require-module'] : [];
  const expected = { message: MESSAGE, code: 'ERR_REQUIRE_ESM' };
  assert.deepEqual(node(requireEach, flags), Object.fromEntries(ENTRIES.map((entry) => [entry, expected])));
});

test('with require(esm), require() loads the same modules import() does', { skip: !process.features.require_module }, () => {
  assert.deepEqual(node(requireEach), Object.fromEntries(ENTRIES.map((entry) => [entry, null])));
  const same = node(`
const required = ${JSON.stringify(ENTRIES)}.map((entry) => require(entry));
Promise.all(${JSON.stringify(ENTRIES)}.map((entry) => import(entry))).then((imported) =>
  console.log(JSON.stringify(imported.map((m, i) => Object.keys(m).length > 0 && Object.keys(m).every((k) => m[k] === required[i][k]))))
);`);
  assert.deepEqual(same, [true, true, true]);
});
