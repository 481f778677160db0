/** Gaussian focal loss as TF.js ops: the closed form of src/core/family/gaussian.ts. */
import * as tf from '@tensorflow/tfjs-core';
import type { FamilyShaders } from './types.js';
import { type Composite, pow } from './tf_math.js';

export const gaussianComposite: Composite = (_x, t, params, s) => {
  const { alpha, gamma, posWeight, negWeight } = params as Record<string, number>;
  const peak = tf.equal(t, 1);
  const qa = tf.mul(pow(s.q, alpha), posWeight);
  const pa = tf.mul(tf.mul(pow(tf.sub(1, t), gamma), pow(s.p, alpha)), negWeight);
  const loss = tf.where(peak, tf.mul(qa, s.spMinusX), tf.mul(pa, s.spX));
  const grad = tf.where(
    peak,
    tf.neg(tf.mul(qa, tf.add(s.q, tf.mul(tf.mul(s.p, s.spMinusX), alpha)))),
    tf.mul(pa, tf.add(s.p, tf.mul(tf.mul(s.q, s.spX), alpha))),
  );
  return [loss, grad];
};

/**
 * The GPU snippet (webgl GLSL, webgpu WGSL): loss and gradient of one element from x, t, the
 * parameters as constants P_<NAME> and p, q, spX = softplus(x), spMX = softplus(-x); the same
 * closed form as the float64 definition, float32 (assembled by shaders.ts).
 */
export const GAUSSIAN_SHADERS: FamilyShaders = {
  glsl: `
    if (t == 1.0) {
      float qa = P_POS_WEIGHT * powGamma(q, P_ALPHA);
      return vec2(qa * spMX, -qa * (q + P_ALPHA * p * spMX));
    }
    float pa = P_NEG_WEIGHT * powGamma(1.0 - t, P_GAMMA) * powGamma(p, P_ALPHA);
    return vec2(pa * spX, pa * (p + P_ALPHA * q * spX));`,
  wgsl: `
    if (t == 1.0) {
      let qa = P_POS_WEIGHT * powGamma(q, P_ALPHA);
      return vec2<f32>(qa * spMX, -qa * (q + P_ALPHA * p * spMX));
    }
    let pa = P_NEG_WEIGHT * powGamma(1.0 - t, P_GAMMA) * powGamma(p, P_ALPHA);
    return vec2<f32>(pa * spX, pa * (p + P_ALPHA * q * spX));`,
};
