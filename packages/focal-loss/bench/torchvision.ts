/** The torchvision row: torchvision.ops.sigmoid_focal_loss run by torchvision_bench.py. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SigmoidData } from './data.js';
import type { CellResult } from './measure.js';

/** The first Python that imports torch and torchvision ($PYTHON, python3, then Debian's). */
export function findTorchPython(): string | null {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const python of candidates) {
    try {
      execFileSync(python, ['-c', 'import torch, torchvision'], { stdio: 'ignore' });
      return python;
    } catch {
      // try the next one
    }
  }
  return null;
}

export function torchvisionCell(python: string, data: SigmoidData): CellResult & { threads: number } {
  const dir = mkdtempSync(join(tmpdir(), 'focal-bench-'));
  try {
    writeFileSync(join(dir, 'logits.bin'), data.logits);
    writeFileSync(join(dir, 'targets.bin'), data.targets);
    const script = fileURLToPath(new URL('./torchvision_bench.py', import.meta.url));
    const out = execFileSync(python, [script, join(dir, 'logits.bin'), join(dir, 'targets.bin')], { encoding: 'utf8' });
    const parsed = JSON.parse(out) as { seconds: number; runs: number; loss: number; threads: number };
    return { ...parsed, peakExtraBytes: null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
