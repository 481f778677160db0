/**
 * What npm shows for each published package of the repository (every packages/* not marked
 * private): its LICENSE, a copy of the repository's, its README and LICENSE named in "files",
 * where its source, page and issues are, and peer ranges of TF.js that start at the version the
 * lockfile installs (the only one CI tests). The tarballs themselves are checked by the pack
 * tests of focal-loss-cli and tfjs-retinanet.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const read = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');

interface PackageJson {
  name: string;
  private?: boolean;
  files?: string[];
  repository?: unknown;
  homepage?: string;
  bugs?: unknown;
  bin?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
  peerDependencies?: Record<string, string>;
}

const packages = readdirSync(join(REPO_ROOT, 'packages'))
  .map((dir) => ({ dir, pkg: JSON.parse(read(`packages/${dir}/package.json`)) as PackageJson }))
  .filter(({ pkg }) => pkg.private !== true);

test('the published packages are the four expected', () => {
  assert.deepEqual(packages.map(({ pkg }) => pkg.name).sort(), ['focal-loss', 'focal-loss-cli', 'tfjs-fast-conv', 'tfjs-retinanet']);
});

test("each package's LICENSE is the repository's MIT license, and files names it and the README", () => {
  const license = read('LICENSE');
  assert.match(license, /^MIT License\n\nCopyright \(c\) 2026 the focal-loss authors\n/);
  for (const { dir, pkg } of packages) {
    assert.equal(read(`packages/${dir}/LICENSE`), license, `packages/${dir}/LICENSE differs from the repository's LICENSE`);
    for (const file of ['README.md', 'LICENSE']) assert.ok(pkg.files?.includes(file), `${pkg.name}: "files" lacks ${file}`);
  }
});

test('each package points to its folder on GitHub, its README and the issues', () => {
  for (const { dir, pkg } of packages) {
    assert.deepEqual(
      { repository: pkg.repository, homepage: pkg.homepage, bugs: pkg.bugs },
      {
        repository: { type: 'git', url: 'git+https://github.com/focal-loss/focal-loss.git', directory: `packages/${dir}` },
        homepage: `https://github.com/focal-loss/focal-loss/tree/main/packages/${dir}#readme`,
        bugs: { url: 'https://github.com/focal-loss/focal-loss/issues' },
      },
      pkg.name,
    );
  }
});

test('the TF.js peer ranges start at the version CI installs and tests', () => {
  const { version } = JSON.parse(read('node_modules/@tensorflow/tfjs-core/package.json')) as { version: string };
  const peers = packages.flatMap(({ pkg }) =>
    Object.entries(pkg.peerDependencies ?? {})
      .filter(([name]) => name.startsWith('@tensorflow/'))
      .map(([name, range]) => `${pkg.name} ${name} ${range}`),
  );
  assert.ok(peers.length > 0);
  for (const peer of peers) assert.ok(peer.endsWith(` ^${version}`), `${peer}: CI tests @tensorflow/tfjs-core ${version} only`);
});

test('every import entry has a require condition: require(esm) where Node has it, else the stub that says to import', () => {
  for (const { pkg } of packages) {
    for (const [entry, target] of Object.entries(pkg.exports ?? {})) {
      if (typeof target === 'string') continue;
      assert.deepEqual(Object.keys(target), ['types', 'import', 'module-sync', 'require'], `${pkg.name} ${entry}`);
      assert.equal(target['module-sync'], target.import, `${pkg.name} ${entry}`);
      assert.equal(target.require, './cjs/require.cjs', `${pkg.name} ${entry}`);
      assert.ok(pkg.files?.includes('cjs/'), `${pkg.name}: "files" lacks cjs/`);
    }
  }
});

test('the CLI installs its command under its package name too, for npx focal-loss-cli', () => {
  const cli = packages.find(({ pkg }) => pkg.name === 'focal-loss-cli')!.pkg;
  assert.deepEqual(cli.bin, { 'focal-loss-cli': './bin/focal-loss.js', 'focal-loss': './bin/focal-loss.js' });
});
