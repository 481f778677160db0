/**
 * The detection task: the small RetinaNet of ../../retinanet trained on MNIST detection
 * scenes with the sigmoid focal loss summed over non-ignored anchors and divided by the
 * number of positive anchors, plus smooth L1 on the positives' box deltas; evaluated with
 * COCO's bbox AP after RetinaNet's inference.
 */
import * as tf from '@tensorflow/tfjs';
import { DIGIT_CLASSES, generateDetectionScenes, scenesToCoco, type DetectionSceneSet } from '../../data/detection_scenes.js';
import { Rng } from '../../data/rng.js';
import {
  type Anchors,
  anchorRatioWords,
  type BatchTargets,
  batchTargets,
  batchTargetTensors,
  cocoMetrics,
  createRetinaNet,
  type DetectionTargets,
  detectionAnchors,
  detectionTargets,
  detectScenes,
  type LevelOutputs,
  type Model,
  PRIOR,
  type RetinaNet,
  retinaNetLoss,
} from 'tfjs-retinanet';
import { DETECTION_BASELINE_LABEL, detectionDefaults, detectionPlan, lossGrid, seedList, type DetectionSize } from '../config.js';
import { resamplerFrom } from '../resample.js';
import { isVariant, type LossSetting } from '../settings.js';
import { trainModel, type EpochReport, type TrainOptions } from '../train.js';
import type { MetricSpec, RunRecord } from '../types.js';
import { detectionExamples, exampleDetections, lossCdf } from './detection_figures.js';
import type { Task } from './task.js';

/** Detection metrics: COCO's AP selects on validation; AP50, AP75, AR100 reported too. */
export const DETECTION_METRICS: MetricSpec = {
  primary: 'AP',
  names: ['AP', 'AP50', 'AP75', 'AR100'],
  lowerIsBetter: [],
};

/** Fixed seed of the test scenes: the same for every seed and setting. */
const TEST_SCENE_SEED = 434343;

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
  const [minSide, maxSide] = size.digitSides ?? [10, Math.min(28, size.side)];
  const common = { size: size.side, minSide, maxSide, maxDigits: size.maxDigits ?? 4 };
  const train = generateDetectionScenes({ ...common, count: size.trainScenes, source: 'train', seed: seed * 2 + 1 });
  const anchors = detectionAnchors(size);
  return {
    train,
    validation: generateDetectionScenes({ ...common, count: size.validationScenes, source: 'validation', seed: seed * 2 + 2 }),
    test: generateDetectionScenes({ ...common, count: size.testScenes, source: 'test', seed: TEST_SCENE_SEED }),
    anchors,
    targets: detectionTargets(train, anchors, DIGIT_CLASSES),
  };
}

/** FL*'s γ and β of a setting (undefined for the plain focal loss). */
const starOf = (setting: LossSetting) => (setting.beta !== undefined ? { gamma: setting.gamma, beta: setting.beta } : undefined);

/**
 * The RetinaNet of one run and how it trains: seeded weights with the prior (or FL*'s) bias,
 * batches of scenes and packed targets, the detection loss. Shared by {@link runDetection} and
 * the training benchmark (bench/train.bench.ts), so that the benchmark times what compare runs.
 */
