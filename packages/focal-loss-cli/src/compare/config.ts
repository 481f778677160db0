/**
 * What a `compare` invocation runs: the options from the command line, and each built-in
 * task's sizes, loss grid and seeds per mode, kept together because the modes' time budgets
 * are set across tasks (the task table, tasks/index.ts, reads them). `--quick` is sized to
 * finish in about 3 minutes on a 2-core machine, `--full` in 30-45 (detection: 72 minutes for
 * the published run at eb86787, 4336 s on 2 idle cores with two workers);
 * `tiny` (undocumented, for tests) in seconds.
 */
import type { MnistClassificationSize } from '../data/classification.js';
import type { AnchorLayout } from 'tfjs-retinanet';
import { buildGrid, type LossSetting, type WeightingKind } from './settings.js';
import type { OptimizerKind } from './train.js';

export type Mode = 'quick' | 'full' | 'tiny';

/** The built-in tasks: the keys of the task table (tasks/index.ts). */
export type TaskName = 'classification' | 'segmentation' | 'detection';

/** Parsed `compare` options. Undefined grid or seeds mean "the default of the task and mode". */
export interface CompareOptions {
  task: TaskName;
  data?: string;
  label?: string;
  positive?: string;
  ignore: string[];
  gammas?: number[];
  /** α of the binary and segmentation tasks (the paper's meaning). */
  alphas?: (number | null)[];
  /** Class-weight powers p (w_c ∝ n_c^−p) of multi-class tasks. */
  classWeightPowers?: (number | null)[];
  seeds?: number;
  mode: Mode;
  out: string;
  backend: 'cpu' | 'wasm';
  /** After selection: train the selected setting and the baseline on this many fresh seeds and decide on those alone. */
  confirm?: number;
  /** Worker threads that train the detection and segmentation runs in parallel (default: one per core; 1: in the main thread). */
  workers?: number;
  /** The user's images (detection, segmentation; tasks/images.ts): the image folder, its annotations or masks. */
  images?: string;
  voc?: string;
  coco?: string;
  masks?: string;
  /** Mask value ignored by training and metrics (default 255; {0, 255} masks are then binary). */
  ignoreIndex?: number;
  /** Side of the square the user's images are letterboxed to. */
  imageSize?: number;
  /** The user's train / validation / test split (JSON). */
  split?: string;
  /** Epochs of each run on the user's images (default: the mode's). */
  epochs?: number;
}

/** The paper's grid (Table 1a/1b style): gammas and alphas run by default for classification. */
export const DEFAULT_GAMMAS = [0, 0.5, 1, 2, 5];
export const DEFAULT_ALPHAS: (number | null)[] = [0.25, 0.5, 0.75, null];
/** Multi-class weightings: none, mild, square-root and full inverse frequency. */
export const DEFAULT_CLASS_WEIGHT_POWERS: (number | null)[] = [0.25, 0.5, 1, null];

/** Loss grid and seeds of a task and mode, used where the user gives none. */
export interface GridDefaults {
  gammas: number[];
  alphas: (number | null)[];
  classWeightPowers: (number | null)[];
  seeds: number;
}

/**
 * The seeds of `--quick`: the fewest with which the verdict finds a true difference of +0.06
 * (AP, IoU, balanced accuracy) with 80 % power for the task's default grid, when one seed's
 * difference of two settings has sd 0.02 (detectableEffect of focal-loss-cli/stats; checked in
 * test/compare/defaults.test.ts): 20 settings (classification) and 6 (segmentation) need 3
 * seeds (0.052 each; 0.068 and 0.079 at 2), the detection pair 4 (0.043; 0.065 at 3, 0.23 at 2).
 * Fewer seeds than that make the verdict a preview, not a test.
 */
export const QUICK_SEEDS = { classification: 3, segmentation: 3, detection: 4 } as const;

/** Every task's tiny grid (tests): two gammas, one weighting and none, two seeds. */
const tinyDefaults = (): GridDefaults => ({ gammas: [0, 2], alphas: [0.25, null], classWeightPowers: [0.5, null], seeds: 2 });

/** Classification (MNIST and CSV): the paper's grid; --quick with {@link QUICK_SEEDS} seeds, --full with 5. */
export function classificationDefaults(mode: Mode): GridDefaults {
  if (mode === 'tiny') return tinyDefaults();
  return {
    gammas: DEFAULT_GAMMAS,
    alphas: DEFAULT_ALPHAS,
    classWeightPowers: DEFAULT_CLASS_WEIGHT_POWERS,
    seeds: mode === 'quick' ? QUICK_SEEDS.classification : 5,
  };
}

