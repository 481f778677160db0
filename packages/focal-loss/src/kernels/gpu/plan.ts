/**
 * The sequence of GPU programs behind each fused focal-loss kernel, written once for both
 * GPU backends. A backend supplies a {@link GpuProgramRunner} that turns each backend-neutral
 * {@link FocalProgramSpec} into GLSL (webgl) or WGSL (webgpu) and runs it.
 *
 * Every program writes one float32 output, flat (1-D). Per kernel:
 *   element-wise family (QFL, VFL, Gaussian, Poly-1, ASL, and the sigmoid focal loss and FL*
 *            of FocalLossSigmoid): loss program (per element, or per window of WINDOW
 *            elements for sum/mean) with the loss's snippet (../family/shaders.ts), then sum
 *            passes down to one value; grad program (one pass over the elements).
 *   categorical: the same row stats, a per-row total of the class terms T_c (for the
 *            gradient), loss program (per row or window of rows), grad program (per element).
 *   softmax: row-stats program (row max and sum of e^(x - max) over the non-argmax classes),
 *            loss program (per row or per window of rows), grad program (per element), and
 *            for 'mean' a count of the non-ignored labels, reduced on the GPU as well.
 *   distribution (DFL): the softmax row stats over the bins, loss program (per row or window
 *            of rows), grad program (per logit).
 * Sums go through a tree of WINDOW-wide partial sums (Kahan-compensated within each
 * window), so float32 rounding grows with log_WINDOW(n) rather than n.
 *
 * Why the loss and the gradient are two programs rather than one: tfjs's webgl programs
 * write one texture and its webgpu programs bind one writable buffer. Packing both into one
 * [2, n] output would need a copy to split it (webgpu has no shallow slice), which moves
 * more memory than evaluating the elementwise math twice; for 'sum' and 'mean' the loss
 * program also does the first reduction level, so the per-element loss is never stored.
 * Every program reads its inputs once and writes no intermediate the size of the logits.
 *
 * ±Infinity logits give the limits the CPU kernels give (src/core: 0 with gradient 0, or a
 * +Infinity loss with the gradient's finite limit; NaN where there is none, as for two
 * +Infinity logits in a row); the sum tree carries an infinite partial sum through.
 *
 * Labels and targets are not validated on the GPU (reading them back would stall the
 * pipeline): a label that is not ignoreIndex and is not an integer in [0, C) gives NaN loss
 * and NaN gradient for its row (counted by 'mean'), so the reduced loss is NaN as well; a
 * target outside [0, 1] enters the formulas as it is (the loss can come out negative), and a
 * NaN target gives NaN for its element (sigmoid) or row (categorical).
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';
import type { Params } from '../../core/family/definition.js';
import type { CategoricalFocalLossAttrs, Reduction, SoftmaxFocalLossAttrs } from '../kernel_names.js';

/** Partial-sum width of every reduction pass. */
export const WINDOW = 16;

