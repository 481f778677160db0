/**
 * The Keras 3 focal losses (binary and categorical) and their sparse counterpart, as
 * tfjs-layers loss functions over the foundation ops.
 */
import { cast, div, maximum, mean, mul, notEqual, scalar, squeeze, sum, tidy, type Tensor } from '@tensorflow/tfjs-core';
import {
  checkClassWeightList,
  checkFlag,
  checkGamma,
  checkIgnoreIndex,
  checkInRange,
  checkInteger,
  checkKnownOptions,
  checkLabelSmoothing,
  checkNonEmptyString,
  shapesEqual,
} from '../core/options.js';
import { categoricalFocalLoss } from '../ops/categorical_focal_loss.js';
import { sigmoidFocalLoss } from '../ops/sigmoid_focal_loss.js';
import { softmaxFocalLoss } from '../ops/softmax_focal_loss.js';
import {
  attach,
  checkAlphaLength,
  checkSameShape,
  predictionAxis,
  probabilitiesToLogits,
  probabilitiesToLogProbs,
  scaled,
  splitAlpha,
} from './loss_function.js';
import type {
  BinaryFocalCrossentropyConfig,
  CategoricalFocalCrossentropyConfig,
  FocalLossFunction,
  SparseCategoricalFocalCrossentropyConfig,
} from './loss_types.js';

const BINARY_KEYS = ['alpha', 'gamma', 'fromLogits', 'applyClassBalancing', 'labelSmoothing', 'axis', 'name'] as const;
const CATEGORICAL_KEYS = ['alpha', 'gamma', 'fromLogits', 'labelSmoothing', 'axis', 'name'] as const;
const SPARSE_KEYS = ['alpha', 'gamma', 'fromLogits', 'ignoreClass', 'axis', 'name'] as const;

/**
 * Binary focal crossentropy (Lin et al. 2017) with the options and meaning of Keras 3's
 * `keras.losses.BinaryFocalCrossentropy`, as a tfjs-layers loss.
 *
 * Per element, with `p = sigmoid(logit)` (or the given probability, clipped to [1e-7, 1 - 1e-7]),
 * smoothed target `t`, `p_t = t p + (1 - t)(1 - p)`:
 * `(1 - p_t)^γ · BCE(t, p)`, times `α t + (1 - α)(1 - t)` only if `applyClassBalancing`.
 * The per-sample loss is the mean over `axis`; tfjs-layers averages it over the batch.
 * With `fromLogits: true` the loss is computed exactly in log space from the logits (no clipping).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { losses } from 'focal-loss';
 *
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [4] })] });
 * model.compile({
 *   optimizer: tf.train.adam(0.01),
 *   loss: losses.binaryFocalCrossentropy({ fromLogits: true, applyClassBalancing: true, alpha: 0.25 }),
 * });
 * const x = tf.randomNormal([64, 4]);
 * const y = tf.cast(tf.greater(x.slice([0, 0], [64, 1]), 1), 'float32'); // about 16 % positives
 * await model.fit(x, y, { epochs: 3, verbose: 0 });
 * ```
 */
export function binaryFocalCrossentropy(options: BinaryFocalCrossentropyConfig = {}): FocalLossFunction<BinaryFocalCrossentropyConfig> {
  const F = 'binaryFocalCrossentropy';
  checkKnownOptions(F, options, BINARY_KEYS);
  const config: Required<BinaryFocalCrossentropyConfig> = {
    alpha: checkInRange(F, 'alpha', options.alpha ?? 0.25, 0, 1),
    gamma: checkGamma(F, options.gamma ?? 2),
    fromLogits: checkFlag(F, 'fromLogits', options.fromLogits ?? false),
    applyClassBalancing: checkFlag(F, 'applyClassBalancing', options.applyClassBalancing ?? false),
    labelSmoothing: checkLabelSmoothing(F, options.labelSmoothing ?? 0),
    axis: checkInteger(F, 'axis', options.axis ?? -1),
    name: checkNonEmptyString(F, 'name', options.name ?? F),
  };
  const { alpha, gamma, fromLogits, applyClassBalancing, labelSmoothing } = config;
  const fn = (yTrue: Tensor, yPred: Tensor): Tensor =>
    tidy(() => {
      const axis = predictionAxis(F, config.axis, yPred);
      checkSameShape(F, yTrue, yPred);
      const logits = fromLogits ? cast(yPred, 'float32') : probabilitiesToLogits(yPred);
      const perElement = sigmoidFocalLoss(logits, cast(yTrue, 'float32'), {
        alpha: applyClassBalancing ? alpha : null,
        gamma,
        reduction: 'none',
        labelSmoothing,
      });
      return mean(perElement, axis);
    });
  return attach(fn, config.name, 'BinaryFocalCrossentropy', config);
}