/** Segmentation: a conv-net run costs ~10 s here (an MLP run ~1 s), so it trains a smaller grid. */
export function segmentationDefaults(mode: Mode): GridDefaults {
  if (mode === 'tiny') return tinyDefaults();
  const classWeightPowers = DEFAULT_CLASS_WEIGHT_POWERS;
  return mode === 'quick'
    ? { gammas: [0, 2], alphas: [0.25, 0.75, null], classWeightPowers, seeds: QUICK_SEEDS.segmentation }
    : { gammas: [0, 1, 2, 5], alphas: [0.25, 0.75, null], classWeightPowers, seeds: 5 };
}

/** Detection: the grid is used only when the user gives --gamma or --alpha (see {@link detectionGrid} for the default pair). */
export function detectionDefaults(mode: Mode): GridDefaults {
  if (mode === 'tiny') return tinyDefaults();
  return {
    gammas: [0, 2],
    alphas: [0.25, 0.75],
    classWeightPowers: DEFAULT_CLASS_WEIGHT_POWERS,
    seeds: mode === 'quick' ? QUICK_SEEDS.detection : 5,
  };
}

/** The loss grid of the user's options, each left out filled in from `defaults`: α (two classes) or class-weight powers. */
export function lossGrid(options: CompareOptions, defaults: GridDefaults, kind: WeightingKind): LossSetting[] {
  const gammas = options.gammas ?? defaults.gammas;
  return kind === 'power'
    ? buildGrid(gammas, options.classWeightPowers ?? defaults.classWeightPowers, 'power')
    : buildGrid(gammas, options.alphas ?? defaults.alphas, 'alpha');
}

/** The seeds of an invocation: 0, 1, … (--seeds, or the default). */
export function seedList(options: CompareOptions, defaults: GridDefaults): number[] {
  return Array.from({ length: options.seeds ?? defaults.seeds }, (_, i) => i);
}

/** Model and optimisation sizes for the MLP. */
export interface MlpTraining {
  hidden: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
}

/** Built-in MNIST classification sizes per mode. */
export function mnistSizes(mode: Mode): { binary: MnistClassificationSize & MlpTraining; longTail: MnistClassificationSize & MlpTraining } {
  switch (mode) {
    case 'tiny':
      return {
        binary: { pool: 2, trainFraction: 0.06, testFraction: 0.1, hidden: 16, epochs: 2, batchSize: 256, learningRate: 2e-3 },
        longTail: { pool: 2, trainFraction: 0.06, testFraction: 0.1, hidden: 16, epochs: 2, batchSize: 256, learningRate: 2e-3 },
      };
    case 'quick':
      return {
        binary: { pool: 2, trainFraction: 0.4, testFraction: 1, hidden: 64, epochs: 6, batchSize: 256, learningRate: 2e-3 },
        longTail: { pool: 2, trainFraction: 0.5, testFraction: 1, hidden: 64, epochs: 8, batchSize: 256, learningRate: 2e-3 },
      };
    case 'full':
      return {
        binary: { pool: 2, trainFraction: 1, testFraction: 1, hidden: 64, epochs: 8, batchSize: 256, learningRate: 1e-3 },
        longTail: { pool: 2, trainFraction: 1, testFraction: 1, hidden: 64, epochs: 15, batchSize: 256, learningRate: 1e-3 },
      };
  }
}

/** MLP training for the user's CSV: more epochs for small files, so that every run sees enough steps. */
export function csvTraining(mode: Mode, trainRows: number): MlpTraining {
  const steps = mode === 'tiny' ? 40 : mode === 'quick' ? 600 : 2000;
  let batchSize = Math.min(128, Math.max(16, Math.round(trainRows / 20)));
  // Large files (more than `steps` batches of 128): bigger batches and a single epoch keep a run within the step budget.
  const large = trainRows / batchSize > steps;
  if (large) batchSize = Math.min(1024, Math.ceil(trainRows / steps));
  const epochs = large ? 1 : Math.max(2, Math.min(200, Math.round(steps / Math.ceil(trainRows / batchSize))));
  return { hidden: 32, epochs, batchSize, learningRate: 2e-3 };
}

