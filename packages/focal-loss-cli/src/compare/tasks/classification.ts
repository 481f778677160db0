/**
 * The classification task: one MLP per (loss setting, seed), trained with the sigmoid
 * (binary) or softmax (multi-class) focal loss, evaluated on validation (for selection) and
 * test (for reporting). Its experiments: MNIST 8-vs-rest at 1:100 and long-tailed 10-class
 * MNIST, or the user's CSV (`--data`).
 */
import * as tf from '@tensorflow/tfjs';
import { sigmoidFocalLoss, softmaxFocalLoss } from 'focal-loss';
import {
  classCounts,
  mnistLongTail,
  mnistOneVsRest,
  type ClassificationData,
  type LabelledSet,
  type MnistClassificationSize,
} from '../../data/classification.js';
import { Rng } from '../../data/rng.js';
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
} from '../../metrics/index.js';
import { predict } from 'tfjs-retinanet';
import { classificationDefaults, csvTraining, lossGrid, mnistSizes, seedList, type MlpTraining, type Mode } from '../config.js';
import { shortMetricName } from '../metric-names.js';
import { createMlp, priorBias } from '../model.js';
import type { LossSetting } from '../settings.js';
import { trainModel, type EpochReport } from '../train.js';
import type { MetricSpec, Metrics, RunRecord } from '../types.js';
import type { Task } from './task.js';

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
            ? tf.tensor2d(
                Float32Array.from(indices, (i) => data.train.y[i]!),
                [indices.length, 1],
              )
            : tf.tensor1d(
                Int32Array.from(indices, (i) => data.train.y[i]!),
                'int32',
              ),
      }),
      loss:
        data.kind === 'binary'
          ? (logits, target) =>
              sigmoidFocalLoss(logits, target, { gamma: setting.gamma, alpha: setting.alpha, reduction: 'mean' }) as tf.Scalar
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
      record.testResample = {
        units: data.test.count,
        metric: balancedAccuracyResampler(data.test.y, argmaxRows(testProbs, numClasses), numClasses),
      };
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

/** What a classification experiment is made from: a built-in MNIST task with its sizes, or the user's CSV. */
export type ClassificationSize =
  | ({ source: 'mnist-8-vs-rest' } & MnistClassificationSize & MlpTraining)
  | ({ source: 'mnist-long-tail' } & MnistClassificationSize & MlpTraining)
  | { source: 'csv'; mode: Mode };

/** One seed's data and the MLP training for it. */
export interface ClassificationRunData {
  set: ClassificationData;
  training: MlpTraining;
}

const metricsOf = (data: ClassificationData): MetricSpec => (data.kind === 'binary' ? BINARY_METRICS : MULTICLASS_METRICS);

function fmt(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(3);
}

/**
 * Classification. Each seed draws its own subsample and split (MNIST) or splits the file
 * anew (CSV); all settings of a seed share them and the initial weights. The runs train in
 * this thread: an MLP run takes a second or two, and the CSV's data comes from a closure.
 */
export const classificationTask: Task<ClassificationSize, ClassificationRunData> = {
  convNet: false,
  exampleScenes: 0,
  plan(options, input) {
    const defaults = classificationDefaults(options.mode);
    const sizes = mnistSizes(options.mode);
    const csvWeighting = (input.csvKind ?? 'binary') === 'multiclass' ? 'power' : 'alpha';
    return {
      experiments:
        options.data || input.csv
          ? [{ size: { source: 'csv', mode: options.mode }, grid: lossGrid(options, defaults, csvWeighting) }]
          : [
              { size: { source: 'mnist-8-vs-rest', ...sizes.binary }, grid: lossGrid(options, defaults, 'alpha') },
              { size: { source: 'mnist-long-tail', ...sizes.longTail }, grid: lossGrid(options, defaults, 'power') },
            ],
      seeds: seedList(options, defaults),
    };
  },
  makeData(size, seed, input) {
    if (size.source === 'mnist-8-vs-rest') return { set: mnistOneVsRest(8, 100, size, seed), training: size };
    if (size.source === 'mnist-long-tail') return { set: mnistLongTail(0.01, size, seed), training: size };
    if (!input.csv) throw new Error('the CSV experiment needs the data (TaskInput.csv)');
    const set = input.csv(seed);
    // The MLP's schedule is sized from the first split's training rows (see csvTraining).
    return { set, training: csvTraining(size.mode, (seed === 0 ? set : input.csv(0)).train.count) };
  },
  run: (data, job, callbacks) => runClassification(data.set, job.setting, job.seed, { training: data.training, ...callbacks }),
  describe: (size, first) => ({
    id: first.set.id,
    description: first.set.description,
    epochs: first.training.epochs,
    announce: size.source !== 'csv',
  }),
  summary(record, first) {
    const { primary } = metricsOf(first.set);
    return `val ${shortMetricName(primary)} ${fmt(record.validation[primary])}, test ${fmt(record.test[primary])}`;
  },
  report: ({ size, grid, seeds, first, runs }) => ({
    id: first.set.id,
    title: first.set.title,
    task: 'classification',
    kind: first.set.kind,
    description: first.set.description,
    training: describeMlp(first.set, first.training),
    metrics: metricsOf(first.set),
    grid: [...grid],
    seeds: [...seeds],
    runs,
    // The MNIST test set (or its fixed subsample) is the same for every seed; each seed splits the CSV anew.
    sharedTestSet: size.source !== 'csv',
  }),
};
