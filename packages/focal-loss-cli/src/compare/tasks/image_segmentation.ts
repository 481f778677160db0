/**
 * Segmentation on the user's own images and masks (`--task segmentation --images DIR --masks
 * DIR`): a small fully convolutional net with as many input channels as the images and one
 * output per class, trained with the softmax focal loss ('mean' over non-ignored pixels) and
 * seeded horizontal flips; per-class IoU on the test images, beside the trivial masks.
 */
import * as tf from '@tensorflow/tfjs';
import { softmaxFocalLoss } from 'focal-loss';
import { predict, type Model, variableFrom } from 'tfjs-retinanet';
import {
  IGNORED_PIXEL,
  type ImageMaskSet,
  loadSegmentationDataset,
  type SegmentationDataset,
  type SegmentationSource,
} from '../../data/images/segmentation_data.js';
import { segmentationSummary } from '../../data/images/summary.js';
import { copyFlipped } from '../../data/images/flip.js';
import { Rng } from '../../data/rng.js';
import { segmentationMetrics } from '../../metrics/index.js';
import type { Mode } from '../config.js';
import { resamplerFrom } from '../resample.js';
import type { LossSetting } from '../settings.js';
import { trainModel } from '../train.js';
import type { Metrics, MetricSpec, RunRecord } from '../types.js';
import { type Chance, chanceWords } from './image_common.js';
import type { RunCallbacks, RunJob } from './task.js';

/** What an image-segmentation experiment is made from: plain data (it is posted to worker threads). */
export interface ImageSegmentationSize {
  source: SegmentationSource;
  side: number;
  width: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
}

/** Default `--image-size` of segmentation. */
export const SEGMENTATION_IMAGE_SIZE = 256;

/** The network and training of a mode. */
export function imageSegmentationSize(mode: Mode, source: SegmentationSource, epochs?: number): ImageSegmentationSize {
  const train =
    mode === 'tiny'
      ? { width: 4, epochs: 1, batchSize: 4 }
      : mode === 'quick'
        ? { width: 8, epochs: 20, batchSize: 4 }
        : { width: 12, epochs: 60, batchSize: 4 };
  return { source, side: source.side, learningRate: 3e-3, ...train, ...(epochs ? { epochs } : {}) };
}

/** One seed's data: the loaded images and masks (the same for every seed) and the summary. */
export interface ImageSegmentationData {
  dataset: SegmentationDataset;
  summary: string[];
}

let loaded: { key: string; data: ImageSegmentationData } | undefined;

/** Loads (once per thread) the user's images and masks. */
export function makeImageSegmentationData(size: ImageSegmentationSize): ImageSegmentationData {
  const key = JSON.stringify(size.source);
  if (loaded?.key === key) return loaded.data;
  loaded = undefined;
  const dataset = loadSegmentationDataset(size.source);
  loaded = { key, data: { dataset, summary: segmentationSummary(dataset, size.side) } };
  return loaded.data;
}

/**
 * A small FCN for NHWC images with `channels` channels and a side divisible by 4: conv3x3(w)-
 * pool-conv3x3(2w)-pool-conv3x3(2w)-up-conv3x3(w)-up-[skip]-conv3x3(w)-conv1x1(K), nearest-
 * neighbour upsampling; the output bias starts at the log class frequencies.
 */
export function createImageFcn(width: number, channels: number, priors: readonly number[], seed: number): Model {
  const he = (k: number, inC: number, outC: number, s: number) => ({
    w: variableFrom(() => tf.randomNormal([k, k, inC, outC], 0, Math.sqrt(2 / (k * k * inC)), 'float32', seed + s)),
    b: variableFrom(() => tf.zeros([outC])),
  });
  const w = width;
  const enc1 = he(3, channels, w, 1);
  const enc2 = he(3, w, 2 * w, 2);
  const mid = he(3, 2 * w, 2 * w, 3);
  const dec2 = he(3, 2 * w, w, 4);
  const dec1 = he(3, 2 * w, w, 5);
  const head = {
    w: variableFrom(() => tf.randomNormal([1, 1, w, priors.length], 0, 0.01, 'float32', seed + 6)),
    b: variableFrom(() => tf.tensor1d(priors.map((p) => Math.log(Math.min(1 - 1e-4, Math.max(1e-4, p)))))),
  };
  const layers = [enc1, enc2, mid, dec2, dec1, head];
  const variables = layers.flatMap((l) => [l.w, l.b]);
  const conv = (x: tf.Tensor4D, l: { w: tf.Variable; b: tf.Variable }, relu = true): tf.Tensor4D => {
    const y = tf.add(tf.conv2d(x, l.w as tf.Tensor4D, 1, 'same'), l.b) as tf.Tensor4D;
    return relu ? tf.relu(y) : y;
  };
  const up = (x: tf.Tensor4D): tf.Tensor4D => tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);
  return {
    variables,
    forward: (input) => {
      const f1 = conv(input as tf.Tensor4D, enc1);
      const f2 = conv(tf.maxPool(f1, 2, 2, 'same'), enc2);
      const f3 = conv(tf.maxPool(f2, 2, 2, 'same'), mid);
      const u2 = conv(up(f3), dec2);
      const u1 = conv(tf.concat([up(u2), f1], 3), dec1);
      return conv(u1, head, false);
    },
    dispose: () => variables.forEach((v) => v.dispose()),
  };
}

