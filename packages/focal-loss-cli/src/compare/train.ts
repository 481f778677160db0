/**
 * The training loop shared by the tasks: shuffled mini-batches, Adam (or SGD), the mean loss per
 * epoch, and a tensor count after every epoch so that leaks show up in tests.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../data/rng.js';
import { FusedAdam } from './adam.js';
import type { Model } from 'tfjs-retinanet';

/** Builds the input and target tensors of one mini-batch from sample indices (the target: one tensor or several). */
export type BatchMaker<Target extends object = tf.Tensor> = (indices: readonly number[]) => { x: tf.Tensor; target: Target };

/** What one epoch reports. */
export interface EpochReport {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** tf.memory().numTensors after the epoch: constant from epoch to epoch when nothing leaks. */
  numTensors: number;
}

/**
 * The optimiser: Adam (the default here), or the paper's SGD with momentum 0.9, a linear
 * warm-up from a third of the rate over the first tenth of the steps (the paper: 500 of 90k
 * iterations, which a few hundred steps cannot mirror), and the rate divided by 10 at 2/3
 * and at 8/9 of training (the paper's 60k and 80k of 90k). No weight decay in either.
 */
export type OptimizerKind = 'adam' | 'sgd';

/** SGD's learning rate at `step` of `total` steps (see {@link OptimizerKind}). */
export function sgdLearningRate(base: number, step: number, total: number): number {
  const warmup = Math.max(1, Math.round(total / 10));
  const ramp = step < warmup ? 1 / 3 + (2 / 3) * (step / warmup) : 1;
  return base * ramp * stepDecay(step, total);
}

/** The paper's steps: the rate ÷10 at 2/3 and again at 8/9 of training (its 60k and 80k of 90k iterations). */
export function stepDecay(step: number, total: number): number {
  return step >= (8 / 9) * total ? 0.01 : step >= (2 / 3) * total ? 0.1 : 1;
}

/**
 * Options for {@link trainModel}. `Output` is what the loss reads from the model (its logits
 * unless `forward` says otherwise), `Target` what a batch carries besides the input.
 */
export interface TrainOptions<Output = tf.Tensor, Target extends object = tf.Tensor> {
  sampleCount: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Default 'adam'. */
  optimizer?: OptimizerKind;
  /** Adam's rate over training: constant (default), or the paper's steps ({@link stepDecay}; SGD always has them). */
  adamSchedule?: 'constant' | 'steps';
  rng: Rng;
  makeBatch: BatchMaker<Target>;
  /** The model's outputs for the loss; `model.forward` (the logits) unless given. */
  forward?: (x: tf.Tensor) => Output;
  /** The loss of a batch; receives the outputs and the batch's target. */
  loss: (output: Output, target: Target) => tf.Scalar;
  onEpoch?: (report: EpochReport) => void;
  /** Called every few batches so that a progress display can redraw. */
  onBatch?: (done: number, total: number) => void;
}

/** Result of a training run: the loss curve, and whether it diverged (non-finite loss). */
export interface TrainResult {
  lossCurve: number[];
  diverged: boolean;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Trains `model` in place. Stops early, marking the run diverged, if the loss becomes
 * NaN or infinite: such a run is still reported, not silently dropped.
 */
export async function trainModel<Output = tf.Tensor, Target extends object = tf.Tensor>(
  model: Model,
  options: TrainOptions<Output, Target>,
): Promise<TrainResult> {
  const forward = options.forward ?? ((x: tf.Tensor) => model.forward(x) as Output);
  const sgd = options.optimizer === 'sgd' ? tf.train.momentum(options.learningRate, 0.9) : null;
  // Adam as tf.train.adam computes it, in one JS pass per variable (adam.ts): 40 % of the
  // kernel calls of a small step otherwise.
  const adam = sgd ? null : new FusedAdam(options.learningRate);
  const minimize = (f: () => tf.Scalar): tf.Scalar | null =>
    sgd ? sgd.minimize(f, true, model.variables) : adam!.minimize(f, model.variables);
  const lossCurve: number[] = [];
  const batchesPerEpoch = Math.ceil(options.sampleCount / options.batchSize);
  const totalSteps = options.epochs * batchesPerEpoch;
  let diverged = false;
  try {
    for (let epoch = 0; epoch < options.epochs && !diverged; epoch++) {
      const order = options.rng.shuffle(Array.from({ length: options.sampleCount }, (_, i) => i));
      let sum = 0;
      for (let b = 0; b < batchesPerEpoch; b++) {
        const step = epoch * batchesPerEpoch + b;
        sgd?.setLearningRate(sgdLearningRate(options.learningRate, step, totalSteps));
        if (options.adamSchedule === 'steps') adam?.setLearningRate(options.learningRate * stepDecay(step, totalSteps));
        const { x, target } = options.makeBatch(order.slice(b * options.batchSize, (b + 1) * options.batchSize));
        const cost = minimize(() => options.loss(forward(x), target));
        // tf.dispose walks arrays and objects: every tensor of the target goes.
        tf.dispose([x, target as tf.TensorContainer]);
        // Reading the cost synchronises, which cpu and wasm do anyway at this batch size.
        const value = cost ? cost.dataSync()[0]! : NaN;
        cost?.dispose();
        sum += value;
        if (!Number.isFinite(value)) {
          diverged = true;
          break;
        }
        if (options.onBatch && (b % 8 === 7 || b === batchesPerEpoch - 1)) {
          options.onBatch(epoch * batchesPerEpoch + b + 1, options.epochs * batchesPerEpoch);
          await yieldToEventLoop();
        }
      }
      const loss = diverged ? NaN : sum / batchesPerEpoch;
      lossCurve.push(loss);
      options.onEpoch?.({ epoch: epoch + 1, loss, numTensors: tf.memory().numTensors });
    }
  } finally {
    sgd?.dispose();
  }
  return { lossCurve, diverged };
}