/** What every conv-net experiment sizes: its scene sets, its network's width and its training. */
export interface SceneExperimentSize {
  /** Canvas side in pixels. */
  side: number;
  trainScenes: number;
  validationScenes: number;
  testScenes: number;
  /** Channels of the first conv layer (later stages have more). */
  width: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
}

/** Scene and network sizes of a segmentation experiment (side 32 or 64). */
export interface SegmentationSize extends SceneExperimentSize {
  targetDigit: number;
}

/** Segmentation scene sets per mode (full adds 64x64 canvases). */
export function segmentationSizes(mode: Mode): SegmentationSize[] {
  const base = { targetDigit: 8, learningRate: 3e-3 };
  switch (mode) {
    case 'tiny':
      return [{ ...base, side: 32, trainScenes: 24, validationScenes: 16, testScenes: 16, width: 4, epochs: 1, batchSize: 8 }];
    case 'quick':
      return [{ ...base, side: 32, trainScenes: 360, validationScenes: 160, testScenes: 240, width: 8, epochs: 5, batchSize: 16 }];
    case 'full':
      // Measured ~4 ms per 32x32 scene and epoch (wasm, one core): ~29 s per 32x32 run, ~28 s per 64x64 run, 48 runs.
      return [
        { ...base, side: 32, trainScenes: 800, validationScenes: 300, testScenes: 600, width: 8, epochs: 8, batchSize: 16 },
        { ...base, side: 64, trainScenes: 220, validationScenes: 100, testScenes: 200, width: 8, epochs: 7, batchSize: 8 },
      ];
  }
}

/** Scene, anchor and network sizes of a detection experiment. */
export interface DetectionSize extends AnchorLayout, SceneExperimentSize {
  /** Canvas side (32 for --quick). */
  side: number;
  /** Default 'adam'. */
  optimizer?: OptimizerKind;
  /** Digits drawn per scene (default 4; at least 1). */
  maxDigits?: number;
  /** Smallest and largest side a digit is scaled to, in pixels (default 10 to min(28, side)). */
  digitSides?: [number, number];
  /** Experiment id; default `detection-<side>`. */
  id?: string;
  /** What an ablation varies, in words (absent for the main experiment). */
  axis?: string;
  /** A point of the imbalance trend (the main experiment and the ablations that change only the imbalance, at equal steps). */
  imbalanceAxis?: boolean;
  /** Settings (labels) whose runs record test AP after every doubling of the steps: the learning curve. */
  learningCurve?: string[];
}

/** The detection baseline: α-balanced cross-entropy with α = .75 (the paper's best CE in Table 1a). */
export const DETECTION_BASELINE_LABEL = 'γ=0 α=0.75';

/** Focal loss γ = 2, α = .25: the paper's best setting (Table 1b), the other half of the headline pair. */
export const DETECTION_FOCAL_LABEL = 'γ=2 α=0.25';

const point = (gamma: number, alpha: number): LossSetting => ({ gamma, alpha, label: `γ=${gamma} α=${alpha}` });

/**
 * The default detection grid. `--quick` (and tiny): the paper's headline pair, cross-entropy
 * α = .75 against focal loss γ = 2, α = .25 (both with the prior initialisation). `--full`,
 * the main experiment's candidates: Table 1a's cross-entropy α sweep (.25, .75, .9),
 * Table 1b's γ sweep with the paper's α (γ 0 α .75; γ 1 and 2 α .25) and FL* (appendix A,
 * γ 2 β 1): six settings, as many as five seeds at the plateau schedule allow. The settings that only inflate the multiplicity (α .99, γ 5, no prior) are
 * ablations ({@link detectionPlan}), not candidates.
 */
export function detectionGrid(mode: Mode = 'quick'): LossSetting[] {
  const pair = [point(0, 0.75), point(2, 0.25)];
  if (mode !== 'full') return pair;
  return [
    ...[0.25, 0.75, 0.9].map((alpha) => point(0, alpha)),
    point(1, 0.25),
    point(2, 0.25),
    { gamma: 2, alpha: 0.25, beta: 1, label: 'FL* γ=2 β=1 α=0.25' },
  ];
}

/** A detection experiment: its scenes and anchors, its grid, what it varies and how many of the plan's seeds it runs. */
export interface DetectionPlan {
  size: DetectionSize;
  grid: LossSetting[];
  /** Seeds of an ablation: the first this many of the plan's (default: all). */
  seeds?: number;
}

