/**
 * The GPU side of the element-wise family: each loss supplies one snippet per shading
 * language (FamilyShaders, beside its composite); this file wraps it into the shared
 * per-element function that the webgl and webgpu family programs (../webgl/family_program.ts,
 * ../webgpu/family_program.ts) call, run by the shared plan (../gpu/elementwise_plans.ts,
 * runElementwisePlan) with its tree reductions. It imports only downwards: the losses'
 * parts (parts.ts), their types (types.ts) and the shader literals (../shader_literals.ts).
 *
 * The wrapper, as the float64 loop (src/core/family/definition.ts) and the composite do:
 *   - the parameters become constants P_<NAME> (camelCase -> UPPER_SNAKE; a boolean as bool;
 *     null as 0.0 with P_HAS_<NAME> false, every other value with P_HAS_<NAME> true), so a
 *     program is compiled per parameter set (the webgpu shader key names the values), except
 *     those the loss reads from the plan's uniforms (FamilyShaders.uniforms: the sigmoid
 *     focal loss and FL*), which one program serves for every value;
 *   - p = σ(x), q = σ(−x), spX = softplus(x), spMX = softplus(−x), from e = exp(−|x|) with no
 *     1 − p anywhere and log1p taken by series where it matters;
 *   - NaN logits give NaN; ±Infinity logits are evaluated at ±1e30, where every member has
 *     reached its gradient's limit, and a loss still growing there (> 1e10) becomes
 *     +Infinity, the limit (the composite's rule), unless the loss gives its own limits
 *     (FamilyShaders.limit: the sigmoid focal loss and FL*, sigmoid.ts);
 *   - weights: w · loss with 0 · Infinity = 0, gradient 0 where w = 0 (NaN stays NaN: a NaN
 *     target gives NaN for its element whatever its weight).
 */
import type { Params } from '../../core/family/definition.js';
import { floatLiteral, UNIFORM_NAMES } from '../shader_literals.js';
import { FAMILY_KERNEL_PARTS } from './parts.js';
import type { FamilyShaders } from './types.js';

