import type { CategoricalGradSpec } from '../gpu/program_specs.js';
import { categoricalVariableNames } from './categorical_inputs.js';
import { GLSL_MATH, glslCategoricalTerms, glslRowLayout } from './glsl_snippets.js';
import { FOCAL_UNIFORMS } from './uniforms.js';
import type { WebGLProgram } from './webgl_types.js';

/** Gradient of the reduced categorical focal loss, one logit per fragment. */
export function categoricalGradProgram(spec: CategoricalGradSpec): WebGLProgram {
  return {
    variableNames: categoricalVariableNames(spec, true),
    outputShape: [spec.rows * spec.classes * spec.inner],
    customUniforms: FOCAL_UNIFORMS,
    userCode: `
      ${GLSL_MATH}
      ${glslRowLayout(spec)}
      ${glslCategoricalTerms(spec.hasAlpha, spec.hasWeights)}
      void main() {
        int k = getOutputCoords();
        int o = k / (CLASSES * INNER);
        int rem = k - o * CLASSES * INNER;
        int c = rem / INNER;
        int r = o * INNER + (rem - c * INNER);
        float total = getTotal(r);
        if (isnan(total)) { setOutput(NAN); return; }
        ClassTerms ct = classTerms(r, c);
        setOutput((ct.p * (total - ct.t) - ct.t * ct.u) * uScale);
      }
    `,
  };
}