/** Per-class α: background 1 − α, every other class α (two classes: the paper's [1 − α, α]). */
export function classAlpha(alpha: number | null, classes: number): number[] | null {
  return alpha === null ? null : Array.from({ length: classes }, (_, c) => (c === 0 ? 1 - alpha : alpha));
}

/** Per-class IoU over all pixels of a set (ignored pixels left out). */
function classIou(predicted: ArrayLike<number>, labels: Int32Array, classes: number): number[] {
  const inter = new Float64Array(classes);
  const union = new Float64Array(classes);
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i]!;
    if (t === IGNORED_PIXEL) continue;
    const p = predicted[i]!;
    if (p === t) {
      inter[t]!++;
      union[t]!++;
    } else {
      union[t]!++;
      union[p]!++;
    }
  }
  return Array.from(inter, (v, c) => (union[c]! > 0 ? v / union[c]! : 0));
}

/** The metrics of predicted classes: binary: foreground IoU (primary), Dice, mIoU and each class's IoU; more classes: mIoU (primary) and each class's IoU. */
export function maskMetrics(predicted: ArrayLike<number>, labels: Int32Array, classNames: readonly string[], binary: boolean): Metrics {
  const per = classIou(predicted, labels, classNames.length);
  const out: Metrics = {};
  if (binary) {
    const m = segmentationMetrics(predicted, labels, IGNORED_PIXEL);
    out.iou = m.iou;
    out.dice = m.dice;
    out.precision = m.precision;
    out.recall = m.recall;
  }
  out.mIoU = per.reduce((a, b) => a + b, 0) / per.length;
  classNames.forEach((n, c) => {
    out[`IoU[${n}]`] = per[c]!;
  });
  return out;
}

/** Metric spec: binary masks select on foreground IoU, others on mIoU. */
export function imageSegmentationMetricSpec(classNames: readonly string[], binary: boolean): MetricSpec {
  const perClass = classNames.map((n) => `IoU[${n}]`);
  return binary
    ? { primary: 'iou', names: ['iou', 'dice', 'precision', 'recall', 'mIoU', ...perClass], lowerIsBetter: [] }
    : { primary: 'mIoU', names: ['mIoU', ...perClass], lowerIsBetter: [] };
}

/** The trivial masks' test scores on the primary metric: every pixel one class (binary: all foreground, all background). */
export function segmentationChance(dataset: SegmentationDataset): Chance {
  const spec = imageSegmentationMetricSpec(dataset.classNames, dataset.binary);
  const { labels } = dataset.test;
  const baselines: Record<string, number> = {};
  dataset.classNames.forEach((name, c) => {
    const label = dataset.binary ? (c === 1 ? 'all foreground' : 'all background') : `all ${name}`;
    baselines[label] = maskMetrics(new Int32Array(labels.length).fill(c), labels, dataset.classNames, dataset.binary)[spec.primary]!;
  });
  return { metric: spec.primary, baselines };
}

/** Class frequencies of the training pixels (for the output bias). */
function trainPriors(set: ImageMaskSet, classes: number): number[] {
  const counts = new Float64Array(classes);
  let total = 0;
  for (const l of set.labels)
    if (l !== IGNORED_PIXEL) {
      counts[l]!++;
      total++;
    }
  return Array.from(counts, (c) => c / Math.max(1, total));
}

function imagesTensor(set: ImageMaskSet, start: number, end: number): tf.Tensor4D {
  const per = set.size * set.size * set.channels;
  return tf.tensor4d(set.images.subarray(start * per, end * per), [end - start, set.size, set.size, set.channels]);
}

/** The predicted class of every pixel of a set. */
function predictClasses(model: Model, set: ImageMaskSet): Int32Array {
  return Int32Array.from(
    predict(
      model,
      set.count,
      8,
      (s, e) => imagesTensor(set, s, e),
      (logits) => tf.cast(tf.argMax(logits, 3), 'float32'),
    ),
  );
}

