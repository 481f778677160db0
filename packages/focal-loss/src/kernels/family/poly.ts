/** Poly-1 focal loss as TF.js ops: the closed form of src/core/family/poly.ts. */
import * as tf from '@tensorflow/tfjs-core';
import type { FamilyShaders } from './types.js';
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

/**
 * The GPU snippet (webgl GLSL, webgpu WGSL): loss and gradient of one element from x, t, the
 * parameters as constants P_<NAME> and p, q, spX = softplus(x), spMX = softplus(-x); the same
 * closed form as the float64 definition, float32 (assembled by shaders.ts).
 */
export const POLY_SHADERS: FamilyShaders = {
  glsl: `
    float at = P_HAS_ALPHA ? P_ALPHA * t + (1.0 - P_ALPHA) * (1.0 - t) : 1.0;
    float ce = t * spMX + (1.0 - t) * spX;
    float m = t * q + (1.0 - t) * p;
    float r = t == 1.0 ? p : (t == 0.0 ? q : (m > 0.0 ? p * q / m : 0.0));
    float mg = powGamma(m, P_GAMMA);
    float s = 1.0 - 2.0 * t;
    return vec2(at * mg * ce + P_EPSILON * m * mg,
      at * mg * ((t == 1.0 ? -q : p - t) + P_GAMMA * s * r * ce) + P_EPSILON * (P_GAMMA + 1.0) * mg * s * p * q);`,
  wgsl: `
    let at = select(1.0, P_ALPHA * t + (1.0 - P_ALPHA) * (1.0 - t), P_HAS_ALPHA);
    let ce = t * spMX + (1.0 - t) * spX;
    let m = t * q + (1.0 - t) * p;
    var r = 0.0;
    if (t == 1.0) { r = p; } else if (t == 0.0) { r = q; } else if (m > 0.0) { r = p * q / m; }
    let mg = powGamma(m, P_GAMMA);
    let s = 1.0 - 2.0 * t;
    return vec2<f32>(at * mg * ce + P_EPSILON * m * mg,
      at * mg * (select(p - t, -q, t == 1.0) + P_GAMMA * s * r * ce) + P_EPSILON * (P_GAMMA + 1.0) * mg * s * p * q);`,
};
