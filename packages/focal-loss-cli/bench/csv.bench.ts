/**
 * How large a CSV `focal-loss compare --data` handles: generates seeded files of N rows ×
 * 20 numeric features (1 % positives), then, each in a fresh process, reads and checks
 * the file once and splits it for two seeds (what the CLI does before training), and
 * reports the time and the process's peak resident memory. With --run it also times a
 * whole `compare --quick` on the 10^6-row file.
 *
 *   node --import tsx packages/focal-loss-cli/bench/csv.bench.ts [--rows 1000000,2000000] [--run]
 *
 * Prints a markdown table and writes bench/results/csv.json at the repository root.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/data/rng.js';

const FEATURES = 20;
const argRows = process.argv.indexOf('--rows');
const sizes = argRows > 0 ? process.argv[argRows + 1]!.split(',').map(Number) : [1_000_000, 2_000_000];
const withRun = process.argv.includes('--run');
const here = dirname(fileURLToPath(import.meta.url));
const tsx = import.meta.resolve('tsx');

async function writeCsv(path: string, rows: number): Promise<void> {
  const rng = new Rng(rows);
  const out = createWriteStream(path);
  const header = [...Array.from({ length: FEATURES }, (_, j) => `f${j}`), 'y'].join(',') + '\n';
  out.write(header);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const positive = rng.next() < 0.01;
    let line = '';
    for (let j = 0; j < FEATURES; j++) line += (rng.normal() + (positive && j < 3 ? 1 : 0)).toFixed(4) + ',';
    chunk += line + (positive ? '1' : '0') + '\n';
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((r) => out.on('finish', () => r()));
}

/** Runs `script` (ES module source) in a fresh Node process and returns its JSON output. */
function measure(script: string): Record<string, number> {
  const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: here,
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

const load = (path: string) => `
  const { csvLoader } = await import(${JSON.stringify(join(here, '..', 'src', 'data', 'csv.ts'))});
  const t0 = performance.now();
  const loader = csvLoader(${JSON.stringify(path)}, { label: 'y' });
  const t1 = performance.now();
  for (const seed of [0, 1]) loader(seed);
  const t2 = performance.now();
  console.log(JSON.stringify({ readSeconds: (t1 - t0) / 1000, splitSeconds: (t2 - t1) / 2000, peakMB: process.resourceUsage().maxRSS / 1024 }));`;

const compare = (path: string, out: string) => `
  const { main } = await import(${JSON.stringify(join(here, '..', 'src', 'cli', 'main.ts'))});
  const t0 = performance.now();
  const code = await main(['compare', '--quick', '--data', ${JSON.stringify(path)}, '--label', 'y', '--out', ${JSON.stringify(out)}]);
  if (code !== 0) throw new Error('compare exited ' + code);
  console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, peakMB: process.resourceUsage().maxRSS / 1024 }));`;

const dir = mkdtempSync(join(tmpdir(), 'fl-csv-bench-'));
const rows: Record<string, unknown>[] = [];
try {
  console.log('| rows | columns | file MB | read + check s | split per seed s | peak RSS MB |');
  console.log('|---|---|---|---|---|---|');
  for (const n of sizes) {
    const path = join(dir, `rows-${n}.csv`);
    await writeCsv(path, n);
    const fileMB = statSync(path).size / 2 ** 20;
    const m = measure(load(path));
    rows.push({ rows: n, columns: FEATURES + 1, fileMB, ...m });
    console.log(
      `| ${n.toLocaleString('en')} | ${FEATURES + 1} | ${fileMB.toFixed(0)} | ${m.readSeconds!.toFixed(1)} | ${m.splitSeconds!.toFixed(2)} | ${m.peakMB!.toFixed(0)} |`,
    );
    if (withRun && n === 1_000_000) {
      const run = measure(compare(path, join(dir, 'report')));
      rows.push({ rows: n, compareQuick: run });
      console.log(
        `\ncompare --quick on ${n.toLocaleString('en')} rows: ${run.seconds!.toFixed(0)} s, peak RSS ${run.peakMB!.toFixed(0)} MB\n`,
      );
    }
    rmSync(path);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const resultsDir = join(here, '..', '..', '..', 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'csv.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, rows }, null, 2) +
    '\n',
);
