/** What code produced a comparison: the checkout's commit and the versions that compute the numbers. */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What code produced a result: enough to check out and rerun it. */
export interface Provenance {
  /** The git commit of the checkout the CLI ran from; null when it was installed from npm. */
  commit: string | null;
  /** True when the checkout had uncommitted changes (the commit alone does not reproduce the run). */
  dirty: boolean | null;
  /** Versions of the packages that compute the numbers. */
  packages: Record<string, string>;
}

function git(args: string[], cwd: string): string | null {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The commit, dirtiness and package versions of this run. */
export function provenance(): Provenance {
  const here = dirname(fileURLToPath(import.meta.url));
  const require = createRequire(import.meta.url);
  const version = (name: string) => {
    try {
      return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  // Only this package's own checkout counts: an install inside someone's git project (in
  // node_modules, untracked) must not report that project's commit.
  const tracked = git(['ls-files', '--error-unmatch', fileURLToPath(new URL('../../package.json', import.meta.url))], here) !== null;
  const commit = tracked ? git(['rev-parse', 'HEAD'], here) : null;
  const status = commit ? git(['status', '--porcelain', '--untracked-files=no'], here) : null;
  return {
    commit,
    dirty: status === null ? null : status !== '',
    packages: {
      'focal-loss-cli': (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version,
      'focal-loss': version('focal-loss'),
      '@tensorflow/tfjs': tf.version.tfjs,
      '@tensorflow/tfjs-backend-wasm': version('@tensorflow/tfjs-backend-wasm'),
    },
  };
}
