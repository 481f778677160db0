/**
 * The segmentation task: a small fully convolutional net per (loss setting, seed) on
 * generated MNIST scenes, trained with the softmax focal loss over NHWC logits (two
 * classes) and an ignored one-pixel band outside every mask.
 */
import * as tf from '@tensorflow/tfjs';
import { softmaxFocalLoss } from 'focal-loss';
import { encodeScenes } from '../../data/gray_levels.js';
import { Rng } from '../../data/rng.js';
import { foregroundFraction, generateScenes, IGNORE_LABEL, type SceneSet } from '../../data/scenes.js';
import { expectedCalibrationError, reliabilityBins, segmentationMetrics } from '../../metrics/index.js';
import { predict } from 'tfjs-retinanet';
import { lossGrid, seedList, segmentationDefaults, segmentationSizes, type SegmentationSize } from '../config.js';
import { createFcn } from '../model.js';
import { resamplerFrom } from '../resample.js';
import type { LossSetting } from '../settings.js';
import { trainModel, type EpochReport } from '../train.js';
import type { MetricSpec, Metrics, RunRecord, SceneExamples } from '../types.js';
import type { Task } from './task.js';

/** Segmentation metrics; foreground IoU selects on validation. */
export const SEGMENTATION_METRICS: MetricSpec = {
  primary: 'iou',
  names: ['iou', 'dice', 'precision', 'recall', 'ece'],
  lowerIsBetter: ['ece'],
};

/** Fixed seed of the test scenes: every seed and setting is tested on the same scenes. */
const TEST_SCENE_SEED = 424242;

const pixelsOf = (scenes: SceneSet) => scenes.size * scenes.size;

function imagesTensor(scenes: SceneSet, start: number, end: number): tf.Tensor4D {
  const pixels = scenes.size * scenes.size;
  return tf.tensor4d(scenes.images.subarray(start * pixels, end * pixels), [end - start, scenes.size, scenes.size, 1]);
}

/** Pixel-wise metrics of foreground probabilities against the scene labels (ignore band left out). */
export function sceneMetrics(foreground: Float32Array, scenes: SceneSet): Metrics {
  const predicted = Uint8Array.from(foreground, (p) => (p > 0.5 ? 1 : 0));
  const kept: number[] = [];
  for (let i = 0; i < scenes.labels.length; i++) if (scenes.labels[i] !== IGNORE_LABEL) kept.push(i);
  const bins = reliabilityBins(
    Float32Array.from(kept, (i) => foreground[i]!),
    Float32Array.from(kept, (i) => scenes.labels[i]!),
    15,
  );
  return { ...segmentationMetrics(predicted, scenes.labels, IGNORE_LABEL), ece: expectedCalibrationError(bins) };
}

/** Per-class alpha for the two-class softmax: [1 - alpha, alpha] for (background, foreground), as in the paper. */
export function segmentationAlpha(alpha: number | null): number[] | null {
  return alpha === null ? null : [1 - alpha, alpha];
}

function foregroundProbabilities(model: ReturnType<typeof createFcn>, scenes: SceneSet): Float32Array {
  return predict(
    model,
    scenes.count,
    64,
    (start, end) => imagesTensor(scenes, start, end),
    // Softmax over the two classes, keep the foreground channel.
    (logits) => tf.squeeze(tf.slice(tf.softmax(logits), [0, 0, 0, 1], [-1, -1, -1, 1]), [3]),
  );
}

/** Trains and evaluates one FCN. */
export async function runSegmentation(
  scenes: SegmentationData,
  experimentId: string,
  setting: LossSetting,
  seed: number,
  size: SegmentationSize,
  callbacks: { onEpoch?: (r: EpochReport) => void; onBatch?: (done: number, total: number) => void } = {},
  /** Keep the predicted masks of this many first test scenes for the report's picture. */
  exampleCount = 0,
): Promise<RunRecord> {
  const started = performance.now();
  const { train } = scenes;
  const model = createFcn(size.width, Math.max(1e-3, foregroundFraction(train)), seed * 1000 + 29);
  const pixels = train.size * train.size;
  const alpha = segmentationAlpha(setting.alpha);
  try {
    const result = await trainModel(model, {
      sampleCount: train.count,
      epochs: size.epochs,
      batchSize: size.batchSize,
      learningRate: size.learningRate,
      rng: new Rng(seed * 7919 + 3),
      makeBatch: (indices) => {
        const x = new Float32Array(indices.length * pixels);
        const y = new Int32Array(indices.length * pixels);
        indices.forEach((n, i) => {
          x.set(train.images.subarray(n * pixels, (n + 1) * pixels), i * pixels);
          y.set(train.labels.subarray(n * pixels, (n + 1) * pixels), i * pixels);
        });
        return {
          x: tf.tensor4d(x, [indices.length, train.size, train.size, 1]),
          target: tf.tensor3d(y, [indices.length, train.size, train.size], 'int32'),
        };
      },
      loss: (logits, target) =>
        softmaxFocalLoss(logits, target, {
          gamma: setting.gamma,
          alpha,
          ignoreIndex: IGNORE_LABEL,
          reduction: 'mean',
        }) as tf.Scalar,
      onEpoch: callbacks.onEpoch,
      onBatch: callbacks.onBatch,
    });
    const testForeground = foregroundProbabilities(model, scenes.test);
    const kept: number[] = [];
    for (let i = 0; i < scenes.test.labels.length; i++) if (scenes.test.labels[i] !== IGNORE_LABEL) kept.push(i);
    return {
      experiment: experimentId,
      setting,
      seed,
      epochs: result.lossCurve.length,
      trainLoss: result.lossCurve,
      diverged: result.diverged,
      seconds: (performance.now() - started) / 1000,
      validation: sceneMetrics(foregroundProbabilities(model, scenes.validation), scenes.validation),
      test: sceneMetrics(testForeground, scenes.test),
      testResample: resamplerFrom({
        kind: 'iou',
        predicted: Uint8Array.from(testForeground, (p) => (p > 0.5 ? 1 : 0)),
        labels: scenes.test.labels,
        imagePixels: pixelsOf(scenes.test),
        ignoreLabel: IGNORE_LABEL,
      }),
      curves: {
        reliability: reliabilityBins(
          Float32Array.from(kept, (i) => testForeground[i]!),
          Float32Array.from(kept, (i) => scenes.test.labels[i]!),
          15,
        ),
      },
      ...(exampleCount > 0 ? { examples: { masks: exampleMasks(testForeground, scenes.test, exampleCount) } } : {}),
    };
  } finally {
    model.dispose();
  }
}

