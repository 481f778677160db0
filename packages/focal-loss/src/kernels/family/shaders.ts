/**
 * The GPU side of the element-wise family: each loss supplies one snippet per shading
 * language (FamilyShaders, beside its composite); this file wraps it into the shared
 * per-element function that the webgl and webgpu family programs (../webgl/family_program.ts,
 * ../webgpu/family_program.ts) call, run by the shared plan (../gpu/plan.ts,
 * runElementwisePlan) with its tree reductions.
 *
 * The wrapper, as the float64 loop (src/core/family/definition.ts) and the composite do:
 *   - the parameters become constants P_<NAME> (camelCase -> UPPER_SNAKE; a boolean as bool;
 *     null as 0.0 with P_HAS_<NAME> false, every other value with P_HAS_<NAME> true), so a
 *     program is compiled per parameter set (the webgpu shader key names the values);
 *   - p = σ(x), q = σ(−x), spX = softplus(x), spMX = softplus(−x), from e = exp(−|x|) with no
 *     1 − p anywhere and log1p taken by series where it matters;
 *   - NaN logits give NaN; ±Infinity logits are evaluated at ±1e30, where every member has
 *     reached its gradient's limit, and a loss still growing there (> 1e10) becomes
 *     +Infinity, the limit (the composite's rule);
 *   - weights: w · loss with 0 · Infinity = 0, gradient 0 where w = 0.
 */
import type { Params } from '../../core/family/definition.js';
import { floatLiteral } from '../gpu/plan.js';
import { FAMILY_KERNELS } from './composites.js';

/** One loss's snippet: statements ending in `return (loss, grad)` as vec2 / vec2<f32>. */
export interface FamilyShaders {
  glsl: string;
  wgsl: string;
}

function constantName(key: string): string {
  return `P_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** The parameters as [name, GLSL/WGSL type, literal] triples, P_HAS_* included. */
function constants(params: Params): Array<[string, 'float' | 'bool', string]> {
  const out: Array<[string, 'float' | 'bool', string]> = [];
  for (const [key, value] of Object.entries(params)) {
    const name = constantName(key);
    if (typeof value === 'boolean') {
      out.push([name, 'bool', String(value)]);
    } else {
      out.push([name, 'float', value === null ? '0.0' : floatLiteral(value)]);
      out.push([name.replace(/^P_/, 'P_HAS_'), 'bool', String(value !== null)]);
    }
  }
  return out;
}

/** A key naming the loss and its parameter values (for webgpu's pipeline cache). */
export function familyShaderKey(family: string, params: Params): string {
  return `${family}_${Object.values(params).map((v) => String(v)).join('_')}`;
}

function shadersOf(family: string): FamilyShaders {
  const parts = FAMILY_KERNELS[family];
  if (parts === undefined) throw new Error(`focal-loss: no GPU snippet for '${family}'`);
  return parts.shaders;
}

/** GLSL: vec2 familyTerms(int k), (loss, gradient) of element k, weights applied. Needs GLSL_MATH. */
export function glslFamilyTerms(family: string, params: Params, hasWeights: boolean): string {
  const decls = constants(params).map(([n, type, v]) => `const ${type} ${n} = ${v};`).join('\n  ');
  return `
  ${decls}
  vec2 familyElement(float x, float t) {
    float e = exp(-abs(x));
    float l1pe = log1pNonNeg(e);
    float big = 1.0 / (1.0 + e);
    float small = e * big;
    float p = x >= 0.0 ? big : small;
    float q = x >= 0.0 ? small : big;
    float spX = max(x, 0.0) + l1pe;
    float spMX = max(-x, 0.0) + l1pe;
    ${shadersOf(family).glsl}
  }
  vec2 familyTerms(int k) {
    float x0 = getLogits(k);
    if (isnan(x0)) return vec2(NAN, NAN);
    vec2 r = familyElement(clamp(x0, -1e30, 1e30), getTargets(k));
    if (isinf(x0) && r.x > 1e10) r.x = abs(x0);
    ${hasWeights ? 'float w = getWeights(k);\n    r = vec2(weighted(w, r.x), w == 0.0 ? 0.0 : r.y * w);' : ''}
    return r;
  }
`;
}

/** WGSL: fn familyTerms(k) -> vec2<f32>, as glslFamilyTerms. Needs WGSL_MATH. */
export function wgslFamilyTerms(family: string, params: Params, hasWeights: boolean): string {
  const decls = constants(params)
    .map(([n, type, v]) => `const ${n} : ${type === 'float' ? 'f32' : 'bool'} = ${v};`)
    .join('\n  ');
  return `
  ${decls}
  fn familyElement(x : f32, t : f32) -> vec2<f32> {
    let e = exp(-abs(x));
    let l1pe = log1pNonNeg(e);
    let big = 1.0 / (1.0 + e);
    let small = e * big;
    let p = select(small, big, x >= 0.0);
    let q = select(big, small, x >= 0.0);
    let spX = max(x, 0.0) + l1pe;
    let spMX = max(-x, 0.0) + l1pe;
    ${shadersOf(family).wgsl}
  }
  fn familyTerms(k : i32) -> vec2<f32> {
    let x0 = f32(logits[k]);
    if (isnan(x0)) { return vec2<f32>(uniforms.NAN, uniforms.NAN); }
    var r = familyElement(clamp(x0, -1e30, 1e30), f32(targets[k]));
    if (isinf(x0) && r.x > 1e10) { r.x = abs(x0); }
    ${hasWeights ? 'let w = f32(weights[k]);\n    r = vec2<f32>(weighted(w, r.x), select(r.y * w, 0.0, w == 0.0));' : ''}
    return r;
  }
`;
}