/**
 * Categorical focal crossentropy with the options and meaning of Keras 3's
 * `keras.losses.CategoricalFocalCrossentropy`, as a tfjs-layers loss; targets are one-hot
 * (or soft) along the class axis.
 *
 * Per sample: `Σ_c α_c · y_c · (1 - p_c)^γ · (-log p_c)` over the class axis, with `y` smoothed
 * toward `1/C` by `labelSmoothing`. With `fromLogits: true`, `log p` is an exact log-softmax;
 * with probabilities, `p` is normalised along the axis and clipped to [1e-7, 1 - 1e-7] as in
 * Keras. Note Keras' default `alpha = 0.25` scales every class.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { losses } from 'focal-loss';
 *
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
 * model.compile({
 *   optimizer: 'adam',
 *   loss: losses.categoricalFocalCrossentropy({ fromLogits: true, alpha: [0.2, 0.3, 0.5] }),
 * });
 * const x = tf.randomNormal([32, 4]);
 * const y = tf.oneHot(tf.randomUniform([32], 0, 3, 'int32'), 3);
 * await model.fit(x, y, { epochs: 2, verbose: 0 });
 * ```
 */
export function categoricalFocalCrossentropy(
  options: CategoricalFocalCrossentropyConfig = {},
): FocalLossFunction<CategoricalFocalCrossentropyConfig> {
  const F = 'categoricalFocalCrossentropy';
  checkKnownOptions(F, options, CATEGORICAL_KEYS);
  const config: Required<CategoricalFocalCrossentropyConfig> = {
    alpha: checkClassWeightList(F, 'alpha', options.alpha ?? 0.25),
    gamma: checkGamma(F, options.gamma ?? 2),
    fromLogits: checkFlag(F, 'fromLogits', options.fromLogits ?? false),
    labelSmoothing: checkLabelSmoothing(F, options.labelSmoothing ?? 0),
    axis: checkInteger(F, 'axis', options.axis ?? -1),
    name: checkNonEmptyString(F, 'name', options.name ?? F),
  };
  const { alpha, gamma, fromLogits, labelSmoothing } = config;
  const fn = (yTrue: Tensor, yPred: Tensor): Tensor =>
    tidy(() => {
      const axis = predictionAxis(F, config.axis, yPred);
      checkAlphaLength(F, alpha, yPred.shape[axis]);
      checkSameShape(F, yTrue, yPred, ' (one-hot targets; for integer labels use sparseCategoricalFocalCrossentropy)');
      const logits = fromLogits ? cast(yPred, 'float32') : probabilitiesToLogProbs(yPred, axis);
      const { opAlpha, scale } = splitAlpha(alpha);
      const perSample = categoricalFocalLoss(logits, cast(yTrue, 'float32'), {
        alpha: opAlpha,
        gamma,
        reduction: 'none',
        labelSmoothing,
        axis,
      });
      return scaled(perSample, scale);
    });
  return attach(fn, config.name, 'CategoricalFocalCrossentropy', config);
}