/** Logits viewed as [outer, classes, inner]; rows = outer * inner. */
export interface RowLayout {
  rows: number;
  classes: number;
  inner: number;
}
/** Output [2 * rows]: row max at r, sum over non-argmax classes of e^(x - max) at rows + r. */
export interface SoftmaxStatsSpec extends RowLayout {
  kind: 'softmaxStats';
}
export interface SoftmaxLabelOptions {
  hasAlpha: boolean;
  hasWeights: boolean;
  ignoreIndex: number | null;
}
/** Per row loss (window 1) or sums of it over windows of rows. */
export interface SoftmaxLossSpec extends RowLayout, SoftmaxLabelOptions {
  kind: 'softmaxLoss';
  window: number;
}
/** Gradient per logit; scaled by uScale, or by 1 / count when `divideByCount`. */
export interface SoftmaxGradSpec extends RowLayout, SoftmaxLabelOptions {
  kind: 'softmaxGrad';
  divideByCount: boolean;
}
export interface CategoricalOptions {
  hasAlpha: boolean;
  hasWeights: boolean;
}
/** Categorical focal loss per row (window 1) or summed over windows of rows. */
export interface CategoricalLossSpec extends RowLayout, CategoricalOptions {
  kind: 'categoricalLoss';
  window: number;
}
/** Per row: S = sum over classes of T_c (see glslCategoricalTerms). */
export interface CategoricalTotalSpec extends RowLayout, CategoricalOptions {
  kind: 'categoricalTotal';
}
/** Gradient per logit, scaled by uScale. */
export interface CategoricalGradSpec extends RowLayout, CategoricalOptions {
  kind: 'categoricalGrad';
}
/** Element-wise family loss (src/core/family) per element (window 1) or summed over windows. */
export interface FamilyLossSpec {
  kind: 'familyLoss';
  /** The op name of the definition. */
  family: string;
  params: Params;
  size: number;
  window: number;
  hasWeights: boolean;
}
/** Gradient of the reduced family loss, per element; uniform uScale folds in 'mean'. */
export interface FamilyGradSpec {
  kind: 'familyGrad';
  family: string;
  params: Params;
  size: number;
  hasWeights: boolean;
}
/**
 * Distribution Focal Loss per row of bins (window 1) or summed over windows of rows; inputs
 * logits, targets (one per row), the softmax row stats (classes = bins, inner = 1), weights.
 */
export interface DistributionLossSpec extends RowLayout {
  kind: 'distributionLoss';
  window: number;
  hasWeights: boolean;
}
/** Gradient of the reduced DFL per logit, scaled by uScale; the same inputs. */
export interface DistributionGradSpec extends RowLayout {
  kind: 'distributionGrad';
  hasWeights: boolean;
}
/** Number of labels that are not ignoreIndex, per window of labels. */
export interface LabelCountSpec {
  kind: 'labelCount';
  size: number;
  window: number;
  ignoreIndex: number;
}
/**
 * One pass of the sum tree: output j = sum of input[j * window ...]. When `finish` is
 * 'scale' the sums are multiplied by uScale; 'count' divides by the count input (0 if 0).
 */
export interface SumSpec {
  kind: 'sum';
  size: number;
  window: number;
  finish: 'none' | 'scale' | 'count';
}

export type FocalProgramSpec =
  | SoftmaxStatsSpec
  | SoftmaxLossSpec
  | SoftmaxGradSpec
  | CategoricalLossSpec
  | CategoricalTotalSpec
  | CategoricalGradSpec
  | LabelCountSpec
  | FamilyLossSpec
  | FamilyGradSpec
  | DistributionLossSpec
  | DistributionGradSpec
  | SumSpec;

/**
 * Uniform values every program receives, in this order (unused ones are ignored):
 * uAlpha, uGamma, uBeta, uSmoothing, uScale.
 */
export const UNIFORM_NAMES = ['uAlpha', 'uGamma', 'uBeta', 'uSmoothing', 'uScale'] as const;
export type UniformValues = [number, number, number, number, number];

/** What a GPU backend provides to the plan. */
export interface GpuProgramRunner {
  /** Runs the program; the result is float32 of shape [outputSize(spec)]. */
  run(spec: FocalProgramSpec, inputs: TensorInfo[], uniforms: UniformValues): TensorInfo;
  /** The same data viewed as 1-D [size] (a new reference the caller disposes). */
  flatten(info: TensorInfo): TensorInfo;
  /** Uploads a small float32 vector (per-class alpha). */
  upload(values: Float32Array): TensorInfo;
  dispose(info: TensorInfo): void;
}

/** A number as a float literal that both GLSL and WGSL accept (a label such as -1 or 255). */
export function floatLiteral(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 53 ? `${value}.0` : value.toExponential();
}

/** Number of outputs a program writes. */
export function outputSize(spec: FocalProgramSpec): number {
  switch (spec.kind) {
    case 'familyLoss':
    case 'labelCount':
      return Math.ceil(spec.size / spec.window);
    case 'sum':
      return Math.max(1, Math.ceil(spec.size / spec.window));
    case 'familyGrad':
      return spec.size;
    case 'softmaxStats':
      return 2 * spec.rows;
    case 'softmaxLoss':
    case 'categoricalLoss':
    case 'distributionLoss':
      return Math.ceil(spec.rows / spec.window);
    case 'categoricalTotal':
      return spec.rows;
    case 'softmaxGrad':
    case 'categoricalGrad':
    case 'distributionGrad':
      return spec.rows * spec.classes * spec.inner;
  }
}

