import type { SoftmaxLossSpec } from '../gpu/program_specs.js';
import { GLSL_MATH, glslWindowSum, glslRowLayout, glslSoftmaxRowTerms } from './glsl_snippets.js';
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
      ${glslRowLayout(spec)}
      ${glslSoftmaxRowTerms(spec)}
      void main() {
        ${glslWindowSum('rowTerms(k).loss', spec.window, 'ROWS')}
        setOutput(sum);
      }
    `,
  };
}
