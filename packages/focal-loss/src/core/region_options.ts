/**
 * Options of the segmentation region losses (diceLoss, focalTverskyLoss, unifiedFocalLoss),
 * shared by the float64 core (src/core/region.ts) and the TF.js ops: defaults, checks (errors
 * name the op and the argument) and how the logits' and targets' shapes are read.
 */
import {
  checkFlag,
  checkIgnoreIndex,
  checkInRange,
  checkNonNegative,
  checkOneOf,
  checkPositive,
  describe,
  formatShape,
  invalidEntry,
  sizeOf,
} from './options.js';
import type { Reduction } from './reduction.js';

/** How logits become probabilities: softmax over the last axis, or a sigmoid per channel. */
export type RegionActivation = 'softmax' | 'sigmoid';

/** Options every region loss takes. */
export interface RegionOptions<R extends Reduction = Reduction> {
  /** 'softmax' (default; classes on the last axis, at least 2) or 'sigmoid' (each channel on its own). */
  activation?: RegionActivation;
  /**
   * true (default): the overlap (TP, FP, FN) is summed over each image's pixels, one score per
   * image and class (MONAI's `batch=False`, the Unified Focal loss code's). false: summed over
   * the whole batch, one score per class (MONAI's `batch=True`, segmentation_models.pytorch's).
   */
  perImage?: boolean;
  /** With integer labels: pixels with this label count nowhere (no TP, FP, FN, cross-entropy or mean). */
  ignoreIndex?: number;
  /** Added to the numerator and the denominator of each overlap score (ε > 0: an empty class scores 1). */
  smooth?: number;
  /** 'none' | 'sum' | 'mean' (default). See each loss for what 'none' returns. */
  reduction?: R;
}

/** The options of one region loss, checked, with the defaults filled in. */
export interface ResolvedRegionOptions {
  activation: RegionActivation;
  perImage: boolean;
  ignoreIndex: number | null;
  smooth: number;
}

export const REGION_OPTIONS = ['activation', 'perImage', 'ignoreIndex', 'smooth', 'reduction'] as const;

// The checks are core/options.ts's, so that every op words an option error the same way.
export { checkFlag, checkNonNegative };

export function checkActivation(op: string, value: unknown): RegionActivation {
  return checkOneOf(op, 'activation', value, ['softmax', 'sigmoid'] as const);
}

/** smooth > 0 keeps the score of a class absent from both prediction and target defined (ε / ε). */
export function checkSmooth(op: string, value: unknown): number {
  return checkPositive(op, 'smooth', value);
}

export function checkUnitInterval(op: string, name: string, value: unknown): number {
  return checkInRange(op, name, value, 0, 1);
}

/** The shared options with their defaults; `smoothDefault` is the loss's own (it follows its reference). */
export function resolveRegionOptions(op: string, options: RegionOptions, smoothDefault: number): ResolvedRegionOptions {
  return {
    activation: checkActivation(op, options.activation ?? 'softmax'),
    perImage: checkFlag(op, 'perImage', options.perImage ?? true),
    ignoreIndex: checkIgnoreIndex(op, options.ignoreIndex),
    smooth: checkSmooth(op, options.smooth ?? smoothDefault),
  };
}

/** One weight >= 0 per class (of the logits' last axis), or null. */
export function checkClassWeights(op: string, value: unknown, classes: number): number[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw new Error(`${op}: classWeights must be an array of ${classes} numbers, got ${describe(value)}`);
  }
  const weights = Array.from(value as ArrayLike<number>);
  if (weights.length !== classes) {
    throw new Error(`${op}: classWeights has ${weights.length} entries but the logits have ${classes} classes`);
  }
  for (const w of weights) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new Error(`${op}: every classWeights entry must be a finite number >= 0, got ${describe(w)}`);
    }
  }
  return weights;
}

/** How a region loss reads its inputs: logits [batch, ...spatial, classes]. */
export interface RegionLayout {
  batch: number;
  /** Pixels per image (the product of the spatial axes; 1 for [batch, classes]). */
  pixels: number;
  classes: number;
  /** true: targets are integer labels (the logits' shape without the class axis). */
  labels: boolean;
}

/**
 * Reads the logits' shape and decides whether the targets are masks (the logits' shape) or
 * integer labels (without the class axis; softmax only), from the targets' shape or length.
 */
export function regionLayout(
  op: string,
  shape: readonly number[],
  targetsShape: readonly number[] | null,
  targetsLength: number,
  activation: RegionActivation,
  ignoreIndex: number | null,
): RegionLayout {
  if (shape.length < 2) {
    throw new Error(`${op}: logits must have rank >= 2 ([batch, ...spatial, classes]), got shape ${formatShape(shape)}`);
  }
  const batch = shape[0];
  const classes = shape[shape.length - 1];
  if (classes < 1) {
    throw new Error(`${op}: logits must have at least 1 class on the last axis, got shape ${formatShape(shape)}`);
  }
  if (activation === 'softmax' && classes < 2) {
    throw new Error(
      `${op}: activation 'softmax' needs at least 2 classes on the logits' last axis, got shape ${formatShape(shape)} (use 'sigmoid' for one channel)`,
    );
  }
  const size = sizeOf(shape);
  const labelShape = shape.slice(0, -1);
  const isMask =
    targetsShape === null ? targetsLength === size : targetsShape.length === shape.length && targetsShape.every((d, i) => d === shape[i]);
  const isLabels =
    activation === 'softmax' &&
    (targetsShape === null
      ? targetsLength === size / classes
      : targetsShape.length === labelShape.length && targetsShape.every((d, i) => d === labelShape[i]));
  if (!isMask && !isLabels) {
    const got = targetsShape === null ? `${targetsLength} values` : `shape ${formatShape(targetsShape)}`;
    const labels = activation === 'softmax' ? ` or, for integer labels, ${formatShape(labelShape)}` : '';
    throw new Error(`${op}: targets (${got}) must have the logits' shape ${formatShape(shape)}${labels}`);
  }
  // Read from a length alone, empty targets fit both (0 values): they are labels when ignoreIndex says so.
  const labels = isLabels && (!isMask || ignoreIndex !== null);
  if (!labels && ignoreIndex !== null) {
    throw new Error(`${op}: ignoreIndex applies to integer labels, but the targets are masks of the logits' shape`);
  }
  // With batch 0 the spatial axes cannot be recovered from the size: their product is read from the shape.
  return { batch, pixels: sizeOf(shape.slice(1, -1)), classes, labels };
}

/** Integer labels: each ignoreIndex or an integer in [0, classes); throws naming op and argument. */
export function checkRegionLabels(op: string, labels: ArrayLike<number>, classes: number, ignoreIndex: number | null): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v === ignoreIndex || (Number.isInteger(v) && v >= 0 && v < classes)) continue;
    const ignored = ignoreIndex === null ? '' : ` and is not ignoreIndex (${ignoreIndex})`;
    throw invalidEntry(op, 'targets', i, v, `an integer in [0, ${classes})${ignored}`);
  }
}

/** Masks: every value in [0, 1] (NaN rejected); throws naming op and argument. */
export function checkRegionMasks(op: string, targets: ArrayLike<number>): void {
  for (let i = 0; i < targets.length; i++) {
    const v = targets[i];
    if (!(v >= 0 && v <= 1)) throw invalidEntry(op, 'targets', i, v, 'in [0, 1]');
  }
}