export function detectionTraining(
  data: DetectionData,
  setting: LossSetting,
  seed: number,
  size: DetectionSize,
): { model: RetinaNet; options: Omit<TrainOptions<LevelOutputs[], BatchTargets<tf.Tensor2D>>, 'onEpoch' | 'onBatch'> } {
  const { train, anchors, targets } = data;
  const K = DIGIT_CLASSES;
  const model = createRetinaNet({
    width: size.width,
    levels: size.levels,
    anchorsPerCell: anchors.anchorsPerCell,
    numClasses: K,
    prior: setting.prior === false ? null : PRIOR,
    star: starOf(setting),
    seed: seed * 1000 + 37,
  });
  const pixels = train.size * train.size;
  return {
    model,
    options: {
      sampleCount: train.count,
      epochs: size.epochs,
      batchSize: size.batchSize,
      learningRate: size.learningRate,
      optimizer: size.optimizer,
      rng: new Rng(seed * 7919 + 5),
      makeBatch: (indices) => {
        const x = new Float32Array(indices.length * pixels);
        indices.forEach((n, i) => x.set(train.images.subarray(n * pixels, (n + 1) * pixels), i * pixels));
        return {
          x: tf.tensor4d(x, [indices.length, train.size, train.size, 1]),
          target: batchTargetTensors(batchTargets(targets, indices, anchors.levels, K), K),
        };
      },
      // Level by level, class and box outputs apart: no concat, slice or broadcast in the step.
      forward: (x) => model.heads(x),
      loss: (outputs, target) => retinaNetLoss(outputs, target, setting),
    },
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
  const { anchors } = data;
  const K = DIGIT_CLASSES;
  const star = starOf(setting);
  const { model, options } = detectionTraining(data, setting, seed, size);
  const stepsPerEpoch = Math.ceil(data.train.count / size.batchSize);
  // Only under Adam's constant rate is the model after e epochs that of an e-epoch run (SGD's steps depend on the length).
  const recordsCurve = size.optimizer !== 'sgd' && size.learningCurve?.includes(setting.label);
  const curve: { steps: number; test: number }[] | undefined = recordsCurve ? [] : undefined;
  const testGt = scenesToCoco(data.test);
  try {
    const result = await trainModel(model, {
      ...options,
      onEpoch: (r) => {
        // Test AP after every doubling of the steps and after the last epoch: with Adam's constant
        // rate the model after e epochs is the model of an e-epoch run, so this is the learning curve.
        if (curve && ((r.epoch & (r.epoch - 1)) === 0 || r.epoch === size.epochs))
          curve.push({
            steps: r.epoch * stepsPerEpoch,
            test: cocoMetrics(testGt, detectScenes(model, data.test, anchors, K, { star })).AP!,
          });
        callbacks.onEpoch?.(r);
      },
      onBatch: callbacks.onBatch,
    });
    await callbacks.onTrained?.(model);
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
      ...(exampleCount > 0 ? { examples: { boxes: exampleDetections(testDt, Math.min(exampleCount, data.test.count)) } } : {}),
      ...(curve || (exampleCount > 0 && !star)
        ? {
            curves: {
              ...(curve ? { apBySteps: curve } : {}),
              // Figure 4 reads the model's probabilities σ(x): not for FL* models, whose scores are σ(γ x + β).
              ...(exampleCount > 0 && !star ? { lossCdf: lossCdf(model, data.test, anchors, K) } : {}),
            },
          }
        : {}),
    };
  } finally {
    model.dispose();
  }
}

/** The experiment's id: `detection-<side>` unless its size names one (the ablations). */
const experimentId = (size: DetectionSize) => size.id ?? `detection-${size.side}`;

/** The scenes and anchors in words, with the first seed's anchor imbalance. */
function describeScenes(size: DetectionSize, first: DetectionData, firstSeed: number): string {
  const digits = first.train.classes.reduce((s, c) => s + c.length, 0);
  const [minSide, maxSide] = size.digitSides ?? [10, Math.min(28, size.side)];
  return (
    `${size.side}x${size.side} scenes with ${(size.maxDigits ?? 4) > 1 ? `1-${size.maxDigits ?? 4} MNIST digits` : '1 MNIST digit'} (${(digits / first.train.count).toFixed(2)} per training scene after placement) scaled to ${minSide}-${maxSide} px, ` +
    `noise and clutter strokes; boxes = the digits' ink, 10 classes. ${size.trainScenes} train / ${size.validationScenes} validation scenes from disjoint MNIST training digits, ` +
    `${size.testScenes} test scenes from MNIST test digits. ${first.anchors.count} anchors per image (${first.anchors.anchorsPerCell} per cell, ${size.levels} level${size.levels > 1 ? 's' : ''}); ` +
    `training set (seed ${firstSeed}): ${anchorRatioWords(first.targets)}.`
  );
}

