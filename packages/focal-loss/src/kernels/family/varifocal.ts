/** Varifocal Loss as TF.js ops: the closed form of src/core/family/varifocal.ts. */
import * as tf from '@tensorflow/tfjs-core';
import { type Composite, bce, pMinusT, pow } from './tf_math.js';

export const varifocalComposite: Composite = (_x, t, params, s) => {
  const { alpha, gamma, iouWeighted } = params as { alpha: number; gamma: number; iouWeighted: boolean };
  const positive = tf.greater(t, 0);
  const w = iouWeighted ? t : tf.onesLike(t);
  const pg = tf.mul(pow(s.p, gamma), alpha);
  const loss = tf.where(positive, tf.mul(w, bce(t, s)), tf.mul(pg, s.spX));
  const grad = tf.where(positive, tf.mul(w, pMinusT(t, s)), tf.mul(pg, tf.add(s.p, tf.mul(tf.mul(s.q, s.spX), gamma))));
  return [loss, grad];
};
