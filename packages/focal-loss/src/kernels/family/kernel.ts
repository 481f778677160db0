/**
 * One kernel for every element-wise member of the focal family: 'FocalLossElementwise',
 * attrs { family: the op name (a definition of src/core/family), reduction, ...params }.
 * Same contract as the other focal kernels (kernel_names.ts): inputs logits, targets,
 * optional weights (broadcast); outputs [loss, d loss / d logits]. On cpu and wasm it runs
 * the definition's float64 evaluate through the shared loop (js_kernel.ts); elsewhere the
 * composite of TF.js ops registered for the definition (parts.ts); on webgl and webgpu the
 * fused GPU plan (../gpu/elementwise_plans.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { type ElementwiseDefinition, type Params, checkFamilyTargets, elementwiseLossInto } from '../../core/family/definition.js';
import { FAMILY } from '../../core/family/index.js';
import type { FloatArray, NumericArray } from '../../core/numerics.js';
import { dataOnCpu } from '../cpu_backends.js';
import type { ElementwiseFocalLossAttrs } from '../kernel_names.js';
import { FAMILY_KERNEL_PARTS } from './parts.js';
import { type Logistic, logistic } from './tf_math.js';

/** The definition an attrs object names, and its parameters picked from the attrs. */
export function definitionOf(attrs: ElementwiseFocalLossAttrs): { def: ElementwiseDefinition<Params>; params: Params } {
  const def = FAMILY[attrs.family];
  if (def === undefined) throw new Error(`focal-loss: no element-wise loss '${String(attrs.family)}'`);
  const params: Params = {};
  for (const key of Object.keys(def.params)) params[key] = attrs[key] as Params[string];
  return { def, params };
}

/** The JS kernel (cpu, wasm) over typed arrays: see js_kernel.ts. */
export function runElementwiseJs(
  logits: NumericArray,
  targets: NumericArray,
  weights: NumericArray | null,
  attrs: ElementwiseFocalLossAttrs,
  loss: FloatArray,
  grad: FloatArray | null,
): void {
  const { def, params } = definitionOf(attrs);
  const perElement = attrs.reduction === 'none';
  const reduced = elementwiseLossInto(def, params, logits, targets, weights, attrs.reduction, perElement ? loss : null, grad);
  if (!perElement) loss[0] = reduced;
}

/** Stand-in logit for ±Infinity in float32, and the loss above which the limit is +Infinity. */
const FAR = 1e30;
const GROWING = 1e10;

/**
 * The composite: the definition's closed form as TF.js ops (float32). Where the data is on
 * the CPU, targets are checked as the JS kernel checks them; elsewhere nothing is read back.
 * Logits are clipped to ±1e30, where every member has reached its gradient's limit; at an
 * infinite logit a loss still growing (> 1e10) becomes +Infinity, the limit.
 */
export function compositeElementwise(inputs: Record<string, Tensor>, attrs: ElementwiseFocalLossAttrs): [Tensor, Tensor] {
  const { def, params } = definitionOf(attrs);
  const composite = FAMILY_KERNEL_PARTS[def.name]?.composite;
  if (composite === undefined) throw new Error(`focal-loss: no composite for '${def.name}'`);
  if (dataOnCpu()) checkFamilyTargets(def.name, def.targets, inputs.targets.dataSync());
  return tf.tidy(() => {
    const x = inputs.logits;
    const t = tf.cast(inputs.targets, 'float32');
    const clipped = tf.clipByValue(x, -FAR, FAR);
    const s: Logistic = logistic(clipped);
    let [loss, grad] = composite(clipped, t, params, s);
    loss = tf.where(tf.logicalAnd(tf.isInf(x), tf.greater(loss, GROWING)), tf.fill(x.shape, Infinity), loss);
    const w = inputs.weights;
    if (w != null) {
      const silent = tf.equal(w, 0);
      loss = tf.where(silent, tf.zerosLike(loss), tf.mul(loss, w));
      grad = tf.where(silent, tf.zerosLike(grad), tf.mul(grad, w));
    }
    if (attrs.reduction === 'none') return [loss, grad] as [Tensor, Tensor];
    const sum = tf.sum(loss);
    if (attrs.reduction === 'sum') return [sum, grad] as [Tensor, Tensor];
    const scale = x.size > 0 ? 1 / x.size : 0;
    return [tf.mul(sum, scale), tf.mul(grad, scale)] as [Tensor, Tensor];
  });
}
