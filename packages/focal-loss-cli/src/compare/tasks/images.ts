/**
 * The two tasks on the user's own images, as task-table entries (task.ts), and how `--task
 * detection` / `--task segmentation` choose between them and the built-in MNIST scenes: with
 * `--images` the user's data, without it the scenes. An experiment's size carries where the
 * data is (plain data): each thread that runs its jobs decodes the images once.
 */
import { detectionGrid, detectionDefaults, lossGrid, seedList, segmentationDefaults, type CompareOptions } from '../config.js';
import { DETECTION_BASELINE_LABEL } from '../config.js';
import type { LossSetting } from '../settings.js';
import type { ExperimentResult } from '../types.js';
import { type Chance, CHANCE_MARGIN, chanceLevel, IMAGE_EXAMPLES, imageExamples } from './image_common.js';
import {
  DETECTION_IMAGE_SIZE,
  describeImageDetection,
  detectionChance,
  type ImageDetectionData,
  type ImageDetectionSize,
  imageDetectionMetricSpec,
  imageDetectionSize,
  imageDetectionTraining,
  makeImageDetectionData,
  runImageDetection,
} from './image_detection.js';
import {
  describeImageSegmentation,
  type ImageSegmentationData,
  type ImageSegmentationSize,
  imageSegmentationMetricSpec,
  imageSegmentationSize,
  imageSegmentationTraining,
  makeImageSegmentationData,
  runImageSegmentation,
  SEGMENTATION_IMAGE_SIZE,
  segmentationChance,
  trueMasks,
} from './image_segmentation.js';
import type { Task } from './task.js';

/** True for the sizes of the image tasks (they carry their data's source). */
export const isImageSize = (size: unknown): boolean => typeof size === 'object' && size !== null && 'source' in size;

/**
 * Whether an experiment learned anything: the best setting's mean test score against the best
 * trivial baseline plus {@link CHANCE_MARGIN}. Not informative: the verdict cannot speak
 * about the losses at this budget.
 */
export function informativeness(
  chance: Chance,
  runs: ExperimentResult['runs'],
  grid: readonly LossSetting[],
): { informative: boolean; best: number; bestLabel: string; floor: number } {
  const floor = chanceLevel(chance) + CHANCE_MARGIN;
  let best = -Infinity;
  let bestLabel = '';
  for (const s of grid) {
    const values = runs.filter((r) => r.setting.label === s.label).map((r) => r.test[chance.metric]!);
    const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
    if (mean > best) {
      best = mean;
      bestLabel = s.label;
    }
  }
  return { informative: best >= floor, best, bestLabel, floor };
}

/** The words of a not-informative outcome: what was reached, against what, and what to change. */
export function notInformativeWords(
  chance: Chance,
  best: number,
  bestLabel: string,
  images: number,
  task: 'detection' | 'segmentation',
): string {
  return (
    `Not informative at this budget: the best setting (${bestLabel}) reached test ${chance.metric} ${best.toFixed(3)}, ` +
    `not ${CHANCE_MARGIN} above the best trivial baseline (${chanceLevel(chance).toFixed(3)}): the models learned too little for their losses to be compared. ` +
    `To change: more images (${images} here), longer training (--full, or --epochs N), ${task === 'detection' ? 'a larger --image-size (see the anchor coverage above)' : 'a larger --image-size'}.`
  );
}

function imageSide(options: CompareOptions, fallback: number): number {
  return options.imageSize ?? fallback;
}

/** Detection on the user's images. */
export const imageDetectionTask: Task<ImageDetectionSize, ImageDetectionData> = {
  convNet: true,
  exampleScenes: IMAGE_EXAMPLES,
  plan(options) {
    const defaults = detectionDefaults(options.mode);
    const source = {
      images: options.images!,
      ...(options.voc ? { voc: options.voc } : {}),
      ...(options.coco ? { coco: options.coco } : {}),
      ...(options.split ? { split: options.split } : {}),
      side: imageSide(options, DETECTION_IMAGE_SIZE),
    };
    const grid =
      options.gammas || options.alphas
        ? lossGrid(options, defaults, 'alpha')
        : detectionGrid(options.mode === 'full' ? 'quick' : options.mode);
    return { experiments: [{ size: imageDetectionSize(options.mode, source, options.epochs), grid }], seeds: seedList(options, defaults) };
  },
  makeData: (size) => makeImageDetectionData(size),
  run: (data, job, callbacks) => runImageDetection(data, job, callbacks),
  describe: (size, first) => ({
    id: 'images-detection',
    description: describeImageDetection(first),
    epochs: size.epochs,
    announce: true,
  }),
  summary: (r) => `val AP ${r.validation.AP!.toFixed(3)}, test AP ${r.test.AP!.toFixed(3)}, AP50 ${r.test.AP50!.toFixed(3)}`,
  report: ({ size, grid, seeds, first, intro, runs }) => {
    const { dataset } = first;
    const chance = detectionChance(first);
    const verdict = informativeness(chance, runs, grid);
    const test = dataset.test;
    return {
      id: intro.id,
      title: `Detection on your images (${size.source.images}, ${dataset.classNames.length} class${dataset.classNames.length === 1 ? '' : 'es'}, COCO AP)`,
      task: 'detection',
      kind: 'detection',
      description: intro.description,
      anchorImbalance: first.targets.numNegative / Math.max(1, first.targets.numPositive),
      training: imageDetectionTraining(size, first),
      metrics: imageDetectionMetricSpec(dataset.classNames),
      grid: [...grid],
      seeds: [...seeds],
      runs,
      sharedTestSet: true,
      baseline: grid.some((s) => s.label === DETECTION_BASELINE_LABEL) ? DETECTION_BASELINE_LABEL : undefined,
      examples: imageExamples(test, IMAGE_EXAMPLES, {
        boxes: Array.from({ length: Math.min(IMAGE_EXAMPLES, test.count) }, (_, s) =>
          Array.from(test.classes[s]!, (label, j) => ({
            box: Array.from(test.boxes[s]!.subarray(4 * j, 4 * j + 4), (v) => Number(v.toFixed(1))),
            label,
          })),
        ),
      }),
      chance: {
        ...chance,
        floor: verdict.floor,
        informative: verdict.informative,
        ...(verdict.informative
          ? {}
          : { words: notInformativeWords(chance, verdict.best, verdict.bestLabel, dataset.notes.images, 'detection') }),
      },
    };
  },
};

