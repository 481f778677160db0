/** Spawns the CLI from source (through tsx) the way a user runs the built one. */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
export function runCli(args: string[], timeoutMs = 120_000, cwd = packageDir): CliResult {
  const r = spawnSync(process.execPath, [...cliCommand, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
