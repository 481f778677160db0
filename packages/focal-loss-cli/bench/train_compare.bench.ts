/**
 * compare's RetinaNet training step, tfjs (wasm, one core) against the same model in PyTorch
 * (one thread), side by side: 3 interleaved rounds of TS 32, PyTorch 32, TS 96, PyTorch 96, each
 * run in a fresh process (train.bench.ts --json, retinanet_twin.py); prints the median over the
 * rounds of each run's median ms per step and the ratio TS / PyTorch per side, and writes
 * bench/results/train.json. The PyTorch column is skipped, with the reason printed, when no
 * Python imports torch and torchvision ($PYTHON, python3, then /usr/bin/python3: Debian's
 * `apt-get install python3-torchvision`).
 *
 *   npm run bench -w focal-loss-cli [-- --rounds N]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const rounds = Number(arg('--rounds', '3'));
const sides = [32, 96] as const;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface StepResult {
  side: number;
  anchorsPerCell: number;
  batch: number;
  params: number;
  stepMs: number;
}

/** The first Python that imports torch and torchvision, or why there is none. */
function findTorchPython(): { python: string } | { reason: string } {
  const candidates = [...new Set([process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c))];
  for (const python of candidates) {
    try {
      execFileSync(python, ['-c', 'import torch, torchvision'], { stdio: 'ignore' });
      return { python };
    } catch {
      // try the next one
    }
  }
  return {
    reason: `no Python with torch and torchvision (tried ${candidates.join(', ')}; Debian: apt-get install -y python3-torchvision)`,
  };
}

/** Runs a command and parses its last stdout line as JSON (its stderr goes to ours). */
function lastJson(command: string, args: string[]): StepResult {
  const out = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as StepResult;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const torch = findTorchPython();
if ('reason' in torch) console.log(`PyTorch column skipped: ${torch.reason}`);
const pyVersion =
  'python' in torch ? execFileSync(torch.python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim() : null;

const loadBefore = loadavg();
const runs: Record<number, { ts: StepResult[]; py: StepResult[] }> = { 32: { ts: [], py: [] }, 96: { ts: [], py: [] } };
for (let round = 1; round <= rounds; round++) {
  for (const side of sides) {
    const ts = lastJson(process.execPath, ['--import', 'tsx', here('./train.bench.ts'), '--side', String(side), '--json']);
    runs[side]!.ts.push(ts);
    let line = `round ${round}, ${side}x${side}: TS ${ts.stepMs.toFixed(1)} ms/step`;
    if ('python' in torch) {
      const py = lastJson(torch.python, [here('./retinanet_twin.py'), '--side', String(side)]);
      if (py.params !== ts.params) throw new Error(`the PyTorch twin has ${py.params} parameters, the tfjs model ${ts.params}`);
      runs[side]!.py.push(py);
      line += `, PyTorch ${py.stepMs.toFixed(1)} ms/step`;
    }
    console.log(line);
  }
}
const loadAfter = loadavg();

const rows = sides.map((side) => {
  const { ts, py } = runs[side]!;
  const tsMs = median(ts.map((r) => r.stepMs));
  const pyMs = py.length ? median(py.map((r) => r.stepMs)) : null;
  return {
    side,
    anchorsPerCell: ts[0]!.anchorsPerCell,
    batch: ts[0]!.batch,
    params: ts[0]!.params,
    tsMs,
    pyMs,
    ratio: pyMs ? tsMs / pyMs : null,
    /** The ratio within each round (TS and PyTorch run back to back): steadier than tsMs / pyMs when the load varies. */
    roundRatios: py.map((p, i) => ts[i]!.stepMs / p.stepMs),
    tsRuns: ts.map((r) => r.stepMs),
    pyRuns: py.map((r) => r.stepMs),
  };
});

const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
console.log(
  `\nRetinaNet training step (forward, loss, backward, Adam), batch 16, median of ${rounds} fresh-process runs of 30 timed steps; ` +
    `TS: tfjs wasm (compare's setupBackend), PyTorch ${pyVersion ?? '(skipped)'} 1 thread; ${cpus().length} CPUs, load average ${load(loadBefore)} before, ${load(loadAfter)} after`,
);
console.log('| side | anchors/cell | params | TS ms/step | PyTorch ms/step | TS / PyTorch | per round |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.side}×${r.side} | ${r.anchorsPerCell} | ${r.params} | ${r.tsMs.toFixed(1)} | ${r.pyMs?.toFixed(1) ?? '–'} | ${r.ratio ? `${r.ratio.toFixed(1)}×` : '–'} | ${r.roundRatios.map((x) => `${x.toFixed(1)}×`).join(' ') || '–'} |`,
  );
}

const out = here('./results/train.json');
mkdirSync(here('./results'), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      rounds,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      loadAverage: { before: loadBefore, after: loadAfter },
      node: process.version,
      pytorch: pyVersion,
      pytorchSkipped: 'reason' in torch ? torch.reason : null,
      rows,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${out}`);
