/** Varifocal Loss as TF.js ops: the closed form of src/core/family/varifocal.ts. */
import * as tf from '@tensorflow/tfjs-core';
import type { FamilyShaders } from './types.js';
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

/**
 * The GPU snippet (webgl GLSL, webgpu WGSL): loss and gradient of one element from x, t, the
 * parameters as constants P_<NAME> and p, q, spX = softplus(x), spMX = softplus(-x); the same
 * closed form as the float64 definition, float32 (assembled by shaders.ts).
 */
export const VARIFOCAL_SHADERS: FamilyShaders = {
  glsl: `
    if (t > 0.0) {
      float w = P_IOU_WEIGHTED ? t : 1.0;
      return vec2(w * (t * spMX + (1.0 - t) * spX), w * (t == 1.0 ? -q : p - t));
    }
    float pg = P_ALPHA * powGamma(p, P_GAMMA);
    return vec2(pg * spX, pg * (p + P_GAMMA * q * spX));`,
  wgsl: `
    if (t > 0.0) {
      let w = select(1.0, t, P_IOU_WEIGHTED);
      return vec2<f32>(w * (t * spMX + (1.0 - t) * spX), w * select(p - t, -q, t == 1.0));
    }
    let pg = P_ALPHA * powGamma(p, P_GAMMA);
    return vec2<f32>(pg * spX, pg * (p + P_GAMMA * q * spX));`,
};
