/**
 * Detection on the user's own images (`--task detection --images DIR --voc DIR | --coco FILE`):
 * the RetinaNet of tfjs-retinanet with 3 input channels for colour photos and four FPN levels
 * (strides 4-32, anchors 2 × stride × 3 scales × 3 ratios), trained on the letterboxed training
 * images with seeded horizontal flips, evaluated with COCO's AP on the test images (difficult /
 * crowd regions ignored as COCOeval ignores crowds), beside two trivial baselines.
 */
import * as tf from '@tensorflow/tfjs';
import {
  type AnchorLayout,
  type Anchors,
  batchTargets,
  batchTargetTensors,
  type CocoGroundTruth,
  type CocoResult,
  cocoMetrics,
  createRetinaNet,
  decodeDetections,
  type DetectionTargets,
  detectionAnchors,
  detectionTargets,
  type Model,
  PRIOR,
  predict,
  retinaNetLoss,
  targetRowWidth,
} from 'tfjs-retinanet';
import type { DetectionDataset, DetectionSource, ImageBoxSet } from '../../data/images/detection_data.js';
import { loadDetectionDataset } from '../../data/images/detection_data.js';
import { detectionSummary } from '../../data/images/summary.js';
import { copyFlipped } from '../../data/images/flip.js';
import { Rng } from '../../data/rng.js';
import type { Mode } from '../config.js';
import { resamplerFrom } from '../resample.js';
import { type OptimizerKind, trainModel } from '../train.js';
import type { Metrics, MetricSpec, RunRecord } from '../types.js';
import { exampleDetections } from './detection_figures.js';
import { chanceWords, IMAGE_EXAMPLES, imageExamples, type Chance } from './image_common.js';
import type { RunCallbacks, RunJob } from './task.js';

/** What an image-detection experiment is made from: plain data (it is posted to worker threads). */
export interface ImageDetectionSize extends AnchorLayout {
  source: DetectionSource;
  width: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer?: OptimizerKind;
}

/** Default `--image-size` of detection. */
export const DETECTION_IMAGE_SIZE = 128;

/** The network and training of a mode (the anchors: four levels of 2 × stride, RetinaNet's 3 scales × 3 ratios). */
export function imageDetectionSize(mode: Mode, source: DetectionSource, epochs?: number): ImageDetectionSize {
  const train =
    mode === 'tiny'
      ? { width: 4, epochs: 1, batchSize: 4 }
      : mode === 'quick'
        ? { width: 8, epochs: 8, batchSize: 4 }
        : { width: 12, epochs: 30, batchSize: 4 };
  return {
    source,
    side: source.side,
    levels: 4,
    anchorSizeInStrides: 2,
    scales: [1, 2 ** (1 / 3), 2 ** (2 / 3)],
    aspectRatios: [0.5, 1, 2],
    // Batch 4 at 3e-3: on raccoon (140 training images) batch 8 at 2e-3 took too few steps in 8 epochs (test AP50 0.60 against 0.82).
    learningRate: 3e-3,
    ...train,
    ...(epochs ? { epochs } : {}),
  };
}

/** The anchors of a layout at another image size (for the summary's suggestion). */
const anchorsAt = (size: ImageDetectionSize) => (side: number) => detectionAnchors({ ...size, side });

const anchorWords = (size: ImageDetectionSize) =>
  `${detectionAnchors(size)
    .levels.map((l) => `${l.stride * size.anchorSizeInStrides}`)
    .join('/')} px on strides ${detectionAnchors(size)
    .levels.map((l) => l.stride)
    .join('/')} × scales 1-1.59 × ratios ${size.aspectRatios.join('/')}`;

/** One seed's data: the loaded images (the same for every seed), anchors, training targets and flip permutation. */
export interface ImageDetectionData {
  dataset: DetectionDataset;
  anchors: Anchors;
  targets: DetectionTargets;
  /** Anchor index of each anchor's mirror image (horizontal flip). */
  mirror: Int32Array;
  summary: string[];
}

// The decoded data of this thread, by source: decoded once per thread, reused by every seed and setting.
let loaded: { key: string; data: ImageDetectionData } | undefined;

/** Loads (once per thread) the user's data and the targets of the layout. */
export function makeImageDetectionData(size: ImageDetectionSize): ImageDetectionData {
  const key = JSON.stringify(size.source) + JSON.stringify([size.levels, size.anchorSizeInStrides, size.scales, size.aspectRatios]);
  if (loaded?.key === key) return loaded.data;
  loaded = undefined;
  const dataset = loadDetectionDataset(size.source);
  const anchors = detectionAnchors(size);
  const K = dataset.classNames.length;
  const targets = detectionTargets(dataset.train, anchors, K);
  ignoreRegions(targets, dataset.train, anchors, K);
  const summary = detectionSummary(dataset, size.side, anchorsAt(size), anchorWords(size)).lines;
  const data = { dataset, anchors, targets, mirror: mirrorAnchors(anchors), summary };
  loaded = { key, data };
  return data;
}

