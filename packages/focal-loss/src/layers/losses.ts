/**
 * Keras-style focal losses for `model.compile({ loss })` in tfjs-layers.
 *
 * This module needs only `@tensorflow/tfjs-core`: it is re-exported from the main entry as the
 * `losses` namespace (`import { losses } from 'focal-loss'`). The save/load helpers and the
 * prior-probability initializer, which need tfjs-layers, live in `focal-loss/layers`.
 *
 * Every factory returns a plain function `(yTrue, yPred) => perSampleLoss` that tfjs-layers
 * accepts as a loss or a metric. It returns one value per sample (the prediction's shape
 * without `axis`); tfjs-layers then takes the batch mean, which is Keras'
 * `sum_over_batch_size` reduction. The function also carries, as non-enumerable properties,
 * `className` and `getConfig()`, so that {@link fromConfig} can rebuild it (this is what
 * `saveFocalModel` / `loadFocalModel` in `focal-loss/layers` store).
 *
 * @packageDocumentation
 */
import {
  cast, clipByValue, div, log, log1p, maximum, mean, mul, neg, notEqual, scalar, squeeze, sub,
  sum, tidy,
  type Tensor,
} from '@tensorflow/tfjs-core';
import {
  ASYMMETRIC, type AsymmetricParams, GAUSSIAN, type GaussianParams, POLY, type PolyParams, QUALITY, type QualityParams,
  VARIFOCAL, type VarifocalParams,
} from '../core/family/index.js';
import { type ElementwiseDefinition, type ParamsOf, resolveParams } from '../core/family/definition.js';
import {
  type FamilyOp, asymmetricLoss as asymmetricOp, categoricalFocalLoss, gaussianFocalLoss as gaussianOp,
  polyFocalLoss as polyOp, qualityFocalLoss as qualityOp, sigmoidFocalLoss, softmaxFocalLoss, varifocalLoss as varifocalOp,
} from './ops.js';

/**
 * Keras' `backend.epsilon()`: with `fromLogits: false`, probabilities are clipped to
 * [EPSILON, 1 - EPSILON], so one element's loss is at most `-log(EPSILON)` ≈ 16.1.
 *
 * @example
 * ```ts
 * import { losses } from 'focal-loss';
 * console.log(-Math.log(losses.EPSILON)); // 16.118...: the cap of the probability form
 * ```
 */
export const EPSILON = 1e-7;

/** Options of {@link binaryFocalCrossentropy}; names and defaults as Keras 3's `BinaryFocalCrossentropy`. */
export interface BinaryFocalCrossentropyConfig {
  /** Weight of the positive class when `applyClassBalancing` is true (negatives get `1 - alpha`). In [0, 1]. Default 0.25. */
  alpha?: number;
  /** Focusing parameter γ ≥ 0. Default 2. */
  gamma?: number;
  /** `yPred` are logits (exact log-space loss) instead of probabilities (clipped). Default false. */
  fromLogits?: boolean;
  /** Multiply by α for positives and 1 - α for negatives. Default false (then `alpha` is unused, as in Keras). */
  applyClassBalancing?: boolean;
  /** Targets become `t (1 - s) + s / 2` (toward 0.5). In [0, 1). Default 0. */
  labelSmoothing?: number;
  /** Axis averaged to give the per-sample loss. Default -1. */
  axis?: number;
  /** Function name, used by tfjs-layers to name the metric. Default 'binaryFocalCrossentropy'. */
  name?: string;
}

/** Options of {@link categoricalFocalCrossentropy}; names and defaults as Keras 3's `CategoricalFocalCrossentropy`. */
export interface CategoricalFocalCrossentropyConfig {
  /** Class weight ≥ 0: one number for all classes, or one per class (length C). Default 0.25, as in Keras. */
  alpha?: number | number[];
  /** Focusing parameter γ ≥ 0. Default 2. */
  gamma?: number;
  /** `yPred` are logits (exact log-space loss) instead of probabilities (normalised, clipped). Default false. */
  fromLogits?: boolean;
  /** One-hot targets become `y (1 - s) + s / C` (toward 1/C). In [0, 1). Default 0. */
  labelSmoothing?: number;
  /** Class axis. Default -1. */
  axis?: number;
  /** Function name. Default 'categoricalFocalCrossentropy'. */
  name?: string;
}

