/**
 * The plans of the class-axis kernels (integer-label softmax, categorical): the softmax row
 * stats, then per-row loss and per-logit gradient programs, with the sum tree (plan.ts) for
 * 'sum' and 'mean' and, for a softmax 'mean' with ignoreIndex, a label count kept on the GPU.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { CategoricalFocalLossAttrs, SoftmaxFocalLossAttrs } from '../kernel_names.js';
import type { UniformValues } from '../shader_literals.js';
import { emptyResult, shaped, sumToScalar } from './plan.js';
import {
  type CategoricalLossSpec,
  type CategoricalOptions,
  type LabelCountSpec,
  type RowLayout,
  type SoftmaxGradSpec,
  type SoftmaxLabelOptions,
  type SoftmaxLossSpec,
  WINDOW,
} from './program_specs.js';
import type { GpuProgramRunner } from './runner.js';

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
  runner: GpuProgramRunner,
  layout: RowLayout,
  flatLogits: TensorInfo,
  flatSecond: TensorInfo,
  alpha: number[] | null,
  weights: TensorInfo | null,
  uniforms: UniformValues,
  owned: TensorInfo[],
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
