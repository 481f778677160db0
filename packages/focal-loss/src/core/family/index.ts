/**
 * The element-wise members of the focal family on plain arrays (float64). Each is one
 * definition (its own file); `coreElementwiseLoss` gives it the shared options, loops and
 * reductions. The TF.js ops (src/ops/family.ts) run the same definitions.
 */
import { ASYMMETRIC, type AsymmetricParams } from './asymmetric.js';
import { coreElementwiseLoss, type ElementwiseDefinition, type Params } from './definition.js';
import { GAUSSIAN, type GaussianParams } from './gaussian.js';
import { POLY, type PolyParams } from './poly.js';
import { QUALITY, type QualityParams } from './quality.js';
import { VARIFOCAL, type VarifocalParams } from './varifocal.js';

export { QUALITY, VARIFOCAL, GAUSSIAN, POLY, ASYMMETRIC };
export type { QualityParams, VarifocalParams, GaussianParams, PolyParams, AsymmetricParams };
export {
  coreElementwiseLoss,
  elementwiseLossInto,
  type ElementwiseDefinition,
  type FamilyCoreLoss,
  type FamilyCoreOptions,
  type FamilyCoreResult,
  type ParamSpec,
  type ParamValue,
  type Params,
} from './definition.js';
export { classBalancedAlpha } from './class_balanced.js';
export { distributionFocalLoss, distributionLossInto, type DistributionCoreOptions } from './distribution.js';

/** Every element-wise definition, by op name. */
export const FAMILY: Record<string, ElementwiseDefinition<Params>> = Object.fromEntries(
  [QUALITY, VARIFOCAL, GAUSSIAN, POLY, ASYMMETRIC].map((d) => [d.name, d as unknown as ElementwiseDefinition<Params>]),
);

/** Quality Focal Loss on plain arrays: see quality.ts. Options: beta (2), reduction, weights, normalizer. */
export const qualityFocalLoss = coreElementwiseLoss(QUALITY);
/** Varifocal Loss on plain arrays: see varifocal.ts. Options: alpha (0.75), gamma (2), iouWeighted (true), ... */
export const varifocalLoss = coreElementwiseLoss(VARIFOCAL);
/** Gaussian focal loss on plain arrays: see gaussian.ts. Options: alpha (2), gamma (4), posWeight, negWeight, ... */
export const gaussianFocalLoss = coreElementwiseLoss(GAUSSIAN);
/** Poly-1 focal loss on plain arrays: see poly.ts. Options: alpha (0.25), gamma (2), epsilon (1), ... */
export const polyFocalLoss = coreElementwiseLoss(POLY);
/** Asymmetric Loss on plain arrays: see asymmetric.ts. Options: gammaPos (0), gammaNeg (4), clip (0.05), detachFocalWeight (false), ... */
export const asymmetricLoss = coreElementwiseLoss(ASYMMETRIC);
