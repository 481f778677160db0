/**
 * focal-loss: the focal loss of Lin et al. 2017 (https://arxiv.org/abs/1708.02002) for
 * TensorFlow.js, exact from logits with closed-form gradients. Importing this module
 * registers the fused kernels (cpu, wasm, webgl, webgpu) and their gradients.
 *
 * @module focal-loss
 */
export { sigmoidFocalLoss, type SigmoidFocalLossOptions } from './ops/sigmoid_focal_loss.js';
export { sigmoidFocalLossStar, type SigmoidFocalLossStarOptions } from './ops/sigmoid_focal_loss_star.js';
export { softmaxFocalLoss, type SoftmaxFocalLossOptions } from './ops/softmax_focal_loss.js';
export { categoricalFocalLoss, type CategoricalFocalLossOptions } from './ops/categorical_focal_loss.js';
export type { CommonFocalLossOptions, FocalLossOutput } from './ops/types.js';
export {
  qualityFocalLoss,
  varifocalLoss,
  gaussianFocalLoss,
  polyFocalLoss,
  asymmetricLoss,
  type FamilyOp,
  type FamilyOptions,
} from './ops/family.js';
export { distributionFocalLoss, type DistributionFocalLossOptions } from './ops/distribution_focal_loss.js';
export { classBalancedAlpha } from './core/family/class_balanced.js';
export { diceLoss, type DiceLossOptions } from './ops/dice_loss.js';
export { focalTverskyLoss, type FocalTverskyLossOptions } from './ops/focal_tversky_loss.js';
export { unifiedFocalLoss, type UnifiedFocalLossOptions } from './ops/unified_focal_loss.js';
export type { RegionActivation, RegionOptions } from './core/region_options.js';
export type { Reduction } from './core/reduction.js';
// The WebAssembly SIMD path of the cpu and wasm kernels: which one runs, and a switch for tests and benchmarks.
export {
  type FocalLossSimdMode,
  focalLossSimdActive,
  focalLossSimdMode,
  loadSimdKernels as loadFocalLossSimd,
  setFocalLossSimd,
} from './kernels/simd/index.js';
/** Keras-style loss factories for tfjs-layers (`model.compile({ loss })`). */
export * as losses from './layers/losses.js';