/** Per scene (the first `count`), one character per pixel: '1' where the foreground probability exceeds 0.5, else '0'. */
function exampleMasks(foreground: Float32Array, test: SceneSet, count: number): string[] {
  const pixels = test.size * test.size;
  return Array.from({ length: Math.min(count, test.count) }, (_, s) =>
    Array.from(foreground.subarray(s * pixels, (s + 1) * pixels), (p) => (p > 0.5 ? '1' : '0')).join(''),
  );
}

/** The report's example scenes: the first `count` test scenes with their true masks ('.' on the ignored band). */
export function segmentationExamples(test: SceneSet, count: number): SceneExamples {
  const n = Math.min(count, test.count);
  const pixels = test.size * test.size;
  return {
    side: test.size,
    images: encodeScenes(test.images, test.size, n),
    masks: Array.from({ length: n }, (_, s) =>
      Array.from(test.labels.subarray(s * pixels, (s + 1) * pixels), (l) => (l === IGNORE_LABEL ? '.' : l === 1 ? '1' : '0')).join(''),
    ),
  };
}

/** Test scenes drawn in the report. */
const EXAMPLE_SCENES = 8;

/** The scenes of one seed: train and validation vary with the seed, test does not. */
export interface SegmentationData {
  train: SceneSet;
  validation: SceneSet;
  test: SceneSet;
}

/** Generates the scenes of one seed (train and validation vary with the seed, test does not). */
export function makeScenes(size: SegmentationSize, seed: number): SegmentationData {
  const common = { size: size.side, targetDigit: size.targetDigit };
  return {
    train: generateScenes({ ...common, count: size.trainScenes, source: 'train', seed: seed * 2 + 1 }),
    validation: generateScenes({ ...common, count: size.validationScenes, source: 'validation', seed: seed * 2 + 2 }),
    test: generateScenes({ ...common, count: size.testScenes, source: 'test', seed: TEST_SCENE_SEED }),
  };
}

/** The scenes in words, with the first seed's foreground fractions. */
function describeScenes(size: SegmentationSize, first: SegmentationData): string {
  const pct = (s: SceneSet) => `${(100 * foregroundFraction(s)).toFixed(1)} %`;
  return (
    `${size.side}x${size.side} scenes with 1-2 MNIST digits, noise and clutter strokes; mask = digit ${size.targetDigit}, ` +
    `other digits are hard negatives. ${size.trainScenes} train / ${size.validationScenes} validation scenes from MNIST training digits ` +
    `(disjoint digits), ${size.testScenes} test scenes from MNIST test digits. Foreground: ${pct(first.train)} of train pixels, ` +
    `${pct(first.test)} of test pixels. A one-pixel band outside each mask is ignored in the loss and the metrics.`
  );
}

/** Segmentation: one experiment per canvas size of the mode, one FCN per run. */
export const segmentationTask: Task<SegmentationSize, SegmentationData> = {
  convNet: true,
  exampleScenes: EXAMPLE_SCENES,
  plan(options) {
    const defaults = segmentationDefaults(options.mode);
    return {
      experiments: segmentationSizes(options.mode).map((size) => ({ size, grid: lossGrid(options, defaults, 'alpha') })),
      seeds: seedList(options, defaults),
    };
  },
  makeData: (size, seed) => makeScenes(size, seed),
  run: (data, job, callbacks) => runSegmentation(data, job.experimentId, job.setting, job.seed, job.size, callbacks, job.exampleCount),
  describe: (size, first) => ({ id: `scenes-${size.side}`, description: describeScenes(size, first), epochs: size.epochs, announce: true }),
  summary: (r) => `val IoU ${r.validation.iou!.toFixed(3)}, test IoU ${r.test.iou!.toFixed(3)}`,
  report: ({ size, grid, seeds, first, intro, runs }) => {
    const w = size.width;
    return {
      id: intro.id,
      title: `Segmentation of digit ${size.targetDigit} in ${size.side}x${size.side} scenes`,
      task: 'segmentation',
      kind: 'segmentation',
      description: intro.description,
      training:
        `FCN conv3x3(${w})-pool-conv3x3(${2 * w})-pool-conv3x3(${2 * w})-up-conv3x3(${w})-up-[skip]-conv3x3(${w})-conv1x1(2), ` +
        `nearest-neighbour upsampling, Adam ${size.learningRate}, ${size.epochs} epochs, batch ${size.batchSize}, softmax focal loss 'mean' over non-ignored pixels`,
      metrics: SEGMENTATION_METRICS,
      grid: [...grid],
      seeds: [...seeds],
      runs,
      // Test scenes come from a fixed seed: the same for every training seed.
      sharedTestSet: true,
      examples: segmentationExamples(first.test, EXAMPLE_SCENES),
    };
  },
};
