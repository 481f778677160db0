/**
 * focal-loss/core: the focal losses on plain and typed arrays, with no framework. The single
 * source of the math: the TF.js kernels of the `focal-loss` entry run these functions.
 *
 * @module focal-loss/core
 */
export {
  sigmoidFocalLoss,
  sigmoidFocalLossStar,
  softmaxFocalLoss,
  categoricalFocalLoss,
  type CommonOptions,
  type SigmoidOptions,
  type StarOptions,
  type SoftmaxOptions,
  type CategoricalOptions,
  type FocalLossResult,
} from './losses.js';
export { sigmoidFocalLossInto, type SigmoidKernelOptions } from './sigmoid.js';
export { softmaxFocalLossInto, type SoftmaxKernelOptions, type ReducedLoss } from './softmax.js';
export type { ClassAxisLayout } from './layout.js';
export { categoricalFocalLossInto, type CategoricalKernelOptions } from './categorical.js';
export {
  qualityFocalLoss,
  varifocalLoss,
  gaussianFocalLoss,
  polyFocalLoss,
  asymmetricLoss,
  classBalancedAlpha,
  distributionFocalLoss,
  distributionLossInto,
  type DistributionCoreOptions,
  elementwiseLossInto,
  coreElementwiseLoss,
  type ElementwiseDefinition,
  type FamilyCoreOptions,
  type FamilyCoreResult,
  type QualityParams,
  type VarifocalParams,
  type GaussianParams,
  type PolyParams,
  type AsymmetricParams,
} from './family/index.js';
export {
  diceLoss,
  focalTverskyLoss,
  unifiedFocalLoss,
  type DiceCoreOptions,
  type FocalTverskyCoreOptions,
  type UnifiedFocalCoreOptions,
  type RegionLossResult,
} from './region.js';
export type { RegionActivation, RegionOptions } from './region_options.js';
export type { Reduction } from './reduction.js';
export type { FloatArray, NumericArray } from './numerics.js';
export { mulberry32 } from './random.js';