function constantName(key: string): string {
  return `P_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** The parameters as [name, GLSL/WGSL type, literal] triples, P_HAS_* included. */
function constants(params: Params, uniforms: FamilyShaders['uniforms']): Array<[string, 'float' | 'bool', string]> {
  const out: Array<[string, 'float' | 'bool', string]> = [];
  for (const [key, value] of Object.entries(params)) {
    const name = constantName(key);
    if (uniforms?.[key] !== undefined) {
      out.push([name.replace(/^P_/, 'P_HAS_'), 'bool', String(value !== null)]);
    } else if (typeof value === 'boolean') {
      out.push([name, 'bool', String(value)]);
    } else {
      out.push([name, 'float', value === null ? '0.0' : floatLiteral(value)]);
      out.push([name.replace(/^P_/, 'P_HAS_'), 'bool', String(value !== null)]);
    }
  }
  return out;
}

/**
 * A member of the family as the GPU programs need it: its snippet, looked up once per kernel
 * call (the plan's programs and uniforms all use it), its parameters, and the values of the
 * uniforms its snippet reads.
 */
export interface GpuFamilyMember {
  /** The op name, as FAMILY_KERNEL_PARTS keys it. */
  family: string;
  params: Params;
  shaders: FamilyShaders;
  /** uAlpha, uGamma, uBeta, uSmoothing: see familyUniformValues. */
  uniformValues: [number, number, number, number];
}

export function gpuFamilyMember(family: string, params: Params): GpuFamilyMember {
  const shaders = shadersOf(family);
  return { family, params, shaders, uniformValues: familyUniformValues(family, params, shaders) };
}

/**
 * A key naming the loss and its compiled-in parameter values (for webgpu's pipeline cache);
 * a parameter read from a uniform contributes only whether it is null. `shaders`: the
 * family's snippet, when already looked up.
 */
export function familyShaderKey(family: string, params: Params, shaders = shadersOf(family)): string {
  const uniforms = shaders.uniforms;
  const parts = Object.entries(params).map(([key, v]) => (uniforms?.[key] !== undefined ? String(v !== null) : String(v)));
  return `${family}_${parts.join('_')}`;
}

/**
 * The values of the plan's uniforms uAlpha, uGamma, uBeta, uSmoothing for a loss whose
 * snippet reads parameters from them (FamilyShaders.uniforms); unused ones are 0, uAlpha 1.
 */
export function familyUniformValues(family: string, params: Params, shaders = shadersOf(family)): [number, number, number, number] {
  const values: [number, number, number, number] = [1, 0, 0, 0];
  for (const [key, uniform] of Object.entries(shaders.uniforms ?? {})) {
    if (uniform === undefined || !(key in params)) continue;
    const value = params[key];
    values[UNIFORM_NAMES.indexOf(uniform)] = typeof value === 'number' ? value : 1;
  }
  return values;
}

function shadersOf(family: string): FamilyShaders {
  const parts = FAMILY_KERNEL_PARTS[family];
  if (parts === undefined) throw new Error(`focal-loss: no GPU snippet for '${family}'`);
  return parts.shaders;
}

/** A snippet with its uniform-backed P_<NAME> replaced by the uniform (`prefix`: 'uniforms.' in WGSL). */
function withUniforms(code: string, uniforms: FamilyShaders['uniforms'], prefix: string): string {
  let out = code;
  for (const [key, uniform] of Object.entries(uniforms ?? {})) {
    if (uniform !== undefined) out = out.replace(new RegExp(`\\b${constantName(key)}\\b`, 'g'), prefix + uniform);
  }
  return out;
}

/**
 * GLSL: vec2 familyTerms(int k), (loss, gradient) of element k, weights applied. Needs
 * GLSL_MATH. `shaders`: the family's snippet, when already looked up.
 */
export function glslFamilyTerms(family: string, params: Params, hasWeights: boolean, shaders = shadersOf(family)): string {
  const limit = shaders.limit;
  const body = withUniforms(shaders.glsl, shaders.uniforms, '');
  const limitBody = limit === undefined ? '' : withUniforms(limit.glsl, shaders.uniforms, '');
  const decls = constants(params, shaders.uniforms)
    .map(([n, type, v]) => `const ${type} ${n} = ${v};`)
    .join('\n  ');
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
    ${body}
  }
  ${
    limit === undefined
      ? ''
      : `vec2 familyLimit(float x, float t) {
    ${limitBody}
  }`
  }
  vec2 familyTerms(int k) {
    float x0 = getLogits(k);
    if (isnan(x0)) return vec2(NAN, NAN);
    ${
      limit === undefined
        ? `vec2 r = familyElement(clamp(x0, -1e30, 1e30), getTargets(k));
    if (isinf(x0) && r.x > 1e10) r.x = abs(x0);`
        : `float t0 = getTargets(k);
    vec2 r = isinf(x0) ? familyLimit(x0, t0) : familyElement(x0, t0);`
    }
    ${hasWeights ? 'float w = getWeights(k);\n    r = vec2(weighted(w, r.x), w == 0.0 && !isnan(r.y) ? 0.0 : r.y * w);' : ''}
    return r;
  }
`;
}

/** WGSL: fn familyTerms(k) -> vec2<f32>, as glslFamilyTerms. Needs WGSL_MATH. */
export function wgslFamilyTerms(family: string, params: Params, hasWeights: boolean, shaders = shadersOf(family)): string {
  const limit = shaders.limit;
  const body = withUniforms(shaders.wgsl, shaders.uniforms, 'uniforms.');
  const limitBody = limit === undefined ? '' : withUniforms(limit.wgsl, shaders.uniforms, 'uniforms.');
  const decls = constants(params, shaders.uniforms)
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
    ${body}
  }
  ${
    limit === undefined
      ? ''
      : `fn familyLimit(x : f32, t : f32) -> vec2<f32> {
    ${limitBody}
  }`
  }
  fn familyTerms(k : i32) -> vec2<f32> {
    let x0 = f32(logits[k]);
    if (isnan(x0)) { return vec2<f32>(uniforms.NAN, uniforms.NAN); }
    ${
      limit === undefined
        ? `var r = familyElement(clamp(x0, -1e30, 1e30), f32(targets[k]));
    if (isinf(x0) && r.x > 1e10) { r.x = abs(x0); }`
        : `let t0 = f32(targets[k]);
    var r : vec2<f32>;
    if (isinf(x0)) { r = familyLimit(x0, t0); } else { r = familyElement(x0, t0); }`
    }
    ${hasWeights ? 'let w = f32(weights[k]);\n    r = vec2<f32>(weighted(w, r.x), select(r.y * w, 0.0, w == 0.0 && !isnan(r.y)));' : ''}
    return r;
  }
`;
}
