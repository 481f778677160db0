/**
 * Sigmoid focal loss and FL* (FocalLossSigmoid, modes 'focal' and 'star') on webgl and webgpu
 * as members of the element-wise family: one GPU snippet each, run by the family's shared
 * programs and plan (shaders.ts, ../gpu/elementwise_plans.ts runElementwisePlan) with their sum tree.
 * The float64 reference is src/core/sigmoid.ts (the cpu and wasm kernels run it, or the SIMD
 * kernels of ../simd); the formulas here are its, in float32, and so are the limits at
 * x = ±Infinity (its limitAtInfinity), given as the snippet's own `limit` because they are
 * exact (k = 0 gives 0, any k > 0 an infinite loss) where the family's default rule
 * (evaluate at ±1e30, a loss above 1e10 is +Infinity) would miss k below about 1e-7.
 *
 * Parameters: alpha (null: no a_t), gamma, labelSmoothing, and for FL* beta, read from the
 * plan's uniforms as the programs before the family did (one compiled program for every value,
 * so a schedule of gamma or a slider costs no compilation); whether alpha is null is compiled
 * in. Targets are smoothed first, t (1 - s) + s / 2, as the core does.
 */
import type { Params } from '../../core/family/definition.js';
import type { SigmoidFocalLossAttrs } from '../kernel_names.js';
import type { FamilyShaders } from './types.js';

/** The GPU family names of the two modes (the ops' names). */
export const SIGMOID_FAMILY = { focal: 'sigmoidFocalLoss', star: 'sigmoidFocalLossStar' } as const;

/** The family name and parameters of a FocalLossSigmoid call. */
export function sigmoidFamilyOf(attrs: SigmoidFocalLossAttrs): { family: string; params: Params } {
  const { alpha, gamma, labelSmoothing } = attrs;
  if (attrs.mode === 'star') return { family: SIGMOID_FAMILY.star, params: { alpha, gamma, beta: attrs.beta, labelSmoothing } };
  return { family: SIGMOID_FAMILY.focal, params: { alpha, gamma, labelSmoothing } };
}

/** Smoothed target ts and a_t, from the raw target t (both the element and its limit start so). */
const GLSL_TARGET = `
    float ts = t * (1.0 - P_LABEL_SMOOTHING) + 0.5 * P_LABEL_SMOOTHING;
    float at = P_HAS_ALPHA ? P_ALPHA * ts + (1.0 - P_ALPHA) * (1.0 - ts) : 1.0;`;
const WGSL_TARGET = `
    let ts = t * (1.0 - P_LABEL_SMOOTHING) + 0.5 * P_LABEL_SMOOTHING;
    let at = select(1.0, P_ALPHA * ts + (1.0 - P_ALPHA) * (1.0 - ts), P_HAS_ALPHA);`;

/**
 * FL = a_t m^g ce, dFL/dx = a_t m^g [(p - t) + g (1 - 2t) r ce], ce = t softplus(-x) +
 * (1 - t) softplus(x), m = t q + (1 - t) p, r = p q / m in [0, 1] (0 where m = 0).
 * Limit: k = 1 - t at +Infinity, t at -Infinity; 0 for k = 0 (or a_t = 0), else
 * (+Infinity, ±a_t k^g k).
 */
const UNIFORMS: FamilyShaders['uniforms'] = { alpha: 'uAlpha', gamma: 'uGamma', beta: 'uBeta', labelSmoothing: 'uSmoothing' };

export const SIGMOID_FOCAL_SHADERS: FamilyShaders = {
  uniforms: UNIFORMS,
  glsl: `${GLSL_TARGET}
    float ce = ts * spMX + (1.0 - ts) * spX;
    float m = ts * q + (1.0 - ts) * p;
    float mg = powGamma(m, P_GAMMA);
    float r = m > 0.0 ? p * q / m : 0.0;
    return vec2(at * mg * ce, at * mg * ((p - ts) + P_GAMMA * (1.0 - 2.0 * ts) * r * ce));`,
  wgsl: `${WGSL_TARGET}
    let ce = ts * spMX + (1.0 - ts) * spX;
    let m = ts * q + (1.0 - ts) * p;
    let mg = powGamma(m, P_GAMMA);
    var r = 0.0;
    if (m > 0.0) { r = p * q / m; }
    return vec2<f32>(at * mg * ce, at * mg * ((p - ts) + P_GAMMA * (1.0 - 2.0 * ts) * r * ce));`,
  limit: {
    glsl: `${GLSL_TARGET}
    if (at == 0.0) return vec2(0.0);
    float k = x > 0.0 ? 1.0 - ts : ts;
    if (k == 0.0) return vec2(0.0);
    return vec2(at * abs(x), (x > 0.0 ? at : -at) * powGamma(k, P_GAMMA) * k);`,
    wgsl: `${WGSL_TARGET}
    if (at == 0.0) { return vec2<f32>(0.0, 0.0); }
    let k = select(ts, 1.0 - ts, x > 0.0);
    if (k == 0.0) { return vec2<f32>(0.0, 0.0); }
    return vec2<f32>(at * abs(x), select(-at, at, x > 0.0) * powGamma(k, P_GAMMA) * k);`,
  },
};

/**
 * FL* = a_t softplus(-z) / g, z = g x (2t - 1) + b; d(FL*)/dx = -a_t (2t - 1) sigmoid(-z).
 * Limit: for t = 1/2, a_t softplus(-b) / g and gradient 0; else 0 where z -> +Infinity and
 * (+Infinity, -a_t (2t - 1)) where z -> -Infinity.
 */
export const SIGMOID_STAR_SHADERS: FamilyShaders = {
  uniforms: UNIFORMS,
  glsl: `${GLSL_TARGET}
    float sgn = 2.0 * ts - 1.0;
    float z = P_GAMMA * x * sgn + P_BETA;
    float ez = exp(-abs(z));
    float sigmoidMinusZ = z >= 0.0 ? ez / (1.0 + ez) : 1.0 / (1.0 + ez);
    return vec2(at * (max(-z, 0.0) + log1pNonNeg(ez)) / P_GAMMA, -at * sgn * sigmoidMinusZ);`,
  wgsl: `${WGSL_TARGET}
    let sgn = 2.0 * ts - 1.0;
    let z = P_GAMMA * x * sgn + P_BETA;
    let ez = exp(-abs(z));
    let sigmoidMinusZ = select(1.0 / (1.0 + ez), ez / (1.0 + ez), z >= 0.0);
    return vec2<f32>(at * (max(-z, 0.0) + log1pNonNeg(ez)) / P_GAMMA, -at * sgn * sigmoidMinusZ);`,
  limit: {
    glsl: `${GLSL_TARGET}
    if (at == 0.0) return vec2(0.0);
    float sgn = 2.0 * ts - 1.0;
    if (sgn == 0.0) return vec2(at * (max(-P_BETA, 0.0) + log1pNonNeg(exp(-abs(P_BETA)))) / P_GAMMA, 0.0);
    return x * sgn > 0.0 ? vec2(0.0) : vec2(at * abs(x), -at * sgn);`,
    wgsl: `${WGSL_TARGET}
    if (at == 0.0) { return vec2<f32>(0.0, 0.0); }
    let sgn = 2.0 * ts - 1.0;
    if (sgn == 0.0) {
      return vec2<f32>(at * (max(-P_BETA, 0.0) + log1pNonNeg(exp(-abs(P_BETA)))) / P_GAMMA, 0.0);
    }
    if (x * sgn > 0.0) { return vec2<f32>(0.0, 0.0); }
    return vec2<f32>(at * abs(x), -at * sgn);`,
  },
};