/** A result with its shape relabelled (the data is flat and unpacked, so this is free). */
function shaped(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype as DataType };
}

/**
 * Sums `partials` to a single value with WINDOW-wide passes; the last pass applies the
 * finish ('scale': times uScale, 'count': divided by `count`). Disposes `partials`.
 */
function sumToScalar(
  runner: GpuProgramRunner,
  partials: TensorInfo,
  finish: SumSpec['finish'],
  uniforms: UniformValues,
  count: TensorInfo | null,
): TensorInfo {
  let current = partials;
  let size = partials.shape[0];
  for (;;) {
    const last = size <= WINDOW;
    const spec: SumSpec = { kind: 'sum', size, window: WINDOW, finish: last ? finish : 'none' };
    const inputs = last && finish === 'count' && count !== null ? [current, count] : [current];
    const next = runner.run(spec, inputs, uniforms);
    runner.dispose(current);
    current = next;
    size = outputSize(spec);
    if (last) return current;
  }
}

/** Empty logits: an empty gradient, and loss 0 (sum, mean) or an empty loss (none). */
function emptyResult(
  runner: GpuProgramRunner,
  shape: readonly number[],
  reduction: Reduction,
  lossShape: number[],
): [TensorInfo, TensorInfo] {
  const loss =
    reduction === 'none'
      ? shaped(runner.upload(new Float32Array(0)), lossShape)
      : shaped(runner.upload(new Float32Array(1)), []);
  return [loss, shaped(runner.upload(new Float32Array(0)), [...shape])];
}

/**
 * Fused element-wise family loss (FocalLossElementwise: attrs family, reduction and the
 * definition's parameters; also FocalLossSigmoid, see ../family/sigmoid.ts): a gradient
 * program and a loss program (per element, or windowed sums followed by the sum tree), the
 * per-element math from the loss's snippet (src/kernels/family/shaders.ts). `paramUniforms`:
 * uAlpha, uGamma, uBeta, uSmoothing (familyUniformValues), for a snippet that reads its
 * parameters from them.
 */
export function runElementwisePlan(
  runner: GpuProgramRunner,
  logits: TensorInfo,
  targets: TensorInfo,
  weights: TensorInfo | null,
  family: string,
  params: Params,
  reduction: Reduction,
  paramUniforms: [number, number, number, number],
): [TensorInfo, TensorInfo] {
  const size = logits.shape.reduce((a, b) => a * b, 1);
  const scale = reduction === 'mean' && size > 0 ? 1 / size : 1;
  const uniforms: UniformValues = [...paramUniforms, scale];
  if (size === 0) return emptyResult(runner, logits.shape, reduction, [...logits.shape]);
  const flat = [logits, targets, ...(weights === null ? [] : [weights])].map((t) => runner.flatten(t));
  try {
    const common = { family, params, size, hasWeights: weights !== null };
    const grad = runner.run({ kind: 'familyGrad', ...common }, flat, uniforms);
    if (reduction === 'none') {
      const loss = runner.run({ kind: 'familyLoss', ...common, window: 1 }, flat, uniforms);
      return [shaped(loss, [...logits.shape]), shaped(grad, [...logits.shape])];
    }
    const partials = runner.run({ kind: 'familyLoss', ...common, window: WINDOW }, flat, uniforms);
    const loss = sumToScalar(runner, partials, 'scale', uniforms, null);
    return [shaped(loss, []), shaped(grad, [...logits.shape])];
  } finally {
    flat.forEach((t) => runner.dispose(t));
  }
}

/**
 * Fused Distribution Focal Loss (FocalLossDistribution: attrs regMax, reduction; bins last):
 * the softmax row stats (max, and the other bins' sum of e^(x - max)) over rows of regMax + 1
 * bins, then the per-row loss and the per-logit gradient from them, with the sum tree for
 * 'sum' and 'mean' (src/core/family/distribution.ts is the float64 reference).
 */
