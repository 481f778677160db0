/**
 * The detection experiment: a small RetinaNet (conv backbone, FPN-like top-down path over two
 * levels, shared classification and box subnets) trained on MNIST detection scenes with
 * the sigmoid focal loss summed over non-ignored anchors and divided by the number of
 * positive anchors, plus smooth L1 on the positives' box deltas; evaluated with COCO's
 * bbox AP (`evaluateCoco`) after RetinaNet's inference (`decodeDetections`).
 */
import * as tf from '@tensorflow/tfjs';
import { sigmoidFocalLoss, sigmoidFocalLossStar } from 'focal-loss';
import { priorProbabilityInitializer } from 'focal-loss/layers';
import { DIGIT_CLASSES, generateDetectionScenes, scenesToCoco, type DetectionSceneSet } from '../data/detection_scenes.js';
import { Rng } from '../data/rng.js';
import { generateAnchors, type AnchorLevel, type Anchors } from '../detection/anchors.js';
import { assignAnchors, IGNORE } from '../detection/assign.js';
import { evaluateCoco } from '../detection/coco_eval.js';
import type { CocoGroundTruth, CocoResult } from '../detection/coco_format.js';
import { decodeDetections, type DetectOptions } from '../detection/postprocess.js';
import { DETECTION_BASELINE_LABEL } from './config.js';
import type { Model } from './model.js';
import type { ProgressReporter } from './progress.js';
import { runJobs } from './run_jobs.js';
import type { JobRunner } from './runner.js';
import { isVariant, type LossSetting } from './settings.js';
import { predict, trainModel, type EpochReport, type OptimizerKind } from './train.js';
import { encodeScenes } from '../report/scene_grid.js';
import type { ExampleBox, ExperimentResult, LossCdf, MetricSpec, Metrics, RunRecord, SceneExamples } from './types.js';
import { resamplerFrom } from './resample.js';

/** Scene, anchor and network sizes of a detection experiment. */
export interface DetectionSize {
  /** Canvas side (32 for --quick). */
  side: number;
  trainScenes: number;
  validationScenes: number;
  testScenes: number;
  /** Channels of the first backbone conv (later stages and the FPN have 2×). */
  width: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Anchor scales and aspect ratios (height / width) per cell: A = scales × ratios. */
  scales: number[];
  aspectRatios: number[];
  /** Feature levels used: 1 (stride 4 only) or 2 (strides 4 and 8, FPN top-down). */
  levels: 1 | 2;
  /** Base anchor size per level in multiples of its stride (RetinaNet: 4; here 2: small objects). */
  anchorSizeInStrides: number;
  /** Default 'adam'. */
  optimizer?: OptimizerKind;
  /** Digits drawn per scene (default 4; at least 1). */
  maxDigits?: number;
  /** Experiment id; default `detection-<side>`. */
  id?: string;
  /** What an ablation varies, in words (absent for the main experiment). */
  axis?: string;
}

/** Detection metrics: COCO's AP selects on validation; AP50, AP75, AR100 reported too. */
export const DETECTION_METRICS: MetricSpec = {
  primary: 'AP',
  names: ['AP', 'AP50', 'AP75', 'AR100'],
  lowerIsBetter: [],
};

/** Fixed seed of the test scenes: the same for every seed and setting. */
const TEST_SCENE_SEED = 434343;
/** Positive prior of the classification bias (the paper's π). */
export const PRIOR = 0.01;
/** Smooth L1's β on the box deltas (Detectron's 0.11). */
const SMOOTH_L1_BETA = 1 / 9;

/** The anchor levels of a size: strides 4 (and 8). */
export function detectionLevels(size: Pick<DetectionSize, 'levels' | 'anchorSizeInStrides'>): AnchorLevel[] {
  return [4, 8].slice(0, size.levels).map((stride) => ({ stride, size: stride * size.anchorSizeInStrides }));
}

/** The anchors of a size. */
export function detectionAnchors(size: DetectionSize): Anchors {
  return generateAnchors({ imageHeight: size.side, imageWidth: size.side, levels: detectionLevels(size), scales: size.scales, aspectRatios: size.aspectRatios });
}

