/**
 * The classification experiments: one MLP per (loss setting, seed), trained with the
 * sigmoid (binary) or softmax (multi-class) focal loss, evaluated on validation (for
 * selection) and test (for reporting).
 */
import * as tf from '@tensorflow/tfjs';
import { sigmoidFocalLoss, softmaxFocalLoss } from 'focal-loss';
import type { ClassificationData, LabelledSet } from '../data/classification.js';
import { classCounts } from '../data/classification.js';
import { Rng } from '../data/rng.js';
import {
  argmaxRows,
  averagePrecision,
  averagePrecisionResampler,
  balancedAccuracyResampler,
  bestF1Threshold,
  expectedCalibrationError,
  metricsAtThreshold,
  multiclassMetrics,
  precisionRecallCurve,
  rarestClasses,
  reliabilityBins,
  rocAuc,
  thinCurve,
  topLabelReliability,
} from '../metrics/index.js';
import { shortMetricName } from './metric-names.js';
import { createMlp, priorBias } from './model.js';
import type { ProgressReporter } from './progress.js';
import type { LossSetting } from './settings.js';
import { predict, trainModel, type EpochReport } from './train.js';
import type { ExperimentResult, MetricSpec, Metrics, RunRecord } from './types.js';

/** Model and optimisation sizes for the MLP. */
export interface MlpTraining {
  hidden: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
}

/** Binary metrics; the primary one (average precision) selects the setting on validation. */
export const BINARY_METRICS: MetricSpec = {
  primary: 'averagePrecision',
  names: ['averagePrecision', 'rocAuc', 'precision@0.5', 'recall@0.5', 'f1@0.5', 'precision@val', 'recall@val', 'f1@val', 'ece'],
  lowerIsBetter: ['ece'],
  atTrainPrior: 'averagePrecision',
};

/**
 * Multi-class metrics; balanced accuracy selects, because it does not depend on the class
 * prior, so the long-tailed validation split and the balanced test set measure the same thing.
 */
export const MULTICLASS_METRICS: MetricSpec = {
  primary: 'balancedAccuracy',
  names: ['balancedAccuracy', 'macroF1', 'rareRecall', 'ece', 'accuracy'],
  lowerIsBetter: ['ece'],
  // Balanced accuracy does not change with the prior; macro-F1 does (through precision).
  atTrainPrior: 'macroF1',
};

/**
 * Per-class weights for the softmax loss from the class-weight power p (the paper defines α
 * for two classes only, so more classes get a weighting of their own):
 * w_c ∝ n_c^−p, scaled so that the rarest class gets 1 (the library takes per-class
 * alphas in [0, 1]): p = 0 is no weighting, p = 1 full inverse-frequency weighting. Adam is
 * nearly invariant to the overall scale of the loss.
 */
export function classWeights(power: number | null | undefined, trainCounts: readonly number[]): number[] | null {
  if (power == null) return null;
  const raw = trainCounts.map((n) => (n > 0 ? n ** -power : 0));
  const largest = Math.max(...raw);
  return raw.map((w) => w / largest);
}

function rowsTensor(set: LabelledSet, dim: number, indices: readonly number[]): tf.Tensor2D {
  const x = new Float32Array(indices.length * dim);
  indices.forEach((row, i) => x.set(set.x.subarray(row * dim, (row + 1) * dim), i * dim));
  return tf.tensor2d(x, [indices.length, dim]);
}

function probabilities(model: ReturnType<typeof createMlp>, set: LabelledSet, dim: number, kind: 'binary' | 'multiclass'): Float32Array {
  return predict(
    model,
    set.count,
    2048,
    (start, end) => tf.tensor2d(set.x.subarray(start * dim, end * dim), [end - start, dim]),
    kind === 'binary' ? (logits) => tf.sigmoid(logits) : (logits) => tf.softmax(logits),
  );
}

function binaryMetrics(scores: Float32Array, labels: Int32Array, threshold: number, weights?: Float32Array): Metrics {
  const atHalf = metricsAtThreshold(scores, labels, 0.5, weights);
  const atVal = metricsAtThreshold(scores, labels, threshold, weights);
  return {
    averagePrecision: averagePrecision(scores, labels, weights),
    rocAuc: rocAuc(scores, labels, weights),
    'precision@0.5': atHalf.precision,
    'recall@0.5': atHalf.recall,
    'f1@0.5': atHalf.f1,
    'precision@val': atVal.precision,
    'recall@val': atVal.recall,
    'f1@val': atVal.f1,
    ece: expectedCalibrationError(reliabilityBins(scores, labels, 15, weights)),
  };
}

/** Everything one classification run needs besides the data. */
export interface ClassificationRunOptions {
  training: MlpTraining;
  onEpoch?: (report: EpochReport) => void;
  onBatch?: (done: number, total: number) => void;
}