/** Options of {@link sparseCategoricalFocalCrossentropy} (Keras has no such loss; names follow Keras' sparse losses). */
export interface SparseCategoricalFocalCrossentropyConfig {
  /** Class weight: one number for all classes, or one per class (length C). Default 0.25, as in the categorical loss. */
  alpha?: number | number[];
  /** Focusing parameter γ ≥ 0. Default 2. */
  gamma?: number;
  /** `yPred` are logits (exact log-space loss) instead of probabilities (normalised, clipped). Default false. */
  fromLogits?: boolean;
  /** Label value that contributes no loss and is left out of the mean (as Keras' `ignore_class`). Default null. */
  ignoreClass?: number | null;
  /** Class axis of `yPred`. Default -1. */
  axis?: number;
  /** Function name. Default 'sparseCategoricalFocalCrossentropy'. */
  name?: string;
}

/** Class names written by `getConfig()` / read by {@link fromConfig} (Keras' class names). */
export type FocalLossClassName =
  | 'BinaryFocalCrossentropy'
  | 'CategoricalFocalCrossentropy'
  | 'SparseCategoricalFocalCrossentropy'
  | FamilyClassName;

/** Class names of the focal-family factories (mmdetection's / the reference code's class names). */
export type FamilyClassName = 'QualityFocalLoss' | 'VarifocalLoss' | 'GaussianFocalLoss' | 'PolyFocalLoss' | 'AsymmetricLoss';

/** A loss returned by the factories of this module: a tfjs-layers loss function with its config attached. */
export interface FocalLossFunction<C extends object = object> {
  (yTrue: Tensor, yPred: Tensor): Tensor;
  /** Keras class name of the loss. */
  readonly className: FocalLossClassName;
  /** The full, resolved options (defaults filled in), JSON-serialisable. */
  getConfig(): Required<C>;
}

/** Serialised form of a focal loss: `{ className, config }`. */
export interface FocalLossSpec {
  className: FocalLossClassName;
  config: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// validation helpers

function fail(factory: string, message: string): never {
  throw new Error(`${factory}: ${message}`);
}

function checkKeys(factory: string, opts: object, allowed: readonly string[]): void {
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    fail(factory, `options must be an object, got ${JSON.stringify(opts)}`);
  }
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      fail(factory, `unknown option '${key}' (expected one of: ${allowed.join(', ')})`);
    }
  }
}

