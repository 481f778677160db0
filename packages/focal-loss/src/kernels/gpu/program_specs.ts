/**
 * The GPU programs of the fused kernels, described once for both GPU backends: each
 * FocalProgramSpec says what one program computes, and ../webgl and ../webgpu each build
 * it in their shading language (their ProgramBuilders, runner.ts). The plans
 * (elementwise_plans.ts, row_plans.ts) run sequences of them; plan.ts says why they are
 * shaped as they are. Every program writes one float32 output, flat (1-D).
 */
import type { GpuFamilyMember } from '../family/shaders.js';

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
  /** The loss, its parameters and its snippet. */
  member: GpuFamilyMember;
  size: number;
  window: number;
  hasWeights: boolean;
}
/** Gradient of the reduced family loss, per element; uniform uScale folds in 'mean'. */
export interface FamilyGradSpec {
  kind: 'familyGrad';
  member: GpuFamilyMember;
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
