/** Quality Focal Loss as TF.js ops: the closed form of src/core/family/quality.ts. */
import * as tf from '@tensorflow/tfjs-core';
import { type Composite, bce, divOr, pMinusT, pow } from './tf_math.js';

export const qualityComposite: Composite = (_x, t, params, s) => {
  const beta = params.beta as number;
  const ce = bce(t, s);
  const diff = pMinusT(t, s);
  const one = tf.equal(t, 1);
  const zero = tf.equal(t, 0);
  const d = tf.where(one, s.q, tf.where(zero, s.p, tf.abs(diff)));
  const ratio = tf.where(one, s.p, tf.where(zero, s.q, divOr(tf.mul(s.p, s.q), d, 0)));
  const db = pow(d, beta);
  const signedRatio = tf.where(tf.greaterEqual(diff, 0), ratio, tf.neg(ratio));
  return [tf.mul(db, ce), tf.mul(db, tf.add(diff, tf.mul(tf.mul(signedRatio, ce), beta)))];
};