/** Per-anchor training targets of a scene set, packed as the loss reads them. */
export interface DetectionTargets {
  /** Anchors per image. */
  anchors: number;
  /** Per image: [anchors, K + 6] = one-hot classes (K), weight (0 on ignored), 4 encoded box deltas, positive flag. */
  packed: Float32Array;
  numPositive: number;
  numNegative: number;
  numIgnored: number;
  /** Positive anchors per class. */
  perClassPositive: number[];
}

/** Width of a packed target row: K classes, weight, 4 deltas, positive flag. */
const rowWidth = (k: number) => k + 6;

/** Assigns every scene's boxes to the anchors (IoU ≥ 0.5 positive, < 0.4 negative, best anchor claimed). */
export function detectionTargets(scenes: DetectionSceneSet, anchors: Anchors, numClasses = DIGIT_CLASSES): DetectionTargets {
  const n = anchors.count;
  const w = rowWidth(numClasses);
  const packed = new Float32Array(scenes.count * n * w);
  let numPositive = 0;
  let numNegative = 0;
  let numIgnored = 0;
  const perClassPositive = new Array<number>(numClasses).fill(0);
  for (let s = 0; s < scenes.count; s++) {
    const t = assignAnchors(anchors.boxes, scenes.boxes[s]!, scenes.classes[s]!);
    numPositive += t.numPositive;
    numNegative += t.numNegative;
    numIgnored += t.numIgnored;
    const base = s * n * w;
    for (let a = 0; a < n; a++) {
      const label = t.labels[a]!;
      const row = base + a * w;
      if (label === IGNORE) continue;
      packed[row + numClasses] = 1;
      if (label > 0) {
        packed[row + label - 1] = 1;
        perClassPositive[label - 1]!++;
        for (let j = 0; j < 4; j++) packed[row + numClasses + 1 + j] = t.boxTargets[4 * a + j]!;
        packed[row + numClasses + 5] = 1;
      }
    }
  }
  return { anchors: n, packed, numPositive, numNegative, numIgnored, perClassPositive };
}

/** "1:N" ratio of positive to negative anchors and the per-class positives, in words. */
export function anchorRatioWords(t: DetectionTargets): string {
  const total = t.perClassPositive.reduce((a, b) => a + b, 0);
  const perClass = t.perClassPositive.map((c, k) => `${k}: 1:${c > 0 ? Math.round(t.numNegative / c) : '∞'}`).join(', ');
  return (
    `anchor-level positive : negative = 1:${Math.round(t.numNegative / Math.max(1, t.numPositive))} ` +
    `(${t.numPositive} positive, ${t.numNegative} negative, ${t.numIgnored} ignored anchors; ${total} positives); ` +
    `per class (positive : negative): ${perClass}`
  );
}

function variableFrom(make: () => tf.Tensor): tf.Variable {
  const initial = make();
  const variable = tf.variable(initial);
  initial.dispose();
  return variable;
}

/** Options of {@link createRetinaNet}. */
export interface RetinaNetOptions {
  width: number;
  levels: 1 | 2;
  anchorsPerCell: number;
  numClasses: number;
  /** Initial probability of every class at every anchor (bias b = -log((1 - π) / π)); null: bias 0. */
  prior: number | null;
  /** FL*'s γ and β: the bias is then (logit(π) − β) / γ, so that the positive's p* = σ(γ x + β) starts at π. */
  star?: { gamma: number; beta: number };
  seed: number;
}

/**
 * A small RetinaNet for single-channel NHWC images whose side is divisible by 8: backbone
 * conv3x3(w)-pool-conv3x3(2w)-pool-conv3x3(2w) = C3 (stride 4) -pool-conv3x3(4w) = C4
 * (stride 8); FPN: P4 = 1x1(C4), P3 = conv3x3(1x1(C3) + up(P4)); shared heads on every
 * level: classification conv3x3(F)-conv3x3(A·K) with the prior bias, box conv3x3(F)-
 * conv3x3(A·4). `forward` returns `[B, anchors, K + 4]`: the K class logits then the 4 box
 * deltas per anchor, anchors in {@link generateAnchors}' order.
 */
