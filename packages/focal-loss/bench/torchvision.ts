/**
 * The torchvision rows: torchvision.ops.sigmoid_focal_loss run by torchvision_bench.py, pinned
 * to 1 thread, PyTorch's default thread count (torch.get_num_threads() at start) and the CPU
 * count.
 */
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

export interface TorchCell extends CellResult {
  threads: number;
  /** torch.get_num_threads() when the script started. */
  defaultThreads: number;
}

/** One cell per thread count: 1, PyTorch's default and the CPU count (each once). */
export function torchvisionCells(python: string, data: SigmoidData): TorchCell[] {
  const dir = mkdtempSync(join(tmpdir(), 'focal-bench-'));
  try {
    writeFileSync(join(dir, 'logits.bin'), data.logits);
    writeFileSync(join(dir, 'targets.bin'), data.targets);
    const script = fileURLToPath(new URL('./torchvision_bench.py', import.meta.url));
    const out = execFileSync(python, [script, join(dir, 'logits.bin'), join(dir, 'targets.bin')], { encoding: 'utf8' });
    const parsed = JSON.parse(out) as {
      default_threads: number;
      cells: Array<{ threads: number; seconds: number; runs: number; loss: number }>;
    };
    return parsed.cells.map((c) => ({ ...c, defaultThreads: parsed.default_threads, peakExtraBytes: null }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
