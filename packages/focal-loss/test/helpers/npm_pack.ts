/**
 * What the packaging tests of every package share (tfjs-retinanet's package test and the CLI's
 * pack test import it): running npm and the installed commands as a user would, and `npm pack`.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { join } from 'node:path';

// Without npm's own variables: under `npm test` the npm_config_* of the repository's run (its
// local prefix, workspace settings) would otherwise reach the child npm as configuration.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));

/** Runs `command args` to completion with text output and the environment above. */
export function run(
  command: string,
  args: string[],
  options: SpawnSyncOptions = {},
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', env, ...options });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/**
 * `npm pack` of the package in `dir` into `destination`, without lifecycle scripts (the dist is
 * already built; a prepack rebuild would race other tests reading dist). Returns the tarball's
 * path and its file list.
 */
export function pack(dir: string, destination: string): { filename: string; files: string[] } {
  const r = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
  return { filename: join(destination, info!.filename), files: info!.files.map((f) => f.path) };
}
