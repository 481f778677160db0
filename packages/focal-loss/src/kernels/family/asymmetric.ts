/** Asymmetric Loss as TF.js ops: the closed form of src/core/family/asymmetric.ts. */
import * as tf from '@tensorflow/tfjs-core';
import { type Composite, divOr, pow } from './tf_math.js';

export const asymmetricComposite: Composite = (_x, t, params, s) => {
  const { gammaPos, gammaNeg, clip } = params as Record<string, number>;
  const positive = tf.equal(t, 1);
  const qg = pow(s.q, gammaPos);
  const posLoss = tf.mul(qg, s.spMinusX);
  const posGrad = tf.neg(tf.mul(qg, tf.add(s.q, tf.mul(tf.mul(s.p, s.spMinusX), gammaPos))));
  let negLoss: tf.Tensor;
  let negGrad: tf.Tensor;
  if (clip === 0) {
    const pg = pow(s.p, gammaNeg);
    negLoss = tf.mul(pg, s.spX);
    negGrad = tf.mul(pg, tf.add(s.p, tf.mul(tf.mul(s.q, s.spX), gammaNeg)));
  } else {
    const pm = tf.relu(tf.sub(s.p, clip));
    const nll = tf.neg(tf.log1p(tf.neg(pm)));
    const pg = pow(pm, gammaNeg);
    const active = tf.greater(pm, 0);
    negLoss = tf.where(active, tf.mul(pg, nll), tf.zerosLike(pm));
    // -log(1 - p_m) / p_m -> 1 as p_m -> 0.
    const inner = tf.add(tf.div(1, tf.add(s.q, clip)), tf.mul(divOr(nll, pm, 1), gammaNeg));
    negGrad = tf.where(active, tf.mul(tf.mul(tf.mul(s.p, s.q), pg), inner), tf.zerosLike(pm));
  }
  return [tf.where(positive, posLoss, negLoss), tf.where(positive, posGrad, negGrad)];
};