/**
 * Categorical focal crossentropy with integer labels — the sparse counterpart of
 * {@link categoricalFocalCrossentropy} that Keras lacks (keras-team/keras#23442):
 * `sparse(labels, yPred)` equals `categorical(oneHot(labels), yPred)` with the same options.
 *
 * Labels have `yPred`'s shape without the class axis, or with a size-1 axis in its place
 * (`[N]` or `[N, 1]` for `[N, C]` predictions). Labels equal to `ignoreClass` contribute no
 * loss and, as Keras does for `ignore_class`, are left out of the batch mean (the other values
 * are scaled by total / valid so that tfjs-layers' mean becomes the mean over valid labels).
 *
 * tfjs-layers' `model.fit(x, y)` rejects sparse targets for any loss other than its own
 * `sparseCategoricalCrossentropy` (it checks the function's identity); train with
 * `model.fitDataset` instead, e.g. with `tensorDataset` from `focal-loss/layers`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { losses } from 'focal-loss';
 * import { tensorDataset } from 'focal-loss/layers';
 *
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
 * model.compile({
 *   optimizer: 'adam',
 *   loss: losses.sparseCategoricalFocalCrossentropy({ fromLogits: true, ignoreClass: -1 }),
 * });
 * const x = tf.randomNormal([32, 4]);
 * const labels = tf.randomUniform([32], 0, 3, 'int32');
 * await model.fitDataset(tensorDataset(x, labels, { batchSize: 8 }), { epochs: 2, verbose: 0 });
 * ```
 */
export function sparseCategoricalFocalCrossentropy(
  options: SparseCategoricalFocalCrossentropyConfig = {},
): FocalLossFunction<SparseCategoricalFocalCrossentropyConfig> {
  const F = 'sparseCategoricalFocalCrossentropy';
  checkKnownOptions(F, options, SPARSE_KEYS);
  const config: Required<SparseCategoricalFocalCrossentropyConfig> = {
    alpha: checkClassWeightList(F, 'alpha', options.alpha ?? 0.25),
    gamma: checkGamma(F, options.gamma ?? 2),
    fromLogits: checkFlag(F, 'fromLogits', options.fromLogits ?? false),
    ignoreClass: checkIgnoreIndex(F, options.ignoreClass, 'ignoreClass'),
    axis: checkInteger(F, 'axis', options.axis ?? -1),
    name: checkNonEmptyString(F, 'name', options.name ?? F),
  };
  const { alpha, gamma, fromLogits, ignoreClass } = config;
  const fn = (yTrue: Tensor, yPred: Tensor): Tensor =>
    tidy(() => {
      const axis = predictionAxis(F, config.axis, yPred);
      checkAlphaLength(F, alpha, yPred.shape[axis]);
      let labels = yTrue;
      const expected = yPred.shape.filter((_, i) => i !== axis);
      if (labels.rank === yPred.rank && labels.shape[axis] === 1) labels = squeeze(labels, [axis]);
      if (!shapesEqual(labels.shape, expected)) {
        throw new Error(
          `${F}: labels of shape [${yTrue.shape}] do not fit a prediction of shape [${yPred.shape}]: ` +
            `expected [${expected}] (or a size-1 class axis)`,
        );
      }
      const logits = fromLogits ? cast(yPred, 'float32') : probabilitiesToLogProbs(yPred, axis);
      const { opAlpha, scale } = splitAlpha(alpha);
      const perSample = scaled(
        softmaxFocalLoss(logits, labels, {
          alpha: opAlpha,
          gamma,
          reduction: 'none',
          axis,
          ...(ignoreClass === null ? {} : { ignoreIndex: ignoreClass }),
        }),
        scale,
      );
      if (ignoreClass === null) return perSample;
      // Keras' masked 'sum_over_batch_size': valid entries weigh total / valid.
      const valid = sum(cast(notEqual(labels, scalar(ignoreClass, labels.dtype)), 'float32'));
      return mul(perSample, div(scalar(perSample.size), maximum(valid, 1)));
    });
  return attach(fn, config.name, 'SparseCategoricalFocalCrossentropy', config);
}
