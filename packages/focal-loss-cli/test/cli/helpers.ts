/** Spawns the CLI from source (through tsx) the way a user runs the built one. */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const mainTs = join(packageDir, 'src', 'cli', 'main.ts');
/** Node arguments that run the CLI from source: `node ...cliCommand compare ...`. */
// tsx by its resolved URL, so that the CLI can run from any working directory.
export const cliCommand = ['--import', import.meta.resolve('tsx'), mainTs];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `focal-loss ...args` and waits for it (no TTY, so progress is printed as plain lines). */
export function runCli(args: string[], cwd = packageDir): CliResult {
  const r = spawnSync(process.execPath, [...cliCommand, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let bundled: string | undefined;

/**
 * The CLI as one self-contained file in a world-readable temporary folder, for tests that run
 * it as another user. That user often cannot reach the checkout (a clone under a mode-700 home
 * directory), so neither `src/` nor `node_modules/tsx` would load; the bundle needs neither.
 * Built once per test process with esbuild (a devDependency), in about a second.
 */
export function cliBundle(): string {
  if (bundled) return bundled;
  const dir = mkdtempSync(join(tmpdir(), 'fl-cli-bundle-'));
  chmodSync(dir, 0o755);
  const file = join(dir, 'focal-loss.mjs');
  buildSync({
    entryPoints: [mainTs],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: file,
    logLevel: 'error',
    // Bundled CommonJS dependencies call require(); give the ES module one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  bundled = file;
  return file;
}

/** Runs the bundled CLI ({@link cliBundle}) as the unprivileged user `nobody` (uid and gid 65534); needs root. */
export function runCliAsNobody(args: string[], cwd: string): CliResult {
  const options: SpawnSyncOptions = { cwd, encoding: 'utf8', uid: 65534, gid: 65534 };
  const r = spawnSync(process.execPath, [cliBundle(), ...args], options);
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}