/** Segmentation on the user's images and masks. */
export const imageSegmentationTask: Task<ImageSegmentationSize, ImageSegmentationData> = {
  convNet: true,
  exampleScenes: IMAGE_EXAMPLES,
  plan(options) {
    const defaults = segmentationDefaults(options.mode);
    const source = {
      images: options.images!,
      masks: options.masks!,
      ...(options.ignoreIndex === undefined ? {} : { ignoreIndex: options.ignoreIndex }),
      ...(options.split ? { split: options.split } : {}),
      side: imageSide(options, SEGMENTATION_IMAGE_SIZE),
    };
    // Quick: cross-entropy against the focal loss γ = 2 (a 256-px run takes about 2 minutes on one core).
    const grid = lossGrid(options, options.mode === 'quick' && !options.alphas ? { ...defaults, alphas: [null] } : defaults, 'alpha');
    return {
      experiments: [{ size: imageSegmentationSize(options.mode, source, options.epochs), grid }],
      seeds: seedList(options, defaults),
    };
  },
  makeData: (size) => makeImageSegmentationData(size),
  run: (data, job, callbacks) => runImageSegmentation(data, job, callbacks),
  describe: (_size, first) => ({
    id: 'images-segmentation',
    description: describeImageSegmentation(first),
    epochs: _size.epochs,
    announce: true,
  }),
  summary: (r) =>
    `val ${r.validation.iou !== undefined ? `IoU ${r.validation.iou.toFixed(3)}` : `mIoU ${r.validation.mIoU!.toFixed(3)}`}, test IoU ${(r.test.iou ?? r.test.mIoU)!.toFixed(3)}, mIoU ${r.test.mIoU!.toFixed(3)}`,
  report: ({ size, grid, seeds, first, intro, runs }) => {
    const { dataset } = first;
    const chance = segmentationChance(dataset);
    const verdict = informativeness(chance, runs, grid);
    return {
      id: intro.id,
      title: `Segmentation of your images (${size.source.images}, ${dataset.binary ? 'binary' : `${dataset.classNames.length} classes`})`,
      task: 'segmentation',
      kind: 'segmentation',
      description: intro.description,
      training: imageSegmentationTraining(size, first, grid),
      metrics: imageSegmentationMetricSpec(dataset.classNames, dataset.binary),
      grid: [...grid],
      seeds: [...seeds],
      runs,
      sharedTestSet: true,
      examples: imageExamples(dataset.test, IMAGE_EXAMPLES, { masks: trueMasks(dataset.test, IMAGE_EXAMPLES) }),
      chance: {
        ...chance,
        floor: verdict.floor,
        informative: verdict.informative,
        ...(verdict.informative
          ? {}
          : { words: notInformativeWords(chance, verdict.best, verdict.bestLabel, dataset.notes.images, 'segmentation') }),
      },
    };
  },
};

/**
 * A task-table entry that runs `builtIn` on the MNIST scenes and `images` with `--images`:
 * plan by the options, everything else by the experiment's size.
 */
export function withImages<A, B, C, D>(builtIn: Task<A, B>, images: Task<C, D>): Task {
  const pick = (size: unknown) => (isImageSize(size) ? (images as unknown as Task) : (builtIn as unknown as Task));
  return {
    convNet: builtIn.convNet && images.convNet,
    exampleScenes: builtIn.exampleScenes,
    plan: (options, input) => {
      if (options.images === undefined) return builtIn.plan(options, input);
      return images.plan(options, input);
    },
    makeData: (size, seed, input) => pick(size).makeData(size, seed, input),
    run: (data, job, callbacks) => pick(job.size).run(data, job, callbacks),
    describe: (size, first, seeds) => pick(size).describe(size, first, seeds),
    // A seed's data of the image tasks holds the loaded data set; the scenes' data does not.
    summary: (record, first) => ('dataset' in (first as object) ? images.summary(record, first as D) : builtIn.summary(record, first as B)),
    report: (experiment) => pick(experiment.size).report(experiment),
  };
}