export function createRetinaNet(options: RetinaNetOptions): Model {
  const { width: w, anchorsPerCell: A, numClasses: K, seed } = options;
  const f = 2 * w;
  const he = (k: number, inC: number, outC: number, s: number) => ({
    w: variableFrom(() => tf.randomNormal([k, k, inC, outC], 0, Math.sqrt(2 / (k * k * inC)), 'float32', seed + s)),
    b: variableFrom(() => tf.zeros([outC])),
  });
  const c1 = he(3, 1, w, 1);
  const c2 = he(3, w, 2 * w, 2);
  const c3 = he(3, 2 * w, 2 * w, 3);
  const c4 = he(3, 2 * w, 4 * w, 4);
  const l3 = he(1, 2 * w, f, 5);
  const l4 = he(1, 4 * w, f, 6);
  const s3 = he(3, f, f, 7);
  const clsHidden = he(3, f, f, 8);
  const boxHidden = he(3, f, f, 9);
  const init = priorProbabilityInitializer(options.prior ?? 0.5);
  const clsOut = {
    w: variableFrom(() => tf.randomNormal([3, 3, f, A * K], 0, 0.01, 'float32', seed + 10)),
    b: variableFrom(() =>
      options.prior === null
        ? tf.zeros([A * K])
        : options.star
          ? tf.fill([A * K], (Math.log(options.prior / (1 - options.prior)) - options.star.beta) / options.star.gamma)
          : init.apply([A * K], 'float32'),
    ),
  };
  const boxOut = { w: variableFrom(() => tf.randomNormal([3, 3, f, A * 4], 0, 0.01, 'float32', seed + 11)), b: variableFrom(() => tf.zeros([A * 4])) };
  const layers = [c1, c2, c3, c4, l3, l4, s3, clsHidden, boxHidden, clsOut, boxOut];
  const variables = layers.flatMap((l) => [l.w, l.b]);
  const conv = (x: tf.Tensor4D, l: { w: tf.Variable; b: tf.Variable }, relu = true): tf.Tensor4D => {
    const y = tf.add(tf.conv2d(x, l.w as tf.Tensor4D, 1, 'same'), l.b) as tf.Tensor4D;
    return relu ? tf.relu(y) : y;
  };
  const pool = (x: tf.Tensor4D) => tf.maxPool(x, 2, 2, 'same');
  const head = (p: tf.Tensor4D): tf.Tensor3D => {
    const [b, h, wd] = p.shape;
    const cls = tf.reshape(conv(conv(p, clsHidden), clsOut, false), [b, h * wd * A, K]);
    const box = tf.reshape(conv(conv(p, boxHidden), boxOut, false), [b, h * wd * A, 4]);
    return tf.concat([cls, box], 2) as tf.Tensor3D;
  };
  return {
    variables,
    forward: (input) => {
      const x = input as tf.Tensor4D;
      const f3 = conv(pool(conv(pool(conv(x, c1)), c2)), c3); // stride 4
      if (options.levels === 1) return head(conv(conv(f3, l3, false), s3));
      const f4 = conv(pool(f3), c4); // stride 8
      const p4 = conv(f4, l4, false);
      const p3 = conv(tf.add(conv(f3, l3, false), tf.image.resizeNearestNeighbor(p4, [f3.shape[1], f3.shape[2]])) as tf.Tensor4D, s3);
      return tf.concat([head(p3), head(p4)], 1);
    },
    dispose: () => variables.forEach((v) => v.dispose()),
  };
}

/**
 * The RetinaNet loss of a batch: `sigmoidFocalLoss` over all anchors and classes with weight
 * 0 on ignored anchors, summed and divided by the number of positive anchors (at least 1),
 * plus smooth L1 (β = 1/9) on the positives' deltas with the same normalizer.
 *
 * @param output `[B, N, K + 4]` from {@link createRetinaNet}.
 * @param target `[B, N, K + 6]` rows of {@link DetectionTargets.packed}.
 */
