import type { CategoricalLossSpec } from '../gpu/program_specs.js';
import { categoricalVariableNames } from './categorical_inputs.js';
import { GLSL_MATH, glslWindowSum, glslCategoricalTerms, glslRowLayout } from './glsl_snippets.js';
import { FOCAL_UNIFORMS } from './uniforms.js';
import type { WebGLProgram } from './webgl_types.js';

/** Categorical focal loss per row (window 1) or summed over windows of rows. */
export function categoricalLossProgram(spec: CategoricalLossSpec, outputSize: number): WebGLProgram {
  return {
    variableNames: categoricalVariableNames(spec, false),
    outputShape: [outputSize],
    customUniforms: FOCAL_UNIFORMS,
    userCode: `
      ${GLSL_MATH}
      ${glslRowLayout(spec)}
      ${glslCategoricalTerms(spec.hasAlpha, spec.hasWeights)}
      float rowLoss(int r) {
        if (rowStatsBad(r)) return NAN;
        float loss = 0.0;
        for (int c = 0; c < CLASSES; c++) loss += classTerms(r, c).loss;
        return loss;
      }
      void main() {
        ${glslWindowSum('rowLoss(k)', spec.window, 'ROWS')}
        setOutput(sum);
      }
    `,
  };
}