export function runDistributionPlan(
  runner: GpuProgramRunner,
  logits: TensorInfo,
  targets: TensorInfo,
  weights: TensorInfo | null,
  attrs: { regMax: number; reduction: Reduction },
): [TensorInfo, TensorInfo] {
  const size = logits.shape.reduce((a, b) => a * b, 1);
  const bins = attrs.regMax + 1;
  const rows = size / bins;
  const { reduction } = attrs;
  const rowShape = logits.shape.slice(0, -1);
  const scale = reduction === 'mean' && rows > 0 ? 1 / rows : 1;
  const uniforms: UniformValues = [1, 0, 0, 0, scale];
  if (size === 0) return emptyResult(runner, logits.shape, reduction, rowShape);
  const layout: RowLayout = { rows, classes: bins, inner: 1 };
  const owned: TensorInfo[] = [logits, targets].map((t) => runner.flatten(t));
  try {
    const stats = runner.run({ kind: 'softmaxStats', ...layout }, [owned[0]], uniforms);
    owned.push(stats);
    const inputs = [owned[0], owned[1], stats];
    if (weights !== null) {
      const flatWeights = runner.flatten(weights);
      owned.push(flatWeights);
      inputs.push(flatWeights);
    }
    const hasWeights = weights !== null;
    const grad = runner.run({ kind: 'distributionGrad', ...layout, hasWeights }, inputs, uniforms);
    if (reduction === 'none') {
      const loss = runner.run({ kind: 'distributionLoss', ...layout, hasWeights, window: 1 }, inputs, uniforms);
      return [shaped(loss, rowShape), shaped(grad, [...logits.shape])];
    }
    const partials = runner.run({ kind: 'distributionLoss', ...layout, hasWeights, window: WINDOW }, inputs, uniforms);
    const loss = sumToScalar(runner, partials, 'scale', uniforms, null);
    return [shaped(loss, []), shaped(grad, [...logits.shape])];
  } finally {
    owned.forEach((t) => runner.dispose(t));
  }
}

/** [outer, classes, inner] view of logits with the class axis `axis`. */
function rowLayoutOf(shape: readonly number[], axis: number): RowLayout {
  const classes = shape[axis];
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return { rows: outer * inner, classes, inner };
}

/**
 * Inputs of the per-row (softmax and categorical) programs: logits, targets or labels, the
 * row stats, then per-class alpha and weights when present. What it creates joins `owned`.
 */
function rowProgramInputs(
  runner: GpuProgramRunner, layout: RowLayout, flatLogits: TensorInfo, flatSecond: TensorInfo,
  alpha: number[] | null, weights: TensorInfo | null, uniforms: UniformValues, owned: TensorInfo[],
): TensorInfo[] {
  const stats = runner.run({ kind: 'softmaxStats', ...layout }, [flatLogits], uniforms);
  owned.push(stats);
  const extra: TensorInfo[] = [];
  if (alpha !== null) extra.push(runner.upload(Float32Array.from(alpha)));
  if (weights !== null) extra.push(runner.flatten(weights));
  owned.push(...extra);
  return [flatLogits, flatSecond, stats, ...extra];
}

