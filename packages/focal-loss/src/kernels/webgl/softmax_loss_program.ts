import type { SoftmaxLossSpec } from '../gpu/plan.js';
import { GLSL_KAHAN, GLSL_MATH, glslRowLayout, glslSoftmaxRowTerms } from './glsl_snippets.js';
import { softmaxVariableNames } from './softmax_inputs.js';
import { FOCAL_UNIFORMS } from './uniforms.js';
import type { WebGLProgram } from './webgl_types.js';

/** Softmax focal loss per row (window 1) or summed over windows of rows. */
export function softmaxLossProgram(spec: SoftmaxLossSpec, outputSize: number): WebGLProgram {
  return {
    variableNames: softmaxVariableNames(spec, false),
    outputShape: [outputSize],
    customUniforms: FOCAL_UNIFORMS,
    userCode: `
      ${GLSL_MATH}
      ${GLSL_KAHAN}
      ${glslRowLayout(spec)}
      ${glslSoftmaxRowTerms(spec)}
      void main() {
        int start = getOutputCoords() * ${spec.window};
        float sum = 0.0;
        float comp = 0.0;
        for (int w = 0; w < ${spec.window}; w++) {
          int r = start + w;
          if (r >= ROWS) break;
          KAHAN_ADD(rowTerms(r).loss);
        }
        setOutput(sum);
      }
    `,
  };
}