/** Trains and evaluates one MLP on `data` with one loss setting and seed. */
export async function runClassification(
  data: ClassificationData,
  setting: LossSetting,
  seed: number,
  options: ClassificationRunOptions,
): Promise<RunRecord> {
  const started = performance.now();
  const { training } = options;
  const numClasses = data.classNames.length;
  const counts = classCounts(data.train.y, numClasses);
  const priors = counts.map((n) => n / data.train.count);
  const outputs = data.kind === 'binary' ? 1 : numClasses;
  const dim = data.featureDim;
  const model = createMlp(dim, training.hidden, outputs, priorBias(data.kind, priors), seed * 1000 + 17);
  const alphaWeights = data.kind === 'multiclass' ? classWeights(setting.classWeightPower, counts) : null;
  try {
    const result = await trainModel(model, {
      sampleCount: data.train.count,
      epochs: training.epochs,
      batchSize: training.batchSize,
      learningRate: training.learningRate,
      rng: new Rng(seed * 7919 + 1),
      makeBatch: (indices) => ({
        x: rowsTensor(data.train, dim, indices),
        target:
          data.kind === 'binary'
            ? tf.tensor2d(Float32Array.from(indices, (i) => data.train.y[i]!), [indices.length, 1])
            : tf.tensor1d(Int32Array.from(indices, (i) => data.train.y[i]!), 'int32'),
      }),
      loss:
        data.kind === 'binary'
          ? (logits, target) => sigmoidFocalLoss(logits, target, { gamma: setting.gamma, alpha: setting.alpha, reduction: 'mean' }) as tf.Scalar
          : (logits, target) =>
              softmaxFocalLoss(logits, target, { gamma: setting.gamma, alpha: alphaWeights, reduction: 'mean' }) as tf.Scalar,
      onEpoch: options.onEpoch,
      onBatch: options.onBatch,
    });

    const valProbs = probabilities(model, data.validation, dim, data.kind);
    const testProbs = probabilities(model, data.test, dim, data.kind);
    const record: RunRecord = {
      experiment: data.id,
      setting,
      seed,
      epochs: result.lossCurve.length,
      trainLoss: result.lossCurve,
      diverged: result.diverged,
      seconds: 0,
      validation: {},
      test: {},
    };
    if (data.kind === 'binary') {
      const threshold = bestF1Threshold(valProbs, data.validation.y);
      record.threshold = threshold;
      record.validation = binaryMetrics(valProbs, data.validation.y, threshold);
      record.test = binaryMetrics(testProbs, data.test.y, threshold);
      record.testResample = { units: data.test.count, metric: averagePrecisionResampler(testProbs, data.test.y) };
      record.testReweighted = binaryMetrics(testProbs, data.test.y, threshold, data.testPriorWeights);
      const prCurve = (weights?: Float32Array) =>
        thinCurve(precisionRecallCurve(testProbs, data.test.y, weights), 150).map((p) => ({
          threshold: round(p.threshold),
          precision: round(p.precision),
          recall: round(p.recall),
        }));
      record.curves = {
        pr: prCurve(),
        prAtTrainPrior: prCurve(data.testPriorWeights),
        reliability: reliabilityBins(testProbs, data.test.y, 15),
        // Calibration is only meaningful at the prior the model was trained for.
        reliabilityAtTrainPrior: reliabilityBins(testProbs, data.test.y, 15, data.testPriorWeights),
      };
    } else {
      const rare = rarestClasses(counts, Math.min(3, numClasses - 1));
      record.validation = { ...multiclassMetrics(valProbs, data.validation.y, numClasses, rare) };
      record.test = { ...multiclassMetrics(testProbs, data.test.y, numClasses, rare) };
      record.testResample = { units: data.test.count, metric: balancedAccuracyResampler(data.test.y, argmaxRows(testProbs, numClasses), numClasses) };
      record.testReweighted = { ...multiclassMetrics(testProbs, data.test.y, numClasses, rare, data.testPriorWeights) };
      record.curves = {
        reliability: topLabelReliability(testProbs, data.test.y, numClasses, 15),
        reliabilityAtTrainPrior: topLabelReliability(testProbs, data.test.y, numClasses, 15, data.testPriorWeights),
      };
    }
    record.seconds = (performance.now() - started) / 1000;
    return record;
  } finally {
    model.dispose();
  }
}

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

/** Describes the MLP training for the report. */
export function describeMlp(data: ClassificationData, training: MlpTraining): string {
  const outputs = data.kind === 'binary' ? 1 : data.classNames.length;
  return (
    `MLP ${data.featureDim}-${training.hidden}-${outputs} (ReLU, prior-initialised output bias), ` +
    `Adam ${training.learningRate}, ${training.epochs} epochs, batch ${training.batchSize}, loss reduction 'mean'`
  );
}

/**
 * Runs the whole grid for every seed on data made by `makeData(seed)` (each seed draws
 * its own subsample and split; all settings of a seed share them and the initial weights).
 * `sharedTestSet`: every seed's data has the same test set (see ExperimentResult).
 */
export async function runClassificationExperiment(
  makeData: (seed: number) => ClassificationData,
  grid: readonly LossSetting[],
  seeds: readonly number[],
  training: MlpTraining,
  progress: ProgressReporter,
  sharedTestSet: boolean,
): Promise<ExperimentResult> {
  const runs: RunRecord[] = [];
  let first: ClassificationData | undefined;
  for (const seed of seeds) {
    const data = makeData(seed);
    first ??= data;
    for (const setting of grid) {
      const handle = progress.startRun(`${data.id} ${setting.label} seed ${seed}`, training.epochs);
      const record = await runClassification(data, setting, seed, {
        training,
        onEpoch: (r) => handle.epoch(r.epoch, r.loss),
        onBatch: (done, total) => handle.batch(done, total),
      });
      const spec = data.kind === 'binary' ? BINARY_METRICS : MULTICLASS_METRICS;
      handle.end(`val ${shortMetricName(spec.primary)} ${fmt(record.validation[spec.primary])}, test ${fmt(record.test[spec.primary])}`);
      runs.push(record);
    }
  }
  const data = first!;
  return {
    id: data.id,
    title: data.title,
    task: 'classification',
    kind: data.kind,
    description: data.description,
    training: describeMlp(data, training),
    metrics: data.kind === 'binary' ? BINARY_METRICS : MULTICLASS_METRICS,
    grid: [...grid],
    seeds: [...seeds],
    runs,
    sharedTestSet,
  };
}

function fmt(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(3);
}
