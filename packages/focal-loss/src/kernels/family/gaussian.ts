/** Gaussian focal loss as TF.js ops: the closed form of src/core/family/gaussian.ts. */
import * as tf from '@tensorflow/tfjs-core';
import { type Composite, pow } from './tf_math.js';

export const gaussianComposite: Composite = (_x, t, params, s) => {
  const { alpha, gamma, posWeight, negWeight } = params as Record<string, number>;
  const peak = tf.equal(t, 1);
  const qa = tf.mul(pow(s.q, alpha), posWeight);
  const pa = tf.mul(tf.mul(pow(tf.sub(1, t), gamma), pow(s.p, alpha)), negWeight);
  const loss = tf.where(peak, tf.mul(qa, s.spMinusX), tf.mul(pa, s.spX));
  const grad = tf.where(peak,
    tf.neg(tf.mul(qa, tf.add(s.q, tf.mul(tf.mul(s.p, s.spMinusX), alpha)))),
    tf.mul(pa, tf.add(s.p, tf.mul(tf.mul(s.q, s.spX), alpha))));
  return [loss, grad];
};
