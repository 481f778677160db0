/**
 * The published form of the CLI: packs focal-loss, tfjs-fast-conv, tfjs-retinanet and
 * focal-loss-cli with `npm pack`, installs the tarballs into an empty folder (from npm's cache
 * where it can) and runs the installed `focal-loss` and `focal-loss-cli` commands there, as a
 * user who ran `npm install focal-loss-cli` would. Needs the built dist of the packages (`npm
 * test` builds first). About 20 s here, most of it `npm install`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { pack as packInto, run } from '../../../focal-loss/test/helpers/npm_pack.js';
import { Rng } from '../../src/data/rng.js';
import { packageDir } from '../cli/helpers.js';

const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
const work = mkdtempSync(join(tmpdir(), 'fl-cli-pack-'));
const app = join(work, 'app');

/** Runs an installed command (`focal-loss` unless named) from the app folder. */
const focalLoss = (args: string[], bin = 'focal-loss') => run(join(app, 'node_modules', '.bin', bin), args, { cwd: app });

let cliFiles: string[] = [];
/** Each tarball's file list, by package folder name. */
const tarballFiles = new Map<string, string[]>();

/** The workspace packages the CLI depends on, packed and installed with it (none is on the registry yet). */
const dependencyDirs = ['focal-loss', 'tfjs-fast-conv', 'tfjs-retinanet'].map((name) => join(packageDir, '..', name));

before(() => {
  for (const built of [join(packageDir, 'dist', 'cli', 'main.js'), ...dependencyDirs.map((d) => join(d, 'dist', 'index.js'))]) {
    assert.ok(existsSync(built), `${built} is missing: run \`npm run build\` at the repository root first`);
  }
  const dependencies = dependencyDirs.map((d) => {
    const { filename, files } = packInto(d, work);
    tarballFiles.set(basename(d), files);
    return filename;
  });
  const cli = packInto(packageDir, work);
  cliFiles = cli.files;
  tarballFiles.set('focal-loss-cli', cli.files);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  const r = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...dependencies, cli.filename], { cwd: app });
  assert.equal(r.code, 0, `npm install of the tarballs failed:\n${r.stderr}`);
});

after(() => rmSync(work, { recursive: true, force: true }));

test('the CLI tarball holds the compiled JS, the bin, the require() stub, the README and the LICENSE only', () => {
  assert.ok(cliFiles.includes('bin/focal-loss.js'));
  assert.ok(cliFiles.includes('dist/cli/main.js'));
  assert.ok(cliFiles.includes('dist/stats/index.js') && cliFiles.includes('cjs/require.cjs'));
  const unexpected = cliFiles.filter(
    (f) =>
      !(
        f === 'package.json' ||
        f === 'README.md' ||
        f === 'LICENSE' ||
        f === 'cjs/require.cjs' ||
        f.startsWith('bin/') ||
        /^dist\/.*\.(js|d\.ts)$/.test(f)
      ) || f.startsWith('dist/examples/'),
  );
  assert.deepEqual(unexpected, []);
});

test("each tarball holds its package's own README and LICENSE", () => {
  const repositoryLicense = readFileSync(join(packageDir, '..', '..', 'LICENSE'), 'utf8');
  assert.deepEqual([...tarballFiles.keys()].sort(), ['focal-loss', 'focal-loss-cli', 'tfjs-fast-conv', 'tfjs-retinanet']);
  for (const [name, packed] of tarballFiles) {
    for (const file of ['README.md', 'LICENSE']) assert.ok(packed.includes(file), `the ${name} tarball lacks ${file}`);
    // What npm installed is the package folder's own README (the library's was once the repository's) and the repository's LICENSE.
    const installed = join(app, 'node_modules', name);
    assert.equal(readFileSync(join(installed, 'LICENSE'), 'utf8'), repositoryLicense, `${name} LICENSE`);
    assert.equal(
      readFileSync(join(installed, 'README.md'), 'utf8'),
      readFileSync(join(packageDir, '..', name, 'README.md'), 'utf8'),
      `${name} README`,
    );
  }
});

test('the installed focal-loss --help prints the usage', () => {
  const r = focalLoss(['--help']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Usage: focal-loss compare/);
});

test('the installed focal-loss-cli --help prints the same usage (npx focal-loss-cli runs this command)', () => {
  const r = focalLoss(['--help'], 'focal-loss-cli');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, focalLoss(['--help']).stdout);
  assert.match(r.stdout, /^Usage: focal-loss compare/);
});

test('the installed focal-loss --version prints the package version', () => {
  const r = focalLoss(['--version']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`\\b${version.replace(/\./g, '\\.')}\\b`));
});

test('the installed focal-loss compare --tiny runs on a CSV and writes the report', () => {
  const rng = new Rng(3);
  const rows = ['a,b,y'];
  for (let i = 0; i < 300; i++) {
    const y = i % 10 === 0 ? 1 : 0;
    rows.push(`${(rng.normal() + y).toFixed(4)},${rng.normal().toFixed(4)},${y}`);
  }
  writeFileSync(join(app, 'my.csv'), `${rows.join('\n')}\n`);
  // The user's project is a git repository: its commit is not the CLI's and must not be reported as such.
  run('git', ['init', '-q'], { cwd: app });
  const r = focalLoss(['compare', '--data', 'my.csv', '--label', 'y', '--tiny', '--out', 'report']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Report written to/);
  assert.doesNotMatch(r.stdout + r.stderr, /tfjs-node|running TensorFlow\.js in Node\.js/, 'the tfjs-node banner is silenced');
  for (const file of ['index.html', 'summary.md', 'results.json']) assert.ok(existsSync(join(app, 'report', file)), file);
  const { provenance } = JSON.parse(readFileSync(join(app, 'report', 'results.json'), 'utf8')) as { provenance: { commit: string | null } };
  assert.equal(provenance.commit, null, 'an installed CLI reports no commit');
});

test('the installed focal-loss compare --tiny trains the default task, detection, on worker threads', () => {
  const r = focalLoss(['compare', '--tiny', '--workers', '2', '--out', 'detection-report']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Detection of MNIST digits/);
  const results = JSON.parse(readFileSync(join(app, 'detection-report', 'results.json'), 'utf8')) as {
    environment: { workers: number };
    experiments: { runs: unknown[] }[];
  };
  assert.equal(results.environment.workers, 2, 'the worker entry ships in the package');
  assert.equal(results.experiments[0]!.runs.length, 4);
});
