/**
 * The plans of the element-wise kernels (the family's, which includes the sigmoid focal loss
 * and FL*) and of Distribution Focal Loss: one gradient program and one loss program, with
 * the sum tree (plan.ts) for 'sum' and 'mean'.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { Reduction } from '../../core/reduction.js';
import type { GpuFamilyMember } from '../family/shaders.js';
import type { DistributionFocalLossAttrs } from '../kernel_names.js';
import type { UniformValues } from '../shader_literals.js';
import { emptyResult, shaped, sumToScalar } from './plan.js';
import { type RowLayout, WINDOW } from './program_specs.js';
import type { GpuProgramRunner } from './runner.js';

/**
 * Fused element-wise family loss (FocalLossElementwise: attrs family, reduction and the
 * definition's parameters; also FocalLossSigmoid, see ../family/sigmoid.ts): a gradient
 * program and a loss program (per element, or windowed sums followed by the sum tree), the
 * per-element math from the loss's snippet (`member`, ../family/shaders.ts), which may read
 * its parameters from the uniforms uAlpha, uGamma, uBeta, uSmoothing (member.uniformValues).
 */
export function runElementwisePlan(
  runner: GpuProgramRunner,
  logits: TensorInfo,
  targets: TensorInfo,
  weights: TensorInfo | null,
  member: GpuFamilyMember,
  reduction: Reduction,
): [TensorInfo, TensorInfo] {
  const size = logits.shape.reduce((a, b) => a * b, 1);
  const scale = reduction === 'mean' && size > 0 ? 1 / size : 1;
  const uniforms: UniformValues = [...member.uniformValues, scale];
  if (size === 0) return emptyResult(runner, logits.shape, reduction, [...logits.shape]);
  const flat = [logits, targets, ...(weights === null ? [] : [weights])].map((t) => runner.flatten(t));
  try {
    const common = { member, size, hasWeights: weights !== null };
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
  attrs: DistributionFocalLossAttrs,
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
