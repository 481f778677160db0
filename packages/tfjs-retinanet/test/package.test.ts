/**
 * The published form: packs focal-loss and tfjs-retinanet with `npm pack`, installs both
 * tarballs and tfjs-core (the peer) into an empty folder, without the CLI, and uses the
 * detection building blocks and the RetinaNet from there, as a user of `npm install
 * tfjs-retinanet` would: from an ES module, and from CommonJS, where require() loads it only
 * on Node versions that can require() an ES module (others get the error that says to import
 * it). Needs the built dist of both (`npm test` at the root builds first).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { pack as packInto, run } from '../../focal-loss/test/helpers/npm_pack.js';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const libraryDir = join(packageDir, '..', 'focal-loss');
const work = mkdtempSync(join(tmpdir(), 'tfjs-retinanet-pack-'));
const app = join(work, 'app');
let files: string[] = [];
let libraryFiles: string[] = [];

before(() => {
  for (const dir of [libraryDir, packageDir])
    assert.ok(existsSync(join(dir, 'dist', 'index.js')), `${dir}/dist is missing: run \`npm run build\` at the repository root first`);
  const library = packInto(libraryDir, work);
  const retinanet = packInto(packageDir, work);
  files = retinanet.files;
  libraryFiles = library.files;
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  const { version } = JSON.parse(
    readFileSync(join(packageDir, '..', '..', 'node_modules', '@tensorflow', 'tfjs-core', 'package.json'), 'utf8'),
  ) as { version: string };
  const r = run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      library.filename,
      retinanet.filename,
      `@tensorflow/tfjs-core@${version}`,
      `@tensorflow/tfjs-backend-cpu@${version}`,
    ],
    { cwd: app },
  );
  assert.equal(r.code, 0, `npm install of the tarballs failed:\n${r.stderr}`);
});

after(() => rmSync(work, { recursive: true, force: true }));

test('the tarball holds the compiled JS, its types, the require() stub, the README and the LICENSE only', () => {
  for (const file of ['dist/index.js', 'dist/index.d.ts', 'cjs/require.cjs', 'README.md', 'LICENSE']) assert.ok(files.includes(file), file);
  assert.deepEqual(
    files.filter((f) => !(['package.json', 'README.md', 'LICENSE', 'cjs/require.cjs'].includes(f) || /^dist\/.*\.(js|d\.ts)$/.test(f))),
    [],
  );
  // The library's tarball: its LICENSE and require() stub (its README is checked by focal-loss-cli's pack test).
  for (const file of ['LICENSE', 'cjs/require.cjs']) assert.ok(libraryFiles.includes(file), `focal-loss tarball: ${file}`);
});

test("the installed package's README and LICENSE are its own", () => {
  for (const file of ['README.md', 'LICENSE'])
    assert.equal(
      readFileSync(join(app, 'node_modules', 'tfjs-retinanet', file), 'utf8'),
      readFileSync(join(packageDir, file), 'utf8'),
      file,
    );
});

test('installed, require() loads it where Node has require(esm), and otherwise throws the error that says to import it', () => {
  writeFileSync(
    join(app, 'use.cjs'),
    `try {
  const { createRetinaNet } = require('tfjs-retinanet');
  console.log(JSON.stringify(typeof createRetinaNet));
} catch (e) {
  console.log(JSON.stringify({ message: e.message, code: e.code }));
}
`,
  );
  const stub = {
    message:
      "tfjs-retinanet is an ES module: use import { createRetinaNet } from 'tfjs-retinanet', or await import('tfjs-retinanet') from CommonJS" +
      ' (require() of it needs Node 20.19+ or 22.12+)',
    code: 'ERR_REQUIRE_ESM',
  };
  const withoutRequireEsm = process.allowedNodeEnvironmentFlags.has('--experimental-require-module')
    ? ['--no-experimental-require-module']
    : [];
  const without = run(process.execPath, [...withoutRequireEsm, 'use.cjs'], { cwd: app });
  assert.equal(without.code, 0, without.stderr);
  assert.deepEqual(JSON.parse(without.stdout), stub);
  if (process.features.require_module) {
    const r = run(process.execPath, ['use.cjs'], { cwd: app });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), 'function');
  }
});

test('installed without the CLI, it builds anchors, scores COCO and runs the RetinaNet forward pass', () => {
  writeFileSync(
    join(app, 'use.mjs'),
    `import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRetinaNet, detectionAnchors, evaluateCoco } from 'tfjs-retinanet';
const anchors = detectionAnchors({ side: 32, levels: 2, anchorSizeInStrides: 2, scales: [1], aspectRatios: [1] });
const gt = { images: [{ id: 1 }], categories: [{ id: 1 }], annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [2, 2, 10, 10], area: 100, iscrowd: 0 }] };
const { named } = evaluateCoco(gt, [{ image_id: 1, category_id: 1, bbox: [2, 2, 10, 10], score: 0.9 }]);
const model = createRetinaNet({ width: 2, levels: 2, anchorsPerCell: 1, numClasses: 1, prior: 0.01, seed: 1 });
const out = model.forward(tf.zeros([1, 32, 32, 1]));
console.log(JSON.stringify({ anchors: anchors.count, AP: Number(named.AP.toFixed(9)), shape: out.shape }));
`,
  );
  const r = run(process.execPath, ['use.mjs'], { cwd: app });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { anchors: 80, AP: 1, shape: [1, 80, 5] });
  assert.equal(existsSync(join(app, 'node_modules', 'focal-loss-cli')), false, 'the CLI was not installed');
  assert.equal(existsSync(join(app, 'node_modules', 'vega')), false, 'nor its report dependencies');
});