/** Background anchors that lie mostly (≥ 50 % of their area) inside an ignored region get weight 0: neither positive nor negative. */
function ignoreRegions(targets: DetectionTargets, set: ImageBoxSet, anchors: Anchors, K: number): void {
  const w = targetRowWidth(K);
  const a = anchors.boxes;
  for (let s = 0; s < set.count; s++) {
    const regions = set.ignored[s]!;
    for (let r = 0; r < regions.length; r += 4) {
      for (let k = 0; k < anchors.count; k++) {
        const row = (s * anchors.count + k) * w;
        if (targets.packed[row + K] === 0 || targets.packed[row + K + 5] === 1) continue;
        const iw = Math.min(regions[r + 2]!, a[4 * k + 2]!) - Math.max(regions[r]!, a[4 * k]!);
        const ih = Math.min(regions[r + 3]!, a[4 * k + 3]!) - Math.max(regions[r + 1]!, a[4 * k + 1]!);
        if (iw <= 0 || ih <= 0) continue;
        const area = (a[4 * k + 2]! - a[4 * k]!) * (a[4 * k + 3]! - a[4 * k + 1]!);
        if ((iw * ih) / area >= 0.5) {
          targets.packed[row + K] = 0;
          targets.numNegative--;
          targets.numIgnored++;
        }
      }
    }
  }
}

/** The horizontal mirror of every anchor: the same cell counted from the right, the same shape (the grid is symmetric when the side is a multiple of the largest stride). */
export function mirrorAnchors(anchors: Anchors): Int32Array {
  const mirror = new Int32Array(anchors.count);
  const A = anchors.anchorsPerCell;
  for (const l of anchors.levels) {
    for (let y = 0; y < l.height; y++)
      for (let x = 0; x < l.width; x++)
        for (let i = 0; i < A; i++) mirror[l.start + (y * l.width + x) * A + i] = l.start + (y * l.width + (l.width - 1 - x)) * A + i;
  }
  return mirror;
}

/** The images `start`…`end` of a set as an NHWC tensor. */
function imagesTensor(set: ImageBoxSet, start: number, end: number): tf.Tensor4D {
  const per = set.size * set.size * set.channels;
  return tf.tensor4d(set.images.subarray(start * per, end * per), [end - start, set.size, set.size, set.channels]);
}

/** RetinaNet inference on every image of a set as a COCO results list (image id = index + 1, category id = class + 1). */
export function detectImages(
  model: Model,
  set: ImageBoxSet,
  anchors: Anchors,
  K: number,
  star?: { gamma: number; beta: number },
): CocoResult[] {
  const n = anchors.count;
  const score = (x: tf.Tensor) => tf.sigmoid(star ? tf.add(tf.mul(x, star.gamma), star.beta) : x);
  const out = predict(
    model,
    set.count,
    16,
    (s, e) => imagesTensor(set, s, e),
    (o) => tf.concat([score(tf.slice(o, [0, 0, 0], [-1, -1, K])), tf.slice(o, [0, 0, K], [-1, -1, 4])], 2),
  );
  const w = K + 4;
  const results: CocoResult[] = [];
  const scores = new Float32Array(n * K);
  const deltas = new Float32Array(n * 4);
  for (let s = 0; s < set.count; s++) {
    const base = s * n * w;
    for (let a = 0; a < n; a++) {
      for (let k = 0; k < K; k++) scores[a * K + k] = out[base + a * w + k]!;
      for (let j = 0; j < 4; j++) deltas[a * 4 + j] = out[base + a * w + K + j]!;
    }
    const det = decodeDetections(scores, deltas, anchors.boxes, K, anchors.levels, { imageHeight: set.size, imageWidth: set.size });
    for (let i = 0; i < det.count; i++) {
      const [x1, y1, x2, y2] = det.boxes.subarray(4 * i, 4 * i + 4);
      results.push({ image_id: s + 1, category_id: det.classes[i]! + 1, bbox: [x1!, y1!, x2! - x1!, y2! - y1!], score: det.scores[i]! });
    }
  }
  return results;
}

