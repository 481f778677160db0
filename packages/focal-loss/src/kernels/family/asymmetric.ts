/** Asymmetric Loss as TF.js ops: the closed form of src/core/family/asymmetric.ts. */
import * as tf from '@tensorflow/tfjs-core';
import type { FamilyShaders } from './types.js';
import { type Composite, divOr, pow } from './tf_math.js';

export const asymmetricComposite: Composite = (_x, t, params, s) => {
  const { gammaPos, gammaNeg, clip } = params as Record<string, number>;
  // detachFocalWeight: the focusing weight's own derivative is left out (see the definition).
  const focus = params.detachFocalWeight === true ? 0 : 1;
  const positive = tf.equal(t, 1);
  const qg = pow(s.q, gammaPos);
  const posLoss = tf.mul(qg, s.spMinusX);
  const posGrad = tf.neg(tf.mul(qg, tf.add(s.q, tf.mul(tf.mul(s.p, s.spMinusX), focus * gammaPos))));
  let negLoss: tf.Tensor;
  let negGrad: tf.Tensor;
  if (clip === 0) {
    const pg = pow(s.p, gammaNeg);
    negLoss = tf.mul(pg, s.spX);
    negGrad = tf.mul(pg, tf.add(s.p, tf.mul(tf.mul(s.q, s.spX), focus * gammaNeg)));
  } else {
    const pm = tf.relu(tf.sub(s.p, clip));
    const nll = tf.neg(tf.log1p(tf.neg(pm)));
    const pg = pow(pm, gammaNeg);
    const active = tf.greater(pm, 0);
    negLoss = tf.where(active, tf.mul(pg, nll), tf.zerosLike(pm));
    // -log(1 - p_m) / p_m -> 1 as p_m -> 0.
    const inner = tf.add(tf.div(1, tf.add(s.q, clip)), tf.mul(divOr(nll, pm, 1), focus * gammaNeg));
    negGrad = tf.where(active, tf.mul(tf.mul(tf.mul(s.p, s.q), pg), inner), tf.zerosLike(pm));
  }
  return [tf.where(positive, posLoss, negLoss), tf.where(positive, posGrad, negGrad)];
};

/**
 * The GPU snippet (webgl GLSL, webgpu WGSL): loss and gradient of one element from x, t, the
 * parameters as constants P_<NAME> and p, q, spX = softplus(x), spMX = softplus(-x); the same
 * closed form as the float64 definition, float32 (assembled by shaders.ts).
 */
export const ASYMMETRIC_SHADERS: FamilyShaders = {
  glsl: `
    // detachFocalWeight: the focusing weight's own derivative is left out.
    float focus = P_DETACH_FOCAL_WEIGHT ? 0.0 : 1.0;
    if (t == 1.0) {
      float qg = powGamma(q, P_GAMMA_POS);
      return vec2(qg * spMX, -qg * (q + focus * P_GAMMA_POS * p * spMX));
    }
    if (P_CLIP == 0.0) {
      float pg = powGamma(p, P_GAMMA_NEG);
      return vec2(pg * spX, pg * (p + focus * P_GAMMA_NEG * q * spX));
    }
    float pm = p - P_CLIP;
    if (pm <= 0.0) return vec2(0.0);
    // -log(1 - p_m) = log1p(p_m / (q + m)): 1 - p_m = q + m, no cancellation.
    float nll = log1pNonNeg(pm / (q + P_CLIP));
    float pg = powGamma(pm, P_GAMMA_NEG);
    return vec2(pg * nll, p * q * pg * (1.0 / (q + P_CLIP) + focus * P_GAMMA_NEG * nll / pm));`,
  wgsl: `
    let focus = select(1.0, 0.0, P_DETACH_FOCAL_WEIGHT);
    if (t == 1.0) {
      let qg = powGamma(q, P_GAMMA_POS);
      return vec2<f32>(qg * spMX, -qg * (q + focus * P_GAMMA_POS * p * spMX));
    }
    if (P_CLIP == 0.0) {
      let pg = powGamma(p, P_GAMMA_NEG);
      return vec2<f32>(pg * spX, pg * (p + focus * P_GAMMA_NEG * q * spX));
    }
    let pm = p - P_CLIP;
    if (pm <= 0.0) { return vec2<f32>(0.0, 0.0); }
    let nll = log1pNonNeg(pm / (q + P_CLIP));
    let pg = powGamma(pm, P_GAMMA_NEG);
    return vec2<f32>(pg * nll, p * q * pg * (1.0 / (q + P_CLIP) + focus * P_GAMMA_NEG * nll / pm));`,
};
