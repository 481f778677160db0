import type { CategoricalTotalSpec } from '../gpu/program_specs.js';
import { categoricalVariableNames } from './categorical_inputs.js';
import { GLSL_MATH, glslCategoricalTerms, glslRowLayout } from './glsl_snippets.js';
import { FOCAL_UNIFORMS } from './uniforms.js';
import type { WebGLProgram } from './webgl_types.js';

/** Per row, S = sum over classes of T_c, which every logit's gradient in the row needs. */
export function categoricalTotalProgram(spec: CategoricalTotalSpec): WebGLProgram {
  return {
    variableNames: categoricalVariableNames(spec, false),
    outputShape: [spec.rows],
    customUniforms: FOCAL_UNIFORMS,
    userCode: `
      ${GLSL_MATH}
      ${glslRowLayout(spec)}
      ${glslCategoricalTerms(spec.hasAlpha, spec.hasWeights)}
      void main() {
        int r = getOutputCoords();
        if (rowStatsBad(r)) { setOutput(NAN); return; }
        float total = 0.0;
        for (int c = 0; c < CLASSES; c++) total += classTerms(r, c).t;
        setOutput(total);
      }
    `,
  };
}
