/**
 * The live comparison: one seeded data set, and two identical MLPs trained on it full-batch,
 * one with cross-entropy and one with focal loss. Holds the current run and the `training`
 * record the page draws and `window.playground.training` reports; no DOM here.
 */
import * as tf from '@tensorflow/tfjs';
import { sigmoidFocalLoss } from 'focal-loss';
import { type PointCloud, pointCloud, type RareClassMetrics, rareClassMetrics, rng } from './data.js';
import { GRID, gridCells } from './grid.js';
import { initialWeights, Mlp } from './mlp.js';
import type { State } from './state.js';

const N_TRAIN = 2000;
const N_TEST = 4000;

export interface Run {
  train: PointCloud;
  test: PointCloud;
  xTrain: tf.Tensor2D;
  yTrain: tf.Tensor2D;
  xTest: tf.Tensor2D;
  grid: tf.Tensor2D;
  ce: Mlp;
  fl: Mlp;
}

let run: Run | null = null;

export const training = {
  step: 0,
  ceLoss: [] as number[],
  flLoss: [] as number[],
  gridCE: [] as number[],
  gridFL: [] as number[],
  /** Grids after the first evaluation of this run (step 0), to show that the maps moved. */
  initialGridCE: [] as number[],
  initialGridFL: [] as number[],
  metrics: null as null | { ce: RareClassMetrics; fl: RareClassMetrics },
  updates: 0,
};

function newRun(state: State): Run {
  const train = pointCloud(N_TRAIN, state.ratio, state.overlap, state.seed);
  const test = pointCloud(N_TEST, state.ratio, state.overlap, state.seed + 1_000_003);
  const init = initialWeights(rng(state.seed + 7));
  return {
    train,
    test,
    xTrain: tf.tensor2d(train.x, [train.n, 2]),
    yTrain: tf.tensor2d(train.y, [train.n, 1]),
    xTest: tf.tensor2d(test.x, [test.n, 2]),
    grid: tf.tensor2d(gridCells(), [GRID * GRID, 2]),
    ce: new Mlp(init),
    fl: new Mlp(init),
  };
}

/** Frees the current run's tensors and models, if there is one (before a backend switch or a new run). */
export function disposeRun(): void {
  if (!run) return;
  tf.dispose([run.xTrain, run.yTrain, run.xTest, run.grid]);
  run.ce.dispose();
  run.fl.dispose();
  run = null;
}

/** Replaces the run with a new one for `state`'s data settings, and clears the record (to step 0). */
export function startRun(state: State): void {
  disposeRun();
  Object.assign(training, { step: 0, ceLoss: [], flLoss: [], metrics: null, updates: 0 });
  run = newRun(state);
}

/**
 * Trains both models `steps` steps (focal loss with `state`'s γ and α), then evaluates them on
 * the grid and the held-out points into `training`. Returns the run to draw, or null where there
 * is no run or it was replaced meanwhile.
 */
export async function tick(steps: number, state: State): Promise<Run | null> {
  if (!run) return null;
  const r = run;
  const focal = { gamma: state.gamma, alpha: state.useAlpha ? state.alpha : null, reduction: 'mean' as const };
  if (steps > 0) {
    const costs: tf.Scalar[] = [];
    for (let s = 0; s < steps; s++) {
      costs.push(
        r.ce.optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(r.yTrain, r.ce.logits(r.xTrain)) as tf.Scalar, true, r.ce.vars)!,
      );
      costs.push(r.fl.optimizer.minimize(() => sigmoidFocalLoss(r.fl.logits(r.xTrain), r.yTrain, focal), true, r.fl.vars)!);
    }
    const stacked = tf.stack(costs);
    tf.dispose(costs);
    const v = await stacked.data();
    stacked.dispose();
    for (let s = 0; s < steps; s++) {
      training.ceLoss.push(v[2 * s]);
      training.flLoss.push(v[2 * s + 1]);
    }
    training.step += steps;
  }
  const out = tf.tidy(() => tf.concat([r.grid, r.xTest].flatMap((x) => [r.ce, r.fl].map((m) => tf.sigmoid(m.logits(x)).reshape([-1])))));
  const p = await out.data();
  out.dispose();
  if (run !== r) return null;
  const g = GRID * GRID;
  const n = r.test.n;
  training.gridCE = Array.from(p.subarray(0, g));
  training.gridFL = Array.from(p.subarray(g, 2 * g));
  if (training.step === 0) {
    training.initialGridCE = training.gridCE;
    training.initialGridFL = training.gridFL;
  }
  training.metrics = {
    ce: rareClassMetrics(p.subarray(2 * g, 2 * g + n), r.test.y),
    fl: rareClassMetrics(p.subarray(2 * g + n, 2 * g + 2 * n), r.test.y),
  };
  training.updates++;
  return r;
}
