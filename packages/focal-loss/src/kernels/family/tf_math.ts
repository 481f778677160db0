/** Tensor building blocks for the family's composites (float32 versions of core/family/definition.ts'). */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/** p = sigmoid(x), q = sigmoid(-x), spX = softplus(x) = -log q, spMinusX = softplus(-x) = -log p. */
export interface Logistic {
  p: Tensor;
  q: Tensor;
  spX: Tensor;
  spMinusX: Tensor;
}

export function logistic(x: Tensor): Logistic {
  const l = tf.log1p(tf.exp(tf.neg(tf.abs(x))));
  return {
    p: tf.sigmoid(x),
    q: tf.sigmoid(tf.neg(x)),
    spX: tf.add(tf.relu(x), l),
    spMinusX: tf.add(tf.relu(tf.neg(x)), l),
  };
}

/** m^g with 0^0 = 1 (m >= 0). */
export function pow(m: Tensor, g: number): Tensor {
  if (g === 0) return tf.onesLike(m);
  if (g === 1) return m;
  if (g === 2) return tf.square(m);
  return tf.pow(m, tf.scalar(g));
}

/** a / b where b > 0, `otherwise` where b = 0 (no NaN from 0 / 0). */
export function divOr(a: Tensor, b: Tensor, otherwise: number): Tensor {
  const positive = tf.greater(b, 0);
  return tf.where(positive, tf.div(a, tf.where(positive, b, tf.onesLike(b))), tf.fill(b.shape, otherwise));
}

/** BCE(x, t) = t softplus(-x) + (1 - t) softplus(x), no cancellation. */
export function bce(t: Tensor, s: Logistic): Tensor {
  return tf.add(tf.mul(t, s.spMinusX), tf.mul(tf.sub(1, t), s.spX));
}

/** p - t, exactly -q where t = 1. */
export function pMinusT(t: Tensor, s: Logistic): Tensor {
  return tf.where(tf.equal(t, 1), tf.neg(s.q), tf.sub(s.p, t));
}

/** A composite: the closed-form loss and gradient of one element, as tensors. */
export type Composite = (x: Tensor, t: Tensor, params: Record<string, number | boolean | null>, s: Logistic) => [Tensor, Tensor];