/** Trains and evaluates one FCN on the user's images. */
export async function runImageSegmentation(
  data: ImageSegmentationData,
  job: RunJob<ImageSegmentationSize>,
  callbacks: RunCallbacks,
): Promise<RunRecord> {
  const started = performance.now();
  const { size, setting, seed } = job;
  const { dataset } = data;
  const { train } = dataset;
  const K = dataset.classNames.length;
  const model = createImageFcn(size.width, train.channels, trainPriors(train, K), seed * 1000 + 29);
  const S = train.size;
  const C = train.channels;
  const per = S * S * C;
  const pixels = S * S;
  const alpha = classAlpha(setting.alpha, K);
  const flips = new Rng(seed * 7919 + 13);
  try {
    const result = await trainModel(model, {
      sampleCount: train.count,
      epochs: size.epochs,
      batchSize: size.batchSize,
      learningRate: size.learningRate,
      rng: new Rng(seed * 7919 + 3),
      makeBatch: (indices) => {
        const x = new Float32Array(indices.length * per);
        const y = new Int32Array(indices.length * pixels);
        indices.forEach((n, i) => {
          const image = train.images.subarray(n * per, (n + 1) * per);
          const labels = train.labels.subarray(n * pixels, (n + 1) * pixels);
          if (flips.next() < 0.5) {
            copyFlipped(image, S, C, x, i * per);
            copyFlipped(labels, S, 1, y, i * pixels);
          } else {
            x.set(image, i * per);
            y.set(labels, i * pixels);
          }
        });
        return { x: tf.tensor4d(x, [indices.length, S, S, C]), target: tf.tensor3d(y, [indices.length, S, S], 'int32') };
      },
      loss: (logits, target) =>
        softmaxFocalLoss(logits, target, { gamma: setting.gamma, alpha, ignoreIndex: IGNORED_PIXEL, reduction: 'mean' }) as tf.Scalar,
      onEpoch: callbacks.onEpoch,
      onBatch: callbacks.onBatch,
    });
    const test = predictClasses(model, dataset.test);
    const validation = predictClasses(model, dataset.validation);
    const examples = Math.min(job.exampleCount, dataset.test.count);
    return {
      experiment: job.experimentId,
      setting,
      seed,
      epochs: result.lossCurve.length,
      trainLoss: result.lossCurve,
      diverged: result.diverged,
      seconds: (performance.now() - started) / 1000,
      validation: maskMetrics(validation, dataset.validation.labels, dataset.classNames, dataset.binary),
      test: maskMetrics(test, dataset.test.labels, dataset.classNames, dataset.binary),
      ...(dataset.binary
        ? {
            testResample: resamplerFrom({
              kind: 'iou',
              predicted: Uint8Array.from(test),
              labels: dataset.test.labels,
              imagePixels: pixels,
              ignoreLabel: IGNORED_PIXEL,
            }),
          }
        : {}),
      ...(examples > 0
        ? {
            examples: {
              masks: Array.from({ length: examples }, (_, s) =>
                Array.from(test.subarray(s * pixels, (s + 1) * pixels), (c) => (c > 0 ? '1' : '0')).join(''),
              ),
            },
          }
        : {}),
    };
  } finally {
    model.dispose();
  }
}

/** The report's true masks of the first test images: '1' any class but 0, '0' class 0, '.' ignored. */
export function trueMasks(set: ImageMaskSet, count: number): string[] {
  const pixels = set.size * set.size;
  return Array.from({ length: Math.min(count, set.count) }, (_, s) =>
    Array.from(set.labels.subarray(s * pixels, (s + 1) * pixels), (l) => (l === IGNORED_PIXEL ? '.' : l > 0 ? '1' : '0')).join(''),
  );
}

/** The data in words: the summary lines and the trivial baselines. */
export function describeImageSegmentation(data: ImageSegmentationData): string {
  return [...data.summary, chanceWords(segmentationChance(data.dataset))].join(' ');
}

/** The network and training in words. */
export function imageSegmentationTraining(size: ImageSegmentationSize, data: ImageSegmentationData, grid: readonly LossSetting[]): string {
  const w = size.width;
  const K = data.dataset.classNames.length;
  return (
    `FCN on ${size.side}x${size.side} ${data.dataset.train.channels === 3 ? 'colour (3 input channels)' : 'gray'} images: conv3x3(${w})-pool-conv3x3(${2 * w})-pool-conv3x3(${2 * w})-up-conv3x3(${w})-up-[skip]-conv3x3(${w})-conv1x1(${K}), ` +
    `Adam ${size.learningRate}, ${size.epochs} epochs, batch ${size.batchSize}, seeded horizontal flips, softmax focal loss 'mean' over non-ignored pixels` +
    `${grid.some((s) => s.alpha !== null) ? (K > 2 ? ', α: background 1 − α, other classes α' : ', α: [1 − α, α] for (background, foreground)') : ''}`
  );
}