export function detectionLoss(output: tf.Tensor, target: tf.Tensor, setting: Pick<LossSetting, 'gamma' | 'alpha' | 'beta'>, numClasses = DIGIT_CLASSES): tf.Scalar {
  const K = numClasses;
  const [b, n] = output.shape as [number, number, number];
  const rows = b * n;
  const logits = tf.reshape(tf.slice(output, [0, 0, 0], [-1, -1, K]), [rows, K]);
  const deltas = tf.reshape(tf.slice(output, [0, 0, K], [-1, -1, 4]), [rows, 4]);
  const t = tf.reshape(target, [rows, K + 6]);
  const classes = tf.slice(t, [0, 0], [-1, K]);
  const weights = tf.slice(t, [0, K], [-1, 1]);
  const boxTargets = tf.slice(t, [0, K + 1], [-1, 4]);
  const positive = tf.slice(t, [0, K + 5], [-1, 1]);
  const normalizer = tf.maximum(tf.sum(positive), 1) as tf.Scalar;
  const common = { gamma: setting.gamma, alpha: setting.alpha, weights, reduction: 'mean' as const, normalizer };
  const cls = (setting.beta !== undefined ? sigmoidFocalLossStar(logits, classes, { ...common, beta: setting.beta }) : sigmoidFocalLoss(logits, classes, common)) as tf.Scalar;
  const diff = tf.abs(tf.sub(deltas, boxTargets));
  // Smooth L1 as 0.5·min(d, β)²/β + (d − min(d, β)): the same function, differentiable by tf ops.
  const small = tf.minimum(diff, SMOOTH_L1_BETA);
  const smooth = tf.add(tf.div(tf.square(small), 2 * SMOOTH_L1_BETA), tf.sub(diff, small));
  const box = tf.div(tf.sum(tf.mul(smooth, positive)), normalizer);
  return tf.add(cls, box) as tf.Scalar;
}

function imagesTensor(scenes: DetectionSceneSet, start: number, end: number): tf.Tensor4D {
  const pixels = scenes.size * scenes.size;
  return tf.tensor4d(scenes.images.subarray(start * pixels, end * pixels), [end - start, scenes.size, scenes.size, 1]);
}

/**
 * RetinaNet inference on every scene (score > 0.05, top 1000 per level, per-class NMS at 0.5,
 * 100 per image), as a COCO results list: image id = scene index + 1, category id = digit + 1.
 */
export function detectScenes(
  model: Model,
  scenes: DetectionSceneSet,
  anchors: Anchors,
  numClasses = DIGIT_CLASSES,
  options: DetectOptions & { /** FL* models: the score is the positive's p* = σ(γ x + β). */ star?: { gamma: number; beta: number } } = {},
): CocoResult[] {
  const n = anchors.count;
  const { star } = options;
  const score = (x: tf.Tensor) => tf.sigmoid(star ? tf.add(tf.mul(x, star.gamma), star.beta) : x);
  const out = predict(model, scenes.count, 32, (s, e) => imagesTensor(scenes, s, e), (o) =>
    tf.concat([score(tf.slice(o, [0, 0, 0], [-1, -1, numClasses])), tf.slice(o, [0, 0, numClasses], [-1, -1, 4])], 2),
  );
  const w = numClasses + 4;
  const results: CocoResult[] = [];
  const scores = new Float32Array(n * numClasses);
  const deltas = new Float32Array(n * 4);
  for (let s = 0; s < scenes.count; s++) {
    const base = s * n * w;
    for (let a = 0; a < n; a++) {
      for (let k = 0; k < numClasses; k++) scores[a * numClasses + k] = out[base + a * w + k]!;
      for (let j = 0; j < 4; j++) deltas[a * 4 + j] = out[base + a * w + numClasses + j]!;
    }
    const det = decodeDetections(scores, deltas, anchors.boxes, numClasses, anchors.levels, { ...options, imageHeight: scenes.size, imageWidth: scenes.size });
    for (let i = 0; i < det.count; i++) {
      const [x1, y1, x2, y2] = det.boxes.subarray(4 * i, 4 * i + 4);
      results.push({ image_id: s + 1, category_id: det.classes[i]! + 1, bbox: [x1!, y1!, x2! - x1!, y2! - y1!], score: det.scores[i]! });
    }
  }
  return results;
}

