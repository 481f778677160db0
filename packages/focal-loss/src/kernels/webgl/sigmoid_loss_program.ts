import type { SigmoidLossSpec } from '../gpu/plan.js';
import { GLSL_KAHAN, GLSL_MATH, glslSigmoidTerms } from './glsl_snippets.js';
import { FOCAL_UNIFORMS } from './uniforms.js';
import type { WebGLProgram } from './webgl_types.js';

/** Sigmoid focal loss per element (window 1) or summed over windows of elements. */
export function sigmoidLossProgram(spec: SigmoidLossSpec, outputSize: number): WebGLProgram {
  return {
    variableNames: spec.hasWeights ? ['logits', 'targets', 'weights'] : ['logits', 'targets'],
    outputShape: [outputSize],
    customUniforms: FOCAL_UNIFORMS,
    userCode: `
      ${GLSL_MATH}
      ${GLSL_KAHAN}
      ${glslSigmoidTerms(spec.mode, spec.hasAlpha, spec.hasWeights)}
      void main() {
        int start = getOutputCoords() * ${spec.window};
        float sum = 0.0;
        float comp = 0.0;
        for (int w = 0; w < ${spec.window}; w++) {
          int k = start + w;
          if (k >= ${spec.size}) break;
          KAHAN_ADD(sigmoidTerms(k).x);
        }
        setOutput(sum);
      }
    `,
  };
}
