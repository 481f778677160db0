import type { SigmoidGradSpec } from '../gpu/plan.js';
import { GLSL_MATH, glslSigmoidTerms } from './glsl_snippets.js';
import { FOCAL_UNIFORMS } from './uniforms.js';
import type { WebGLProgram } from './webgl_types.js';

/** Gradient of the reduced sigmoid focal loss (or FL*), one element per fragment. */
export function sigmoidGradProgram(spec: SigmoidGradSpec): WebGLProgram {
  return {
    variableNames: spec.hasWeights ? ['logits', 'targets', 'weights'] : ['logits', 'targets'],
    outputShape: [spec.size],
    customUniforms: FOCAL_UNIFORMS,
    userCode: `
      ${GLSL_MATH}
      ${glslSigmoidTerms(spec.mode, spec.hasAlpha, spec.hasWeights)}
      void main() {
        setOutput(sigmoidTerms(getOutputCoords()).y * uScale);
      }
    `,
  };
}