/** COCO's AP, AP50, AP75 and AR100 of a results list. */
export function cocoMetrics(gt: CocoGroundTruth, results: CocoResult[]): Metrics {
  const { named } = evaluateCoco(gt, results);
  return { AP: named.AP, AP50: named.AP50, AP75: named.AP75, AR100: named.AR100 };
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** γ values of the paper's Figure 4. */
export const LOSS_CDF_GAMMAS = [0, 0.5, 1, 2];

/**
 * The paper's Figure 4 on the scenes: every non-ignored (anchor, class) pair of the trained
 * model is a positive (target 1) or negative (target 0) sample; per γ, the cumulative
 * distribution of the normalised focal loss over each group, at `points` fractions.
 */
export function lossCdf(model: Model, scenes: DetectionSceneSet, anchors: Anchors, gammas: readonly number[] = LOSS_CDF_GAMMAS, points = 51, numClasses = DIGIT_CLASSES): LossCdf[] {
  const targets = detectionTargets(scenes, anchors, numClasses);
  const logits = predict(model, scenes.count, 32, (s, e) => imagesTensor(scenes, s, e), (o) => tf.slice(o, [0, 0, 0], [-1, -1, numClasses]));
  const w = rowWidth(numClasses);
  // log p_t and 1 − p_t of each sample, from the logit (stable): log p_t = −softplus(∓z).
  const pos: { logPt: number; q: number }[] = [];
  const neg: { logPt: number; q: number }[] = [];
  const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  for (let r = 0; r < logits.length / numClasses; r++) {
    if (targets.packed[r * w + numClasses] === 0) continue; // ignored anchor
    for (let k = 0; k < numClasses; k++) {
      const z = logits[r * numClasses + k]!;
      if (targets.packed[r * w + k] === 1) pos.push({ logPt: -softplus(-z), q: sigmoid(-z) });
      else neg.push({ logPt: -softplus(z), q: sigmoid(z) });
    }
  }
  const cdf = (samples: { logPt: number; q: number }[], gamma: number): number[] => {
    const loss = Float64Array.from(samples, (s) => -(s.q ** gamma) * s.logPt).sort();
    let total = 0;
    for (const v of loss) total += v;
    const out: number[] = [];
    let cum = 0;
    let i = 0;
    for (let j = 0; j < points; j++) {
      const upTo = Math.round((j / (points - 1)) * loss.length);
      while (i < upTo) cum += loss[i++]!;
      out.push(total > 0 ? round(cum / total, 5) : 0);
    }
    return out;
  };
  return gammas.map((gamma) => ({ gamma, positive: cdf(pos, gamma), negative: cdf(neg, gamma), positives: pos.length, negatives: neg.length }));
}

/** The highest-scoring detections (at most 20) of the first `count` images of a results list (image ids 1…count). */
export function exampleDetections(results: readonly CocoResult[], count: number): ExampleBox[][] {
  const out: ExampleBox[][] = Array.from({ length: count }, () => []);
  for (const r of results) {
    const list = out[r.image_id - 1];
    if (!list) continue;
    const [x, y, w, h] = r.bbox as [number, number, number, number];
    list.push({ box: [round(x, 1), round(y, 1), round(x + w, 1), round(y + h, 1)], label: r.category_id - 1, score: round(r.score, 3) });
  }
  for (const list of out) {
    list.sort((a, b) => b.score! - a.score!);
    list.splice(20);
  }
  return out;
}

/** The report's example scenes: the first `count` test scenes with their true boxes. */
export function detectionExamples(test: DetectionSceneSet, count: number): SceneExamples {
  const n = Math.min(count, test.count);
  return {
    side: test.size,
    images: encodeScenes(test.images, test.size, n),
    boxes: Array.from({ length: n }, (_, s) =>
      Array.from(test.classes[s]!, (label, j) => ({ box: Array.from(test.boxes[s]!.subarray(4 * j, 4 * j + 4), (v) => round(v, 1)), label })),
    ),
  };
}

/** Test scenes drawn in the report. */
export const EXAMPLE_SCENES = 8;

/** The scenes of one seed: train and validation vary with the seed, test does not. */
export interface DetectionData {
  train: DetectionSceneSet;
  validation: DetectionSceneSet;
  test: DetectionSceneSet;
  anchors: Anchors;
  targets: DetectionTargets;
}

/** Generates the scenes of one seed and the training targets. */
export function makeDetectionData(size: DetectionSize, seed: number): DetectionData {
  const common = { size: size.side, maxSide: Math.min(28, size.side), maxDigits: size.maxDigits ?? 4 };
  const train = generateDetectionScenes({ ...common, count: size.trainScenes, source: 'train', seed: seed * 2 + 1 });
  const anchors = detectionAnchors(size);
  return {
    train,
    validation: generateDetectionScenes({ ...common, count: size.validationScenes, source: 'validation', seed: seed * 2 + 2 }),
    test: generateDetectionScenes({ ...common, count: size.testScenes, source: 'test', seed: TEST_SCENE_SEED }),
    anchors,
    targets: detectionTargets(train, anchors),
  };
}

/** Trains and evaluates one RetinaNet. */
export async function runDetection(
  data: DetectionData,
  experimentId: string,
  setting: LossSetting,
  seed: number,
  size: DetectionSize,
  callbacks: {
    onEpoch?: (r: EpochReport) => void;
    onBatch?: (done: number, total: number) => void;
    /** Called with the trained model before it is disposed (e.g. to evaluate it otherwise). */
    onTrained?: (model: Model) => void | Promise<void>;
  } = {},
  /** Keep the predictions on this many first test scenes for the report's picture. */
  exampleCount = 0,
): Promise<RunRecord> {
  const started = performance.now();
  const { train, anchors, targets } = data;
  const K = DIGIT_CLASSES;
  const star = setting.beta !== undefined ? { gamma: setting.gamma, beta: setting.beta } : undefined;
  const model = createRetinaNet({
    width: size.width, levels: size.levels, anchorsPerCell: anchors.anchorsPerCell, numClasses: K, prior: setting.prior === false ? null : PRIOR, star, seed: seed * 1000 + 37,
  });
  const pixels = train.size * train.size;
  const row = anchors.count * rowWidth(K);
  try {
    const result = await trainModel(model, {
      sampleCount: train.count,
      epochs: size.epochs,
      batchSize: size.batchSize,
      learningRate: size.learningRate,
      optimizer: size.optimizer,
      rng: new Rng(seed * 7919 + 5),
      makeBatch: (indices) => {
        const x = new Float32Array(indices.length * pixels);
        const y = new Float32Array(indices.length * row);
        indices.forEach((n, i) => {
          x.set(train.images.subarray(n * pixels, (n + 1) * pixels), i * pixels);
          y.set(targets.packed.subarray(n * row, (n + 1) * row), i * row);
        });
        return { x: tf.tensor4d(x, [indices.length, train.size, train.size, 1]), target: tf.tensor3d(y, [indices.length, anchors.count, rowWidth(K)]) };
      },
      loss: (output, target) => detectionLoss(output, target, setting, K),
      onEpoch: callbacks.onEpoch,
      onBatch: callbacks.onBatch,
    });
    await callbacks.onTrained?.(model);
    const testGt = scenesToCoco(data.test);
    const testDt = detectScenes(model, data.test, anchors, K, { star });
    return {
      experiment: experimentId,
      setting,
      seed,
      epochs: result.lossCurve.length,
      trainLoss: result.lossCurve,
      diverged: result.diverged,
      seconds: (performance.now() - started) / 1000,
      validation: cocoMetrics(scenesToCoco(data.validation), detectScenes(model, data.validation, anchors, K, { star })),
      test: cocoMetrics(testGt, testDt),
      testResample: resamplerFrom({ kind: 'cocoAp', gt: testGt, results: testDt }),
      ...(exampleCount > 0
        ? {
            examples: { boxes: exampleDetections(testDt, Math.min(exampleCount, data.test.count)) },
            // Figure 4 reads the model's probabilities σ(x): not for FL* models, whose scores are σ(γ x + β).
            ...(star ? {} : { curves: { lossCdf: lossCdf(model, data.test, anchors) } }),
          }
        : {}),
    };
  } finally {
    model.dispose();
  }
}

/** Runs the grid for every seed on `runner` (this thread or worker threads). */
export async function runDetectionExperiment(
  size: DetectionSize,
  grid: readonly LossSetting[],
  seeds: readonly number[],
  progress: ProgressReporter,
  runner: JobRunner,
): Promise<ExperimentResult> {
  const id = size.id ?? `detection-${size.side}`;
  const first = makeDetectionData(size, seeds[0]!);
  const examples = detectionExamples(first.test, EXAMPLE_SCENES);
  const digits = first.train.classes.reduce((s, c) => s + c.length, 0);
  const description =
    `${size.side}x${size.side} scenes with ${(size.maxDigits ?? 4) > 1 ? `1-${size.maxDigits ?? 4} MNIST digits` : '1 MNIST digit'} (${(digits / first.train.count).toFixed(2)} per training scene after placement) scaled to 10-${Math.min(28, size.side)} px, ` +
    `noise and clutter strokes; boxes = the digits' ink, 10 classes. ${size.trainScenes} train / ${size.validationScenes} validation scenes from disjoint MNIST training digits, ` +
    `${size.testScenes} test scenes from MNIST test digits. ${first.anchors.count} anchors per image (${first.anchors.anchorsPerCell} per cell, ${size.levels} level${size.levels > 1 ? 's' : ''}); ` +
    `training set (seed ${seeds[0]}): ${anchorRatioWords(first.targets)}.`;
  progress.note(`${id}: ${description}`);
  const runs = await runJobs(
    runner, progress, grid, seeds, size.epochs,
    (setting, seed) => ({ task: 'detection', experimentId: id, size, setting, seed, exampleCount: seed === seeds[0] ? EXAMPLE_SCENES : 0 }),
    (r) => `val AP ${r.validation.AP!.toFixed(3)}, test AP ${r.test.AP!.toFixed(3)}, AP50 ${r.test.AP50!.toFixed(3)}`,
  );
  const w = size.width;
  return {
    id,
    title: size.axis
      ? `Ablation, ${size.axis}: detection in ${size.side}x${size.side} scenes (COCO AP)`
      : `Detection of MNIST digits in ${size.side}x${size.side} scenes (COCO AP)`,
    task: 'detection',
    kind: 'detection',
    description,
    anchorImbalance: first.targets.numNegative / Math.max(1, first.targets.numPositive),
    ...(size.axis ? { axis: size.axis } : {}),
    training:
      `RetinaNet: backbone conv3x3(${w})-pool-conv3x3(${2 * w})-pool-conv3x3(${2 * w})${size.levels > 1 ? `-pool-conv3x3(${4 * w}), FPN P3+P4` : ', P3'} with ${2 * w} channels, ` +
      `shared heads conv3x3-conv3x3 (classification bias from prior ${PRIOR}${
        grid.some(isVariant) ? `; FL* rows: bias (logit(${PRIOR}) − β)/γ and scores σ(γx + β); "no prior" rows: bias 0` : ''
      }), anchors ${size.anchorSizeInStrides}×stride × scales ${size.scales.map((s) => s.toFixed(2)).join('/')} × ratios ${size.aspectRatios.join('/')}; ` +
      `${size.optimizer === 'sgd' ? 'SGD momentum 0.9 (warm-up over the first tenth of the steps, rate ÷10 at 2/3 and 8/9)' : 'Adam'} ${size.learningRate}, ${size.epochs} epochs, batch ${size.batchSize}; sigmoid focal loss summed over non-ignored anchors / positive anchors + smooth L1 (β 1/9) on positives; ` +
      `inference: score > 0.05, top 1000 per level, per-class NMS 0.5, 100 per image`,
    metrics: DETECTION_METRICS,
    grid: [...grid],
    seeds: [...seeds],
    runs,
    sharedTestSet: true,
    // The paper's baseline, α-balanced cross-entropy (α = .75), where the grid has it.
    baseline: grid.some((s) => s.label === DETECTION_BASELINE_LABEL) ? DETECTION_BASELINE_LABEL : undefined,
    examples,
  };
}
