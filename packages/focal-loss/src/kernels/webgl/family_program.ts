import type { FamilyGradSpec, FamilyLossSpec } from '../gpu/program_specs.js';
import { glslFamilyTerms } from '../family/shaders.js';
import { GLSL_MATH, glslWindowSum } from './glsl_snippets.js';
import { FOCAL_UNIFORMS } from './uniforms.js';
import type { WebGLProgram } from './webgl_types.js';

/** Element-wise family loss per element (window 1) or summed over windows of elements. */
export function familyLossProgram(spec: FamilyLossSpec, outputSize: number): WebGLProgram {
  return {
    variableNames: spec.hasWeights ? ['logits', 'targets', 'weights'] : ['logits', 'targets'],
    outputShape: [outputSize],
    customUniforms: FOCAL_UNIFORMS,
    userCode: `
      ${GLSL_MATH}
      ${glslFamilyTerms(spec.member.family, spec.member.params, spec.hasWeights, spec.member.shaders)}
      void main() {
        ${glslWindowSum('familyTerms(k).x', spec.window, String(spec.size))}
        setOutput(sum);
      }
    `,
  };
}

/** Gradient of the reduced family loss, one element per fragment. */
export function familyGradProgram(spec: FamilyGradSpec): WebGLProgram {
  return {
    variableNames: spec.hasWeights ? ['logits', 'targets', 'weights'] : ['logits', 'targets'],
    outputShape: [spec.size],
    customUniforms: FOCAL_UNIFORMS,
    userCode: `
      ${GLSL_MATH}
      ${glslFamilyTerms(spec.member.family, spec.member.params, spec.hasWeights, spec.member.shaders)}
      void main() {
        setOutput(familyTerms(getOutputCoords()).y * uScale);
      }
    `,
  };
}
