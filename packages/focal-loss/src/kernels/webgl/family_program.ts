import type { FamilyGradSpec, FamilyLossSpec } from '../gpu/plan.js';
import { glslFamilyTerms } from '../family/shaders.js';
import { GLSL_KAHAN, GLSL_MATH } from './glsl_snippets.js';
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
      ${GLSL_KAHAN}
      ${glslFamilyTerms(spec.family, spec.params, spec.hasWeights)}
      void main() {
        int start = getOutputCoords() * ${spec.window};
        float sum = 0.0;
        float comp = 0.0;
        for (int w = 0; w < ${spec.window}; w++) {
          int k = start + w;
          if (k >= ${spec.size}) break;
          KAHAN_ADD(familyTerms(k).x);
        }
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
      ${glslFamilyTerms(spec.family, spec.params, spec.hasWeights)}
      void main() {
        setOutput(familyTerms(getOutputCoords()).y * uScale);
      }
    `,
  };
}