/**
 * The main `--full` detection experiment, at the paper's imbalance: 40×40 scenes with one
 * MNIST digit of 8-12 px and 9 anchors per cell (about 1:580 positive : negative anchors in
 * the training set), Adam at a constant rate for 3840 steps (32 epochs of 120 batches of 16),
 * where the learning curve of seed 0 is flat (bench/learning-curve.bench.ts: test AP of
 * CE α .75 0.124 / 0.191 / 0.176 and of FL γ 2 α .25 0.124 / 0.185 / 0.178 after 960 / 1920
 * / 3840 steps; the report draws it again for every seed).
 */
export const PAPER_LIKE_DETECTION: DetectionSize = {
  side: 40,
  scales: [1, 2 ** (1 / 3), 2 ** (2 / 3)],
  aspectRatios: [0.5, 1, 2],
  levels: 2,
  anchorSizeInStrides: 2,
  maxDigits: 1,
  digitSides: [8, 12],
  trainScenes: 1920,
  validationScenes: 300,
  testScenes: 600,
  width: 8,
  epochs: 32,
  batchSize: 16,
  learningRate: 3e-3,
};

/**
 * Detection experiments per mode. `--full`: the main experiment ({@link PAPER_LIKE_DETECTION},
 * the grid of {@link detectionGrid}, every seed, the learning curve of the pair recorded), then
 * ablations that each change one thing against it, on the first seeds:
 * - imbalance at equal steps: the same digits on 24×24 and 48×48 canvases (less and more
 *   background per digit), the pair only; with the main experiment these are the points of
 *   the trend of FL − CE against the imbalance (report/ablations.ts);
 * - the optimiser: the paper's SGD (momentum .9, warm-up, steps) at the same schedule, with
 *   cross-entropy without the prior initialisation (the paper: it diverges);
 * - the paper's extreme rows, α .99 and γ 5, against the baseline.
 * A run that is also a run of the main experiment (the baseline of the last) is trained once.
 */
export function detectionPlan(mode: Mode): DetectionPlan[] {
  const base = {
    side: 32,
    scales: [1, 2 ** (1 / 3), 2 ** (2 / 3)],
    aspectRatios: [1, 2],
    levels: 2 as const,
    anchorSizeInStrides: 2,
    learningRate: 3e-3,
  };
  const pair = detectionGrid('quick');
  switch (mode) {
    case 'tiny':
      return [{ size: { ...base, trainScenes: 24, validationScenes: 8, testScenes: 8, width: 4, epochs: 1, batchSize: 8 }, grid: pair }];
    case 'quick':
      return [
        { size: { ...base, trainScenes: 480, validationScenes: 150, testScenes: 300, width: 8, epochs: 7, batchSize: 16 }, grid: pair },
      ];
    case 'full': {
      const main = PAPER_LIKE_DETECTION;
      const ablation = (id: string, axis: string, changes: Partial<DetectionSize>, grid: LossSetting[], seeds: number): DetectionPlan => ({
        size: { ...main, id, axis, ...changes },
        grid,
        seeds,
      });
      return [
        { size: { ...main, imbalanceAxis: true, learningCurve: pair.map((s) => s.label) }, grid: detectionGrid('full') },
        ablation('imbalance-24', 'imbalance: 24x24 canvas (less background)', { side: 24, imbalanceAxis: true }, pair, 5),
        ablation('imbalance-48', 'imbalance: 48x48 canvas (more background)', { side: 48, imbalanceAxis: true }, pair, 3),
        ablation(
          'sgd',
          "optimiser: the paper's SGD (momentum .9, warm-up, steps) at lr 0.01",
          { optimizer: 'sgd', learningRate: 0.01 },
          [...pair, { ...point(0, 0.75), prior: false, label: 'γ=0 α=0.75 no prior' }],
          3,
        ),
        ablation('extremes', "loss: the paper's extreme rows, α .99 and γ 5", {}, [point(0, 0.75), point(0, 0.99), point(5, 0.25)], 3),
      ];
    }
  }
}

/** Detection scene sets per mode (see {@link detectionPlan}). */
export function detectionSizes(mode: Mode): DetectionSize[] {
  return detectionPlan(mode).map((p) => p.size);
}
