/**
 * What every Keras-style loss function shares: the probability forms (Keras' clipping, then
 * the exact math of the ops), the split of class weights above 1, the checks of yTrue and
 * yPred when the loss is called, and the non-enumerable className and getConfig that
 * serialization.ts reads back.
 */
import { cast, clipByValue, div, log, log1p, mul, neg, sub, sum, type Tensor } from '@tensorflow/tfjs-core';
import { classCountError, normalizeAxis, shapesEqual } from '../core/options.js';
import type { FocalLossClassName, FocalLossFunction } from './loss_types.js';

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

/** The prediction's axis `axis` (possibly negative), checked against its rank when the loss is called. */
export function predictionAxis(factory: string, axis: number, yPred: Tensor): number {
  return normalizeAxis(factory, axis, yPred.rank, 'prediction');
}

/** Throws unless yTrue has yPred's shape; `hint` is appended to the message. */
export function checkSameShape(factory: string, yTrue: Tensor, yPred: Tensor, hint = ''): void {
  if (!shapesEqual(yTrue.shape, yPred.shape)) {
    throw new Error(`${factory}: yTrue shape [${yTrue.shape}] must equal yPred shape [${yPred.shape}]${hint}`);
  }
}

/** A per-class alpha list must have one entry per class of the prediction. */
export function checkAlphaLength(factory: string, alpha: number | number[], classes: number): void {
  if (Array.isArray(alpha) && alpha.length !== classes) throw classCountError(factory, 'alpha', alpha.length, classes, 'prediction');
}

/**
 * Keras accepts any non-negative class weights; the foundation ops take weights in [0, 1].
 * The loss is linear in α, so pass α / m to the op and multiply its result by m = max(α).
 */
export function splitAlpha(alpha: number | number[]): { opAlpha: number | number[]; scale: number } {
  const m = Array.isArray(alpha) ? Math.max(...alpha) : alpha;
  if (m <= 1) return { opAlpha: alpha, scale: 1 };
  return { opAlpha: Array.isArray(alpha) ? alpha.map((a) => a / m) : alpha / m, scale: m };
}

export function scaled(loss: Tensor, scale: number): Tensor {
  return scale === 1 ? loss : mul(loss, scale);
}

/** Probabilities → logits whose sigmoid is `clip(p, ε, 1 - ε)` (Keras' clipping, then exact math). */
export function probabilitiesToLogits(p: Tensor): Tensor {
  const c = clipByValue(cast(p, 'float32'), EPSILON, 1 - EPSILON);
  return sub(log(c), log1p(neg(c)));
}

/** Class probabilities → log-probabilities as Keras: normalise along `axis`, clip to [ε, 1 - ε]. */
export function probabilitiesToLogProbs(p: Tensor, axis: number): Tensor {
  const f = cast(p, 'float32');
  const normalised = div(f, sum(f, axis, true));
  return log(clipByValue(normalised, EPSILON, 1 - EPSILON));
}

/** The loss function with its name, className and getConfig (a frozen copy of `config`) attached. */
export function attach<C extends object>(
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