/** A set as COCO ground truth; ignored regions are crowd annotations, which COCOeval ignores. */
export function setToCoco(set: ImageBoxSet, K: number): CocoGroundTruth {
  const annotations: CocoGroundTruth['annotations'][number][] = [];
  const push = (n: number, b: Float32Array, i: number, category: number, crowd: boolean) => {
    const w = b[4 * i + 2]! - b[4 * i]!;
    const h = b[4 * i + 3]! - b[4 * i + 1]!;
    annotations.push({
      id: annotations.length + 1,
      image_id: n + 1,
      category_id: category,
      bbox: [b[4 * i]!, b[4 * i + 1]!, w, h],
      area: w * h,
      iscrowd: crowd ? 1 : 0,
    });
  };
  for (let n = 0; n < set.count; n++) {
    set.classes[n]!.forEach((c, i) => push(n, set.boxes[n]!, i, c + 1, false));
    // A crowd region belongs to every category: detections of any class inside it are ignored.
    for (let i = 0; i < set.ignored[n]!.length / 4; i++) for (let k = 0; k < K; k++) push(n, set.ignored[n]!, i, k + 1, true);
  }
  return {
    images: Array.from({ length: set.count }, (_, n) => ({ id: n + 1, width: set.size, height: set.size })),
    annotations,
    categories: Array.from({ length: K }, (_, k) => ({ id: k + 1, name: String(k) })),
  };
}

/** COCO AP, AP50, AP75, AR100 and, with more than one class, each class's AP (`AP[name]`). */
export function imageDetectionMetrics(gt: CocoGroundTruth, results: CocoResult[], classNames: readonly string[]): Metrics {
  const metrics: Metrics = { ...cocoMetrics(gt, results) };
  if (classNames.length > 1) {
    classNames.forEach((name, k) => {
      const id = k + 1;
      const only = {
        ...gt,
        annotations: gt.annotations.filter((a) => a.category_id === id),
        categories: gt.categories.filter((c) => c.id === id),
      };
      metrics[`AP[${name}]`] = cocoMetrics(
        only,
        results.filter((r) => r.category_id === id),
      ).AP;
    });
  }
  return metrics;
}

/**
 * The trivial baselines of a test set, which learn nothing from the pixels: per class seen in
 * training, its mean training box placed once in every test image, and the whole image (the
 * letterboxed picture, without the padding) as one box; scores: the class's share of the training boxes.
 */
export function trivialDetections(dataset: DetectionDataset, set: ImageBoxSet): { meanBox: CocoResult[]; wholeImage: CocoResult[] } {
  const K = dataset.classNames.length;
  const sums = Array.from({ length: K }, () => [0, 0, 0, 0, 0]);
  dataset.train.classes.forEach((classes, n) =>
    classes.forEach((c, i) => {
      for (let j = 0; j < 4; j++) sums[c]![j]! += dataset.train.boxes[n]![4 * i + j]!;
      sums[c]![4]!++;
    }),
  );
  const total = sums.reduce((s, x) => s + x[4]!, 0);
  const meanBox: CocoResult[] = [];
  const wholeImage: CocoResult[] = [];
  for (let n = 0; n < set.count; n++) {
    const [x1, y1, x2, y2] = set.frames[n]!;
    sums.forEach((s, k) => {
      if (s[4] === 0) return;
      const m = s.slice(0, 4).map((v) => v / s[4]!);
      const score = s[4]! / total;
      meanBox.push({ image_id: n + 1, category_id: k + 1, bbox: [m[0]!, m[1]!, m[2]! - m[0]!, m[3]! - m[1]!], score });
      wholeImage.push({ image_id: n + 1, category_id: k + 1, bbox: [x1, y1, x2 - x1, y2 - y1], score });
    });
  }
  return { meanBox, wholeImage };
}

/** Metric spec of an image-detection experiment: COCO AP selects; per-class AP where there is more than one class. */
export function imageDetectionMetricSpec(classNames: readonly string[]): MetricSpec {
  return {
    primary: 'AP',
    names: ['AP', 'AP50', 'AP75', 'AR100', ...(classNames.length > 1 ? classNames.map((n) => `AP[${n}]`) : [])],
    lowerIsBetter: [],
  };
}

/** The trivial baselines' test metrics, and how the best setting compares with them (AP50). */
export function detectionChance(data: ImageDetectionData): Chance {
  const { dataset } = data;
  const gt = setToCoco(dataset.test, dataset.classNames.length);
  const trivial = trivialDetections(dataset, dataset.test);
  return {
    metric: 'AP50',
    baselines: {
      'mean training box': cocoMetrics(gt, trivial.meanBox).AP50,
      'whole image': cocoMetrics(gt, trivial.wholeImage).AP50,
    },
  };
}