function checkNumber(factory: string, name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    fail(factory, `${name} must be a finite number ${range}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function checkSmoothing(factory: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v >= 1) {
    fail(factory, `labelSmoothing must be a finite number in [0, 1), got ${JSON.stringify(v)}`);
  }
  return v;
}

function checkBool(factory: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(factory, `${name} must be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

function checkInt(factory: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    fail(factory, `${name} must be an integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

function checkName(factory: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) fail(factory, `name must be a non-empty string`);
  return v;
}

function checkClassAlpha(factory: string, v: unknown): number | number[] {
  if (Array.isArray(v)) {
    if (v.length === 0) fail(factory, 'alpha must not be an empty list');
    v.forEach((a, i) => checkNumber(factory, `alpha[${i}]`, a, 0, Infinity));
    return [...(v as number[])];
  }
  return checkNumber(factory, 'alpha', v, 0, Infinity);
}

function resolveAxis(factory: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) fail(factory, `axis ${axis} is out of range for a prediction of rank ${rank}`);
  return a;
}

function checkAlphaLength(factory: string, alpha: number | number[], numClasses: number): void {
  if (Array.isArray(alpha) && alpha.length !== numClasses) {
    fail(
      factory,
      `alpha has ${alpha.length} entries but the prediction has ${numClasses} classes on its class axis`,
    );
  }
}

/**
 * Keras accepts any non-negative class weights; the foundation ops take weights in [0, 1].
 * The loss is linear in α, so pass α / m to the op and multiply its result by m = max(α).
 */
function splitAlpha(alpha: number | number[]): { opAlpha: number | number[]; scale: number } {
  const m = Array.isArray(alpha) ? Math.max(...alpha) : alpha;
  if (m <= 1) return { opAlpha: alpha, scale: 1 };
  return { opAlpha: Array.isArray(alpha) ? alpha.map((a) => a / m) : alpha / m, scale: m };
}

function scaled(loss: Tensor, scale: number): Tensor {
  return scale === 1 ? loss : mul(loss, scale);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Probabilities → logits whose sigmoid is `clip(p, ε, 1 - ε)` (Keras' clipping, then exact math). */
function probabilitiesToLogits(p: Tensor): Tensor {
  const c = clipByValue(cast(p, 'float32'), EPSILON, 1 - EPSILON);
  return sub(log(c), log1p(neg(c)));
}

/** Class probabilities → log-probabilities as Keras: normalise along `axis`, clip to [ε, 1 - ε]. */
function probabilitiesToLogProbs(p: Tensor, axis: number): Tensor {
  const f = cast(p, 'float32');
  const normalised = div(f, sum(f, axis, true));
  return log(clipByValue(normalised, EPSILON, 1 - EPSILON));
}

function attach<C extends object>(
  fn: (yTrue: Tensor, yPred: Tensor) => Tensor,
  name: string,
  className: FocalLossClassName,
  config: Required<C>,
): FocalLossFunction<C> {
  const frozen = JSON.stringify(config);
  // Non-enumerable: tfjs-layers' getLossIdentifiers() enumerates the keys of a function loss.
  Object.defineProperties(fn, {
    name: { value: name, configurable: true },
    className: { value: className, enumerable: false },
    getConfig: { value: () => JSON.parse(frozen) as Required<C>, enumerable: false },
  });
  return fn as FocalLossFunction<C>;
}

// ---------------------------------------------------------------------------------------------
// factories

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
export function binaryFocalCrossentropy(
  options: BinaryFocalCrossentropyConfig = {},
): FocalLossFunction<BinaryFocalCrossentropyConfig> {
  const F = 'binaryFocalCrossentropy';
  checkKeys(F, options, BINARY_KEYS);
  const config: Required<BinaryFocalCrossentropyConfig> = {
    alpha: checkNumber(F, 'alpha', options.alpha ?? 0.25, 0, 1),
    gamma: checkNumber(F, 'gamma', options.gamma ?? 2, 0, Infinity),
    fromLogits: checkBool(F, 'fromLogits', options.fromLogits ?? false),
    applyClassBalancing: checkBool(F, 'applyClassBalancing', options.applyClassBalancing ?? false),
    labelSmoothing: checkSmoothing(F, options.labelSmoothing ?? 0),
    axis: checkInt(F, 'axis', options.axis ?? -1),
    name: checkName(F, options.name ?? F),
  };
  const { alpha, gamma, fromLogits, applyClassBalancing, labelSmoothing } = config;
  const fn = (yTrue: Tensor, yPred: Tensor): Tensor =>
    tidy(() => {
      const axis = resolveAxis(F, config.axis, yPred.rank);
      if (!sameShape(yTrue.shape, yPred.shape)) {
        fail(F, `yTrue shape [${yTrue.shape}] must equal yPred shape [${yPred.shape}]`);
      }
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
  checkKeys(F, options, CATEGORICAL_KEYS);
  const config: Required<CategoricalFocalCrossentropyConfig> = {
    alpha: checkClassAlpha(F, options.alpha ?? 0.25),
    gamma: checkNumber(F, 'gamma', options.gamma ?? 2, 0, Infinity),
    fromLogits: checkBool(F, 'fromLogits', options.fromLogits ?? false),
    labelSmoothing: checkSmoothing(F, options.labelSmoothing ?? 0),
    axis: checkInt(F, 'axis', options.axis ?? -1),
    name: checkName(F, options.name ?? F),
  };
  const { alpha, gamma, fromLogits, labelSmoothing } = config;
  const fn = (yTrue: Tensor, yPred: Tensor): Tensor =>
    tidy(() => {
      const axis = resolveAxis(F, config.axis, yPred.rank);
      checkAlphaLength(F, alpha, yPred.shape[axis]);
      if (!sameShape(yTrue.shape, yPred.shape)) {
        fail(
          F,
          `yTrue shape [${yTrue.shape}] must equal yPred shape [${yPred.shape}] ` +
            '(one-hot targets; for integer labels use sparseCategoricalFocalCrossentropy)',
        );
      }
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
  checkKeys(F, options, SPARSE_KEYS);
  const ignore = options.ignoreClass ?? null;
  const config: Required<SparseCategoricalFocalCrossentropyConfig> = {
    alpha: checkClassAlpha(F, options.alpha ?? 0.25),
    gamma: checkNumber(F, 'gamma', options.gamma ?? 2, 0, Infinity),
    fromLogits: checkBool(F, 'fromLogits', options.fromLogits ?? false),
    ignoreClass: ignore === null ? null : checkInt(F, 'ignoreClass', ignore),
    axis: checkInt(F, 'axis', options.axis ?? -1),
    name: checkName(F, options.name ?? F),
  };
  const { alpha, gamma, fromLogits, ignoreClass } = config;
  const fn = (yTrue: Tensor, yPred: Tensor): Tensor =>
    tidy(() => {
      const axis = resolveAxis(F, config.axis, yPred.rank);
      checkAlphaLength(F, alpha, yPred.shape[axis]);
      let labels = yTrue;
      const expected = yPred.shape.filter((_, i) => i !== axis);
      if (labels.rank === yPred.rank && labels.shape[axis] === 1) labels = squeeze(labels, [axis]);
      if (!sameShape(labels.shape, expected)) {
        fail(
          F,
          `labels of shape [${yTrue.shape}] do not fit a prediction of shape [${yPred.shape}]: ` +
            `expected [${expected}] (or a size-1 class axis)`,
        );
      }
      const logits = fromLogits ? cast(yPred, 'float32') : probabilitiesToLogProbs(yPred, axis);
      const { opAlpha, scale } = splitAlpha(alpha);
      const perSample = scaled(softmaxFocalLoss(logits, labels, {
        alpha: opAlpha,
        gamma,
        reduction: 'none',
        axis,
        ...(ignoreClass === null ? {} : { ignoreIndex: ignoreClass }),
      }), scale);
      if (ignoreClass === null) return perSample;
      // Keras' masked 'sum_over_batch_size': valid entries weigh total / valid.
      const valid = sum(cast(notEqual(labels, scalar(ignoreClass, labels.dtype)), 'float32'));
      return mul(perSample, div(scalar(perSample.size), maximum(valid, 1)));
    });
  return attach(fn, config.name, 'SparseCategoricalFocalCrossentropy', config);
}

// ---------------------------------------------------------------------------------------------
// the element-wise focal family

/**
 * Options of the focal-family factories: the loss's own parameters (names and defaults as its
 * op: see the README's family table), plus `fromLogits`, `axis` and `name` as the Keras-style
 * losses above.
 */
export type FamilyLossConfig<P> = Partial<P> & {
  /** `yPred` are logits (exact log-space loss) instead of probabilities (clipped to [1e-7, 1 - 1e-7]). Default false, as Keras. */
  fromLogits?: boolean;
  /** Axis averaged to give the per-sample loss. Default -1. */
  axis?: number;
  /** Function name (tfjs-layers names the metric with it). Default: the op's name. */
  name?: string;
};

function familyFactory<P extends ParamsOf<P>>(
  def: ElementwiseDefinition<P>, className: FamilyClassName, op: FamilyOp<P>,
): (options?: FamilyLossConfig<P>) => FocalLossFunction<FamilyLossConfig<P>> {
  return (options = {}) => {
    const F = def.name;
    checkKeys(F, options, [...Object.keys(def.params), 'fromLogits', 'axis', 'name']);
    const params = resolveParams(def, options as Record<string, unknown>);
    const fromLogits = checkBool(F, 'fromLogits', options.fromLogits ?? false);
    const axisOption = checkInt(F, 'axis', options.axis ?? -1);
    const name = checkName(F, options.name ?? F);
    const config = { ...params, fromLogits, axis: axisOption, name } as unknown as Required<FamilyLossConfig<P>>;
    const fn = (yTrue: Tensor, yPred: Tensor): Tensor =>
      tidy(() => {
        const axis = resolveAxis(F, axisOption, yPred.rank);
        if (!sameShape(yTrue.shape, yPred.shape)) {
          fail(F, `yTrue shape [${yTrue.shape}] must equal yPred shape [${yPred.shape}]`);
        }
        const logits = fromLogits ? cast(yPred, 'float32') : probabilitiesToLogits(yPred);
        const perElement = op(logits, cast(yTrue, 'float32'), { ...params, reduction: 'none' } as never);
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

const FAMILY_FACTORIES: Record<FamilyClassName, (options?: Record<string, unknown>) => FocalLossFunction> = {
  QualityFocalLoss: qualityFocalLoss as never,
  VarifocalLoss: varifocalLoss as never,
  GaussianFocalLoss: gaussianFocalLoss as never,
  PolyFocalLoss: polyFocalLoss as never,
  AsymmetricLoss: asymmetricLoss as never,
};

// ---------------------------------------------------------------------------------------------
// (de)serialisation

/**
 * True for a function returned by one of this module's factories.
 *
 * @example
 * ```ts
 * import { losses } from 'focal-loss';
 * losses.isFocalLoss(losses.binaryFocalCrossentropy()); // true
 * losses.isFocalLoss((a, b) => a);                       // false
 * ```
 */
export function isFocalLoss(fn: unknown): fn is FocalLossFunction {
  return (
    typeof fn === 'function' &&
    typeof (fn as Partial<FocalLossFunction>).getConfig === 'function' &&
    ['BinaryFocalCrossentropy', 'CategoricalFocalCrossentropy', 'SparseCategoricalFocalCrossentropy', ...Object.keys(FAMILY_FACTORIES)].includes(
      (fn as Partial<FocalLossFunction>).className as string,
    )
  );
}

/**
 * The serialisable `{ className, config }` of a focal loss made by this module.
 *
 * @example
 * ```ts
 * import { losses } from 'focal-loss';
 * const spec = losses.toConfig(losses.binaryFocalCrossentropy({ gamma: 3 }));
 * // { className: 'BinaryFocalCrossentropy', config: { alpha: 0.25, gamma: 3, ... } }
 * const again = losses.fromConfig(JSON.parse(JSON.stringify(spec)));
 * ```
 */
export function toConfig(fn: FocalLossFunction): FocalLossSpec {
  if (!isFocalLoss(fn)) throw new Error('toConfig: not a loss made by focal-loss `losses` factories');
  return { className: fn.className, config: fn.getConfig() as Record<string, unknown> };
}

/**
 * Rebuilds a loss from `{ className, config }` (as written by {@link toConfig}); the config is
 * validated like the factories' options.
 *
 * @example
 * ```ts
 * import { losses } from 'focal-loss';
 * const loss = losses.fromConfig({ className: 'CategoricalFocalCrossentropy', config: { alpha: [1, 2] } });
 * ```
 */
export function fromConfig(spec: FocalLossSpec): FocalLossFunction {
  if (spec === null || typeof spec !== 'object') throw new Error('fromConfig: expected { className, config }');
  const config = (spec.config ?? {}) as Record<string, unknown>;
  switch (spec.className) {
    case 'BinaryFocalCrossentropy':
      return binaryFocalCrossentropy(config as BinaryFocalCrossentropyConfig);
    case 'CategoricalFocalCrossentropy':
      return categoricalFocalCrossentropy(config as CategoricalFocalCrossentropyConfig);
    case 'SparseCategoricalFocalCrossentropy':
      return sparseCategoricalFocalCrossentropy(config as SparseCategoricalFocalCrossentropyConfig);
    default:
      if (Object.hasOwn(FAMILY_FACTORIES, spec.className)) return FAMILY_FACTORIES[spec.className as FamilyClassName](config);
      throw new Error(`fromConfig: unknown focal loss class '${String((spec as { className?: unknown }).className)}'`);
  }
}