/** Fused integer-label softmax focal loss: returns [loss, grad] as the contract asks. */
export function runSoftmaxFocalPlan(
  runner: GpuProgramRunner,
  logits: TensorInfo,
  labels: TensorInfo,
  weights: TensorInfo | null,
  attrs: SoftmaxFocalLossAttrs,
): [TensorInfo, TensorInfo] {
  const { axis, reduction, ignoreIndex } = attrs;
  const shape = logits.shape;
  const layout = rowLayoutOf(shape, axis);
  const { rows, classes } = layout;
  const labelOptions: SoftmaxLabelOptions = {
    hasAlpha: attrs.alpha !== null,
    hasWeights: weights !== null,
    ignoreIndex,
  };
  const countRows = reduction === 'mean' && ignoreIndex !== null;
  const scale = reduction === 'mean' && !countRows ? (rows > 0 ? 1 / rows : 0) : 1;
  const uniforms: UniformValues = [1, attrs.gamma, 0, 0, scale];
  const rowShape = shape.filter((_, d) => d !== axis);
  if (rows * classes === 0) return emptyResult(runner, shape, reduction, rowShape);
  const owned: TensorInfo[] = [logits, labels].map((t) => runner.flatten(t));
  const [flatLogits, flatLabels] = owned;
  try {
    const inputs = rowProgramInputs(runner, layout, flatLogits, flatLabels, attrs.alpha, weights, uniforms, owned);
    let count: TensorInfo | null = null;
    if (countRows) {
      const spec: LabelCountSpec = { kind: 'labelCount', size: rows, window: WINDOW, ignoreIndex: ignoreIndex as number };
      count = sumToScalar(runner, runner.run(spec, [flatLabels], uniforms), 'none', uniforms, null);
      owned.push(count);
    }
    const gradSpec: SoftmaxGradSpec = {
      kind: 'softmaxGrad',
      ...layout,
      ...labelOptions,
      divideByCount: countRows,
    };
    const grad = runner.run(gradSpec, count === null ? inputs : [...inputs, count], uniforms);
    if (reduction === 'none') {
      const loss = runner.run({ kind: 'softmaxLoss', ...layout, ...labelOptions, window: 1 }, inputs, uniforms);
      return [shaped(loss, rowShape), shaped(grad, [...shape])];
    }
    const lossSpec: SoftmaxLossSpec = { kind: 'softmaxLoss', ...layout, ...labelOptions, window: WINDOW };
    const partials = runner.run(lossSpec, inputs, uniforms);
    const loss = sumToScalar(runner, partials, countRows ? 'count' : 'scale', uniforms, count);
    return [shaped(loss, []), shaped(grad, [...shape])];
  } finally {
    owned.forEach((t) => runner.dispose(t));
  }
}

/** Fused categorical (soft-target) focal loss: returns [loss, grad] as the contract asks. */
export function runCategoricalFocalPlan(
  runner: GpuProgramRunner,
  logits: TensorInfo,
  targets: TensorInfo,
  weights: TensorInfo | null,
  attrs: CategoricalFocalLossAttrs,
): [TensorInfo, TensorInfo] {
  const { axis, reduction } = attrs;
  const shape = logits.shape;
  const layout = rowLayoutOf(shape, axis);
  const { rows, classes } = layout;
  const rowShape = shape.filter((_, d) => d !== axis);
  if (rows * classes === 0) return emptyResult(runner, shape, reduction, rowShape);
  const options: CategoricalOptions = { hasAlpha: attrs.alpha !== null, hasWeights: weights !== null };
  const scale = reduction === 'mean' ? 1 / rows : 1;
  const uniforms: UniformValues = [1, attrs.gamma, 0, attrs.labelSmoothing, scale];
  const owned: TensorInfo[] = [logits, targets].map((t) => runner.flatten(t));
  const [flatLogits, flatTargets] = owned;
  try {
    const inputs = rowProgramInputs(runner, layout, flatLogits, flatTargets, attrs.alpha, weights, uniforms, owned);
    const total = runner.run({ kind: 'categoricalTotal', ...layout, ...options }, inputs, uniforms);
    owned.push(total);
    const grad = runner.run({ kind: 'categoricalGrad', ...layout, ...options }, [...inputs, total], uniforms);
    if (reduction === 'none') {
      const loss = runner.run({ kind: 'categoricalLoss', ...layout, ...options, window: 1 }, inputs, uniforms);
      return [shaped(loss, rowShape), shaped(grad, [...shape])];
    }
    const lossSpec: CategoricalLossSpec = { kind: 'categoricalLoss', ...layout, ...options, window: WINDOW };
    const partials = runner.run(lossSpec, inputs, uniforms);
    const loss = sumToScalar(runner, partials, 'scale', uniforms, null);
    return [shaped(loss, []), shaped(grad, [...shape])];
  } finally {
    owned.forEach((t) => runner.dispose(t));
  }
}
