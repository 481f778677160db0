/** Poly-1 focal loss as TF.js ops: the closed form of src/core/family/poly.ts. */
import * as tf from '@tensorflow/tfjs-core';
import { type Composite, bce, divOr, pMinusT, pow } from './tf_math.js';

export const polyComposite: Composite = (_x, t, params, s) => {
  const { alpha, gamma, epsilon } = params as { alpha: number | null; gamma: number; epsilon: number };
  const at = alpha === null ? tf.onesLike(t) : tf.add(tf.mul(t, alpha), tf.mul(tf.sub(1, t), 1 - alpha));
  const ce = bce(t, s);
  const m = tf.add(tf.mul(t, s.q), tf.mul(tf.sub(1, t), s.p));
  const pq = tf.mul(s.p, s.q);
  const r = tf.where(tf.equal(t, 1), s.p, tf.where(tf.equal(t, 0), s.q, divOr(pq, m, 0)));
  const mg = pow(m, gamma);
  const oneMinus2t = tf.sub(1, tf.mul(t, 2));
  const loss = tf.add(tf.mul(tf.mul(at, mg), ce), tf.mul(tf.mul(m, mg), epsilon));
  const focal = tf.mul(tf.mul(at, mg), tf.add(pMinusT(t, s), tf.mul(tf.mul(tf.mul(oneMinus2t, r), ce), gamma)));
  const polyTerm = tf.mul(tf.mul(tf.mul(mg, oneMinus2t), pq), epsilon * (gamma + 1));
  return [loss, tf.add(focal, polyTerm)];
};
