/**
 * Finds a Chromium for the browser tests and `bench --browser`, in this order:
 *   1. `CHROMIUM_PATH` (must exist when set),
 *   2. a system Chromium/Chrome: /usr/bin/chromium, then `chromium`, `chromium-browser`,
 *      `google-chrome`, `google-chrome-stable` on PATH,
 *   3. the Chromium shipped inside the npm package `@sparticuz/chromium` (a devDependency, so
 *      `npm ci` on a machine with no browser still has one; no download at install time).
 * `FOCAL_LOSS_BROWSER=npm` (or `=system`) forces one source, for checking both paths.
 *
 * The npm binary is unpacked once per package version into `<tmpdir>/focal-loss-chromium-<version>`
 * (staged in a private folder and renamed into place, so test files started in parallel do not
 * race). It is built for AWS Lambda and links NSS (libnss3, libnspr4) and libexpat; where the
 * machine lacks them, the copies the package ships for Amazon Linux 2023 are put on
 * LD_LIBRARY_PATH of the browser process only (`FOCAL_LOSS_BROWSER_LIBS=bundled` uses them
 * regardless, to check that path on a machine that has the libraries).
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

/** Flags for a system Chromium (Debian's): WebGL2 and WebGPU on SwiftShader. */
const SYSTEM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

/** Added to @sparticuz/chromium's own `args` (which select SwiftShader through ANGLE). */
const NPM_EXTRA_FLAGS = [
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

const SYSTEM_CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export interface FoundBrowser {
  /** Where it came from: 'CHROMIUM_PATH', 'system' or 'npm @sparticuz/chromium@<version>'. */
  source: string;
  executablePath: string;
  args: string[];
  /** Extra environment for the browser process (LD_LIBRARY_PATH for the npm binary), or undefined. */
  env?: Record<string, string>;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function systemBrowser(): FoundBrowser | undefined {
  const path = isExecutable('/usr/bin/chromium') ? '/usr/bin/chromium' : SYSTEM_CANDIDATES.map(onPath).find(Boolean);
  return path ? { source: 'system', executablePath: path, args: SYSTEM_FLAGS } : undefined;
}

/** Extracts a POSIX/ustar tar (regular files and folders; pax headers skipped) into `dir`. */
function untar(tar: Buffer, dir: string): void {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const mode = parseInt(field(100, 8).trim() || '644', 8);
    const type = field(156, 1) || '0';
    const body = tar.subarray(offset + 512, offset + 512 + size);
    const target = join(dir, name);
    if (name.split('/').includes('..')) throw new Error(`unsafe path in tar: ${name}`);
    if (type === '5') {
      mkdirSync(target, { recursive: true });
    } else if (type === '0') {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, body, { mode: mode & 0o755 });
    } // 'x'/'g' (pax) and others: nothing to write
    offset += 512 + Math.ceil(size / 512) * 512;
  }
}

/** True when `ldd` reports a library the binary needs as missing (or ldd cannot run). */
function missingLibraries(binary: string): boolean {
  try {
    return /not found/.test(execFileSync('ldd', [binary], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return true;
  }
}

async function npmBrowser(): Promise<FoundBrowser> {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('@sparticuz/chromium');
  } catch {
    throw new Error(
      'No Chromium found: CHROMIUM_PATH is unset, there is no system Chromium/Chrome ' +
        `(/usr/bin/chromium or ${SYSTEM_CANDIDATES.join(', ')} on PATH), and the npm package ` +
        "@sparticuz/chromium is not installed (run 'npm ci'; or 'apt-get install -y chromium').",
    );
  }
  const packageDir = join(dirname(entry), '..', '..');
  const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  const bin = join(packageDir, 'bin');
  const dir = join(tmpdir(), `focal-loss-chromium-${version}`);
  const executablePath = join(dir, 'chromium');
  if (!existsSync(executablePath)) {
    const staging = mkdtempSync(join(tmpdir(), `focal-loss-chromium-${version}-staging-`));
    try {
      writeFileSync(join(staging, 'chromium'), brotliDecompressSync(readFileSync(join(bin, 'chromium.br'))), { mode: 0o755 });
      untar(brotliDecompressSync(readFileSync(join(bin, 'swiftshader.tar.br'))), staging);
      untar(brotliDecompressSync(readFileSync(join(bin, 'al2023.tar.br'))), staging); // lib/: NSS, libexpat
      renameSync(staging, dir);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      // Another process renamed its copy into place first: use that one.
      if (!existsSync(executablePath)) throw error;
    }
  }
  const { default: chromium } = (await import('@sparticuz/chromium')) as { default: { args: string[] } };
  const args = [...chromium.args.filter((a) => !a.startsWith('--headless')), ...NPM_EXTRA_FLAGS];
  let env: Record<string, string> | undefined;
  if (missingLibraries(executablePath) || process.env.FOCAL_LOSS_BROWSER_LIBS === 'bundled') {
    const lib = join(dir, 'lib');
    env = { LD_LIBRARY_PATH: [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter) };
  }
  return { source: `npm @sparticuz/chromium@${version}`, executablePath, args, env };
}

let found: Promise<FoundBrowser> | undefined;

/**
 * The browser to launch (looked up once per process). `FOCAL_LOSS_WEBGPU=0` leaves out
 * --enable-unsafe-webgpu, so Chromium on Linux offers no adapter and the WebGPU suites are
 * reported as skipped (to check that path, or where WebGPU misbehaves).
 */
export function findBrowser(): Promise<FoundBrowser> {
  found ??= lookUp().then((b) =>
    process.env.FOCAL_LOSS_WEBGPU === '0' ? { ...b, args: b.args.filter((a) => a !== '--enable-unsafe-webgpu') } : b,
  );
  return found;
}

async function lookUp(): Promise<FoundBrowser> {
  const forced = process.env.FOCAL_LOSS_BROWSER;
  if (forced === 'npm') return npmBrowser();
  if (forced === 'system') {
    const system = systemBrowser();
    if (!system) throw new Error(`FOCAL_LOSS_BROWSER=system but no /usr/bin/chromium or ${SYSTEM_CANDIDATES.join(', ')} on PATH`);
    return system;
  }
  if (forced) throw new Error(`FOCAL_LOSS_BROWSER=${forced}: expected 'npm' or 'system' (or unset)`);
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} is not an executable file`);
    return { source: 'CHROMIUM_PATH', executablePath: fromEnv, args: SYSTEM_FLAGS };
  }
  return systemBrowser() ?? npmBrowser();
}