/** The network, loss and inference in words. */
function describeTraining(size: DetectionSize, grid: readonly LossSetting[]): string {
  const w = size.width;
  return (
    `RetinaNet: backbone conv3x3(${w})-pool-conv3x3(${2 * w})-pool-conv3x3(${2 * w})${size.levels > 1 ? `-pool-conv3x3(${4 * w}), FPN P3+P4` : ', P3'} with ${2 * w} channels, ` +
    `shared heads conv3x3-conv3x3 (classification bias from prior ${PRIOR}${
      grid.some(isVariant) ? `; FL* rows: bias (logit(${PRIOR}) − β)/γ and scores σ(γx + β); "no prior" rows: bias 0` : ''
    }), anchors ${size.anchorSizeInStrides}×stride × scales ${size.scales.map((s) => s.toFixed(2)).join('/')} × ratios ${size.aspectRatios.join('/')}; ` +
    `${size.optimizer === 'sgd' ? 'SGD momentum 0.9 (warm-up over the first tenth of the steps, rate ÷10 at 2/3 and 8/9)' : 'Adam (constant rate)'} ${size.learningRate}, ${size.epochs} epochs of ${Math.ceil(size.trainScenes / size.batchSize)} steps (${size.epochs * Math.ceil(size.trainScenes / size.batchSize)} steps), batch ${size.batchSize}; sigmoid focal loss summed over non-ignored anchors / positive anchors + smooth L1 (β 1/9) on positives; ` +
    `inference: score > 0.05, top 1000 per level, per-class NMS 0.5, 100 per image`
  );
}

/** Detection: the experiments of config.ts's {@link detectionPlan}, each size's scenes, one RetinaNet per run. */
export const detectionTask: Task<DetectionSize, DetectionData> = {
  convNet: true,
  exampleScenes: EXAMPLE_SCENES,
  plan(options) {
    const defaults = detectionDefaults(options.mode);
    // The user's --gamma / --alpha replace each experiment's own grid.
    const userGrid = Boolean(options.gammas || options.alphas);
    const seeds = seedList(options, defaults);
    return {
      experiments: detectionPlan(options.mode).map(({ size, grid, seeds: count }) => ({
        size,
        grid: userGrid ? lossGrid(options, defaults, 'alpha') : grid,
        ...(count !== undefined ? { seeds: seeds.slice(0, count) } : {}),
      })),
      seeds,
    };
  },
  makeData: (size, seed) => makeDetectionData(size, seed),
  run: (data, job, callbacks) => runDetection(data, job.experimentId, job.setting, job.seed, job.size, callbacks, job.exampleCount),
  describe: (size, first, seeds) => ({
    id: experimentId(size),
    description: describeScenes(size, first, seeds[0]!),
    epochs: size.epochs,
    announce: true,
  }),
  summary: (r) => `val AP ${r.validation.AP!.toFixed(3)}, test AP ${r.test.AP!.toFixed(3)}, AP50 ${r.test.AP50!.toFixed(3)}`,
  report: ({ size, grid, seeds, first, intro, runs }) => ({
    id: intro.id,
    title: size.axis
      ? `Ablation, ${size.axis}: detection in ${size.side}x${size.side} scenes (COCO AP)`
      : `Detection of MNIST digits in ${size.side}x${size.side} scenes (COCO AP)`,
    task: 'detection',
    kind: 'detection',
    description: intro.description,
    anchorImbalance: first.targets.numNegative / Math.max(1, first.targets.numPositive),
    ...(size.axis ? { axis: size.axis } : {}),
    ...(size.imbalanceAxis ? { imbalanceAxis: true } : {}),
    training: describeTraining(size, grid),
    metrics: DETECTION_METRICS,
    grid: [...grid],
    seeds: [...seeds],
    runs,
    sharedTestSet: true,
    // The paper's baseline, α-balanced cross-entropy (α = .75), where the grid has it.
    baseline: grid.some((s) => s.label === DETECTION_BASELINE_LABEL) ? DETECTION_BASELINE_LABEL : undefined,
    examples: detectionExamples(first.test, EXAMPLE_SCENES),
  }),
};
