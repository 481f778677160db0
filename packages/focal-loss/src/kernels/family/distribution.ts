/**
 * Distribution Focal Loss kernel 'FocalLossDistribution': inputs logits [..., regMax + 1]
 * (bins last), targets (one per row, float32), optional weights (per row, broadcast);
 * outputs [loss, d loss / d logits] with the contract of kernel_names.ts (attrs regMax,
 * reduction, axis = the bins axis, the last). cpu and wasm run the float64 core
 * (src/core/family/distribution.ts) through js_kernel.ts; webgl and webgpu the fused GPU plan
 * (runDistributionPlan in ../gpu/elementwise_plans.ts, programs in ../webgl and ../webgpu
 * distribution_program.ts); other backends the composite below.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { DISTRIBUTION_OP, checkDistributionTargets, distributionLossInto } from '../../core/family/distribution.js';
import type { FloatArray, NumericArray } from '../../core/numerics.js';
import { dataOnCpu } from '../cpu_backends.js';
import type { DistributionFocalLossAttrs } from '../kernel_names.js';

/** The JS kernel (cpu, wasm) over typed arrays. */
export function runDistributionJs(
  logits: NumericArray,
  targets: NumericArray,
  weights: NumericArray | null,
  attrs: DistributionFocalLossAttrs,
  loss: FloatArray,
  grad: FloatArray | null,
): void {
  const perRow = attrs.reduction === 'none';
  const reduced = distributionLossInto(logits, targets, weights, attrs.regMax + 1, attrs.reduction, perRow ? loss : null, grad);
  if (!perRow) loss[0] = reduced;
}

/**
 * The composite (float32 TF.js ops): -log S from tf.logSoftmax, the two bins picked with
 * masks through `where` (never 0 · ∞), gradient softmax(x) - (w_l e_l + w_r e_r). Targets
 * are checked where the data is on the CPU; elsewhere they enter as they are.
 */
export function compositeDistribution(inputs: Record<string, Tensor>, attrs: DistributionFocalLossAttrs): [Tensor, Tensor] {
  const { regMax, reduction } = attrs;
  if (dataOnCpu()) checkDistributionTargets(DISTRIBUTION_OP, inputs.targets.dataSync(), regMax);
  return tf.tidy(() => {
    const logits = inputs.logits;
    const bins = regMax + 1;
    const x = tf.reshape(logits, [-1, bins]);
    const y = tf.reshape(tf.cast(inputs.targets, 'float32'), [-1, 1]);
    const l = tf.minimum(tf.floor(y), regMax - 1);
    const wl = tf.sub(tf.add(l, 1), y);
    const wr = tf.sub(y, l);
    const index = tf.range(0, bins, 1, 'float32');
    const atL = tf.equal(index, l);
    const atR = tf.equal(index, tf.add(l, 1));
    const zeros = tf.zerosLike(x);
    const nll = tf.neg(tf.logSoftmax(x));
    const pick = (mask: Tensor, w: Tensor): Tensor => {
      const term = tf.sum(tf.where(mask, nll, zeros), 1, true);
      return tf.where(tf.equal(w, 0), tf.zerosLike(term), tf.mul(w, term));
    };
    let loss = tf.reshape(tf.add(pick(atL, wl), pick(atR, wr)), [-1]);
    let grad = tf.sub(
      tf.softmax(x),
      tf.add(tf.where(atL, tf.mul(wl, tf.onesLike(x)), zeros), tf.where(atR, tf.mul(wr, tf.onesLike(x)), zeros)),
    );
    if (inputs.weights != null) {
      const w = tf.reshape(inputs.weights, [-1]);
      const silent = tf.equal(w, 0);
      loss = tf.where(silent, tf.zerosLike(loss), tf.mul(loss, w));
      grad = tf.where(tf.reshape(silent, [-1, 1]), zeros, tf.mul(grad, tf.reshape(w, [-1, 1])));
    }
    const rowShape = logits.shape.slice(0, -1);
    grad = tf.reshape(grad, logits.shape);
    if (reduction === 'none') return [tf.reshape(loss, rowShape), grad] as [Tensor, Tensor];
    const sum = tf.sum(loss);
    if (reduction === 'sum') return [sum, grad] as [Tensor, Tensor];
    const rows = loss.size;
    const scale = rows > 0 ? 1 / rows : 0;
    return [tf.mul(sum, scale), tf.mul(grad, scale)] as [Tensor, Tensor];
  });
}