/** Trains and evaluates one RetinaNet on the user's images. */
export async function runImageDetection(
  data: ImageDetectionData,
  job: RunJob<ImageDetectionSize>,
  callbacks: RunCallbacks,
): Promise<RunRecord> {
  const started = performance.now();
  const { size, setting, seed } = job;
  const { dataset, anchors, targets, mirror } = data;
  const { train } = dataset;
  const K = dataset.classNames.length;
  const star = setting.beta !== undefined ? { gamma: setting.gamma, beta: setting.beta } : undefined;
  const model = createRetinaNet({
    width: size.width,
    levels: size.levels,
    anchorsPerCell: anchors.anchorsPerCell,
    numClasses: K,
    prior: setting.prior === false ? null : PRIOR,
    star,
    seed: seed * 1000 + 37,
    inputChannels: train.channels,
  });
  const S = train.size;
  const C = train.channels;
  const per = S * S * C;
  const w = targetRowWidth(K);
  const row = anchors.count * w;
  const flips = new Rng(seed * 7919 + 11);
  try {
    const result = await trainModel(model, {
      sampleCount: train.count,
      epochs: size.epochs,
      batchSize: size.batchSize,
      learningRate: size.learningRate,
      optimizer: size.optimizer,
      rng: new Rng(seed * 7919 + 5),
      makeBatch: (indices) => {
        const x = new Float32Array(indices.length * per);
        const y = new Float32Array(indices.length * row);
        indices.forEach((n, i) => {
          const image = train.images.subarray(n * per, (n + 1) * per);
          const target = targets.packed.subarray(n * row, (n + 1) * row);
          if (flips.next() < 0.5) {
            // Horizontal flip: pixels mirrored in x; each anchor takes its mirror's target, dx negated.
            copyFlipped(image, S, C, x, i * per);
            for (let a = 0; a < anchors.count; a++) {
              const to = i * row + a * w;
              y.set(target.subarray(mirror[a]! * w, mirror[a]! * w + w), to);
              y[to + K + 1] = -y[to + K + 1]!;
            }
          } else {
            x.set(image, i * per);
            y.set(target, i * row);
          }
        });
        const batch = batchTargets(
          { ...targets, packed: y },
          Array.from(indices, (_, i) => i),
          anchors.levels,
          K,
        );
        return { x: tf.tensor4d(x, [indices.length, S, S, C]), target: batchTargetTensors(batch, K) };
      },
      // Level by level, class and box outputs apart, as the built-in detection task trains.
      forward: (x) => model.heads(x),
      loss: (outputs, target) => retinaNetLoss(outputs, target, setting),
      onEpoch: callbacks.onEpoch,
      onBatch: callbacks.onBatch,
    });
    const testGt = setToCoco(dataset.test, K);
    const testDt = detectImages(model, dataset.test, anchors, K, star);
    return {
      experiment: job.experimentId,
      setting,
      seed,
      epochs: result.lossCurve.length,
      trainLoss: result.lossCurve,
      diverged: result.diverged,
      seconds: (performance.now() - started) / 1000,
      validation: imageDetectionMetrics(
        setToCoco(dataset.validation, K),
        detectImages(model, dataset.validation, anchors, K, star),
        dataset.classNames,
      ),
      test: imageDetectionMetrics(testGt, testDt, dataset.classNames),
      testResample: resamplerFrom({ kind: 'cocoAp', gt: testGt, results: testDt }),
      ...(job.exampleCount > 0 ? { examples: { boxes: exampleDetections(testDt, Math.min(job.exampleCount, dataset.test.count)) } } : {}),
    };
  } finally {
    model.dispose();
  }
}

/** The data in words: the summary lines and the trivial baselines. */
export function describeImageDetection(data: ImageDetectionData): string {
  return [...data.summary, chanceWords(detectionChance(data))].join(' ');
}

/** The network and training in words. */
export function imageDetectionTraining(size: ImageDetectionSize, data: ImageDetectionData): string {
  const w = size.width;
  return (
    `RetinaNet on ${size.side}x${size.side} ${data.dataset.train.channels === 3 ? 'colour (3 input channels)' : 'gray'} images: backbone conv3x3(${w})-pool-conv3x3(${2 * w})-pool-conv3x3(${2 * w})-pool-conv3x3(${4 * w})` +
    `${size.levels > 2 ? `-pool-conv3x3(${4 * w})`.repeat(size.levels - 2) : ''}, FPN on strides ${data.anchors.levels.map((l) => l.stride).join('/')} with ${2 * w} channels, shared heads, prior ${PRIOR}; ` +
    `${data.anchors.anchorsPerCell} anchors per cell, ${data.anchors.count} per image; Adam ${size.learningRate}, ${size.epochs} epochs, batch ${size.batchSize}, seeded horizontal flips; ` +
    `sigmoid focal loss over non-ignored anchors / positives + smooth L1; difficult/crowd regions ignored; COCO AP on the letterboxed test images`
  );
}

export { IMAGE_EXAMPLES, imageExamples };
