/**
 * The SIMD ratios measured interleaved: one run of each candidate per round, in turn, so
 * that load from other processes (the benchmark machine is shared) falls on all of them
 * alike; the medians over the rounds are compared. The table's cells are timed one after
 * another, a couple of seconds each, and their ratios move with the load; these do not.
 */
import type * as tfNamespace from '@tensorflow/tfjs';
import { setFocalLossSimd } from '../src/kernels/simd/index.js';
import type { BenchData } from './data.js';
import { makeStep } from './implementations.js';
import { sigmoidFloor, softmaxFloor } from './js_floor.js';
import type { Loss } from './row.js';
import { simdKernelOnce } from './simd_cells.js';
import type { TargetLine } from './targets.js';

export interface Interleaved {
  loss: Loss;
  rounds: number;
  /** Median seconds of one step, by candidate. */
  seconds: Record<string, number>;
}

/** js-floor, simd-kernel, the cpu fused op (SIMD) and, for sigmoid, the read-8-write-4 pass, in turn (cpu backend set). */
export function measureInterleaved(tf: typeof tfNamespace, data: BenchData, rounds = 15): Interleaved {
  const n = data.logits.length;
  const step = makeStep(tf, data.kind, 'fused');
  const logits = tf.tensor(data.logits, data.shape);
  const target = data.kind === 'sigmoid' ? tf.tensor(data.targets, data.shape) : tf.tensor1d(data.labels, 'int32');
  const kernel = simdKernelOnce(data);
  const candidates: Record<string, () => void> = {
    'js-floor': () => void (data.kind === 'sigmoid' ? sigmoidFloor(data, new Float32Array(n)) : softmaxFloor(data, new Float32Array(n))),
    'cpu fused op (SIMD)': () => {
      const [loss, grad] = step(logits, target);
      loss.dataSync();
      grad.dataSync();
      tf.dispose([loss, grad]);
    },
  };
  if (kernel !== null) candidates['SIMD kernel'] = () => void kernel();
  if (data.kind === 'sigmoid') {
    const { logits: a, targets: b } = data;
    candidates['read-8-write-4 pass'] = () => {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
    };
  }
  const times: Record<string, number[]> = {};
  setFocalLossSimd(true);
  try {
    for (const run of Object.values(candidates)) run(); // warm-up
    for (let r = 0; r < rounds; r++) {
      for (const [name, run] of Object.entries(candidates)) {
        const start = performance.now();
        run();
        (times[name] ??= []).push((performance.now() - start) / 1000);
      }
    }
  } finally {
    setFocalLossSimd(null);
    tf.dispose([logits, target]);
  }
  const seconds: Record<string, number> = {};
  for (const [name, list] of Object.entries(times)) {
    list.sort((x, y) => x - y);
    seconds[name] = list[list.length >> 1];
  }
  return { loss: data.kind, rounds, seconds };
}

export function interleavedTargets(results: Interleaved[]): TargetLine[] {
  const lines: TargetLine[] = [];
  for (const { loss, rounds, seconds } of results) {
    const floor = seconds['js-floor'];
    const mops = (s: number): string => (1e6 / s / 1e6).toFixed(1);
    for (const name of ['SIMD kernel', 'cpu fused op (SIMD)']) {
      if (seconds[name] === undefined) continue;
      const ratio = floor / seconds[name];
      lines.push({
        target: `${loss}, ${name} >= 4x the best plain JS loop (1e6, fwd+bwd, interleaved, median of ${rounds} rounds)`,
        met: ratio >= 4,
        measured: `${ratio.toFixed(2)}x (${mops(seconds[name])} vs ${mops(floor)} M elem/s)`,
      });
    }
    const pass = seconds['read-8-write-4 pass'];
    if (pass !== undefined) {
      for (const name of ['SIMD kernel', 'cpu fused op (SIMD)']) {
        lines.push({
          target: `${loss}, ${name} time / read-8-write-4 pass time (interleaved, reported)`,
          met: null,
          measured: `${(seconds[name] / pass).toFixed(2)}x (pass: ${mops(pass)} M elem/s)`,
        });
      }
    }
  }
  return lines;
}
