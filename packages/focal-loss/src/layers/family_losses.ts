/**
 * The element-wise members of the focal family (QFL, VFL, Gaussian, Poly-1, ASL) as
 * tfjs-layers losses: each built from its definition (src/core/family), whose parameters and
 * checks it takes, plus `fromLogits`, `axis` and `name` as the Keras-style losses.
 */
import { cast, mean, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { type ElementwiseDefinition, type ParamsOf, resolveParams } from '../core/family/definition.js';
import {
  ASYMMETRIC,
  type AsymmetricParams,
  GAUSSIAN,
  type GaussianParams,
  POLY,
  type PolyParams,
  QUALITY,
  type QualityParams,
  VARIFOCAL,
  type VarifocalParams,
} from '../core/family/index.js';
import { checkFlag, checkInteger, checkKnownOptions, checkNonEmptyString } from '../core/options.js';
import {
  type FamilyOp,
  asymmetricLoss as asymmetricOp,
  gaussianFocalLoss as gaussianOp,
  polyFocalLoss as polyOp,
  qualityFocalLoss as qualityOp,
  varifocalLoss as varifocalOp,
} from '../ops/family.js';
import { attach, checkSameShape, predictionAxis, probabilitiesToLogits } from './loss_function.js';
import type { FamilyClassName, FamilyLossConfig, FocalLossFunction } from './loss_types.js';

/** The factory of the Keras-style loss of one family definition, over its op. */
function familyFactory<P extends ParamsOf<P>>(
  def: ElementwiseDefinition<P>,
  className: FamilyClassName,
  op: FamilyOp<P>,
): (options?: FamilyLossConfig<P>) => FocalLossFunction<FamilyLossConfig<P>> {
  return (options = {}) => {
    const F = def.name;
    checkKnownOptions(F, options, [...Object.keys(def.params), 'fromLogits', 'axis', 'name']);
    const params = resolveParams(def, options as Record<string, unknown>);
    const fromLogits = checkFlag(F, 'fromLogits', options.fromLogits ?? false);
    const axisOption = checkInteger(F, 'axis', options.axis ?? -1);
    const name = checkNonEmptyString(F, 'name', options.name ?? F);
    // P & { fromLogits, axis, name } is Required<FamilyLossConfig<P>>, which TypeScript cannot
    // see for a generic P.
    const config = { ...params, fromLogits, axis: axisOption, name } as unknown as Required<FamilyLossConfig<P>>;
    const fn = (yTrue: Tensor, yPred: Tensor): Tensor =>
      tidy(() => {
        const axis = predictionAxis(F, axisOption, yPred);
        checkSameShape(F, yTrue, yPred);
        const logits = fromLogits ? cast(yPred, 'float32') : probabilitiesToLogits(yPred);
        const perElement = op(logits, cast(yTrue, 'float32'), { ...params, reduction: 'none' });
        return mean(perElement, axis);
      });
    return attach(fn, name, className, config);
  };
}

/**
 * Quality Focal Loss (GFL) as a tfjs-layers loss: `|t − p|^β · BCE` per element with soft
 * targets t ∈ [0, 1], averaged over `axis`. Options: `beta` (2), `fromLogits` (false), `axis`, `name`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { losses } from 'focal-loss';
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
 * model.compile({ optimizer: 'adam', loss: losses.qualityFocalLoss({ fromLogits: true }) });
 * ```
 */
export const qualityFocalLoss = familyFactory<QualityParams>(QUALITY, 'QualityFocalLoss', qualityOp);
/** Varifocal Loss as a tfjs-layers loss. Options: `alpha` (0.75), `gamma` (2), `iouWeighted` (true), `fromLogits`, `axis`, `name`. */
export const varifocalLoss = familyFactory<VarifocalParams>(VARIFOCAL, 'VarifocalLoss', varifocalOp);
/** Gaussian focal loss (CenterNet heatmaps) as a tfjs-layers loss. Options: `alpha` (2), `gamma` (4), `posWeight`, `negWeight`, `fromLogits`, `axis`, `name`. */
export const gaussianFocalLoss = familyFactory<GaussianParams>(GAUSSIAN, 'GaussianFocalLoss', gaussianOp);
/** Poly-1 focal loss as a tfjs-layers loss. Options: `alpha` (0.25 or null), `gamma` (2), `epsilon` (1), `fromLogits`, `axis`, `name`. */
export const polyFocalLoss = familyFactory<PolyParams>(POLY, 'PolyFocalLoss', polyOp);
/** Asymmetric Loss (multi-label) as a tfjs-layers loss. Options: `gammaPos` (0), `gammaNeg` (4), `clip` (0.05), `fromLogits`, `axis`, `name`. */
export const asymmetricLoss = familyFactory<AsymmetricParams>(ASYMMETRIC, 'AsymmetricLoss', asymmetricOp);

/** The family factories by class name, for fromConfig and isFocalLoss. */
export const FAMILY_FACTORIES: Record<FamilyClassName, (options?: Record<string, unknown>) => FocalLossFunction> = {
  QualityFocalLoss: qualityFocalLoss as never,
  VarifocalLoss: varifocalLoss as never,
  GaussianFocalLoss: gaussianFocalLoss as never,
  PolyFocalLoss: polyFocalLoss as never,
  AsymmetricLoss: asymmetricLoss as never,
};
