/** Quality Focal Loss as TF.js ops: the closed form of src/core/family/quality.ts. */
import * as tf from '@tensorflow/tfjs-core';
import type { FamilyShaders } from './types.js';
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

/**
 * The GPU snippet (webgl GLSL, webgpu WGSL): loss and gradient of one element from x, t, the
 * parameters as constants P_<NAME> and p, q, spX = softplus(x), spMX = softplus(-x); the same
 * closed form as the float64 definition, float32 (assembled by shaders.ts).
 */
export const QUALITY_SHADERS: FamilyShaders = {
  glsl: `
    float ce = t * spMX + (1.0 - t) * spX;
    float diff = t == 1.0 ? -q : p - t;
    float d = t == 1.0 ? q : (t == 0.0 ? p : abs(diff));
    float ratio = t == 1.0 ? p : (t == 0.0 ? q : (d > 0.0 ? p * q / d : 0.0));
    float db = powGamma(d, P_BETA);
    return vec2(db * ce, db * (diff + P_BETA * (diff >= 0.0 ? ratio : -ratio) * ce));`,
  wgsl: `
    let ce = t * spMX + (1.0 - t) * spX;
    let diff = select(p - t, -q, t == 1.0);
    let d = select(select(abs(diff), p, t == 0.0), q, t == 1.0);
    var ratio = 0.0;
    if (t == 1.0) { ratio = p; } else if (t == 0.0) { ratio = q; } else if (d > 0.0) { ratio = p * q / d; }
    let db = powGamma(d, P_BETA);
    return vec2<f32>(db * ce, db * (diff + P_BETA * select(-ratio, ratio, diff >= 0.0) * ce));`,
};
