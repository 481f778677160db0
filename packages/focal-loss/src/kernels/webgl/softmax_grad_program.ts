import type { SoftmaxGradSpec } from '../gpu/program_specs.js';
import { GLSL_MATH, glslRowLayout, glslSoftmaxRowTerms } from './glsl_snippets.js';
import { softmaxVariableNames } from './softmax_inputs.js';
import { FOCAL_UNIFORMS } from './uniforms.js';
import type { WebGLProgram } from './webgl_types.js';

/** Gradient of the reduced softmax focal loss, one logit per fragment. */
export function softmaxGradProgram(spec: SoftmaxGradSpec): WebGLProgram {
  const scale = spec.divideByCount
    ? 'float rowCount = getCount(0); float scale = rowCount > 0.0 ? 1.0 / rowCount : 0.0;'
    : 'float scale = uScale;';
  return {
    variableNames: softmaxVariableNames(spec, spec.divideByCount),
    outputShape: [spec.rows * spec.classes * spec.inner],
    customUniforms: FOCAL_UNIFORMS,
    userCode: `
      ${GLSL_MATH}
      ${glslRowLayout(spec)}
      ${glslSoftmaxRowTerms(spec)}
      void main() {
        int k = getOutputCoords();
        int o = k / (CLASSES * INNER);
        int rem = k - o * CLASSES * INNER;
        int c = rem / INNER;
        int r = o * INNER + (rem - c * INNER);
        RowTerms rt = rowTerms(r);
        if (rt.label == -1) { setOutput(0.0); return; }
        ${scale}
        float g = rt.coef * scale;
        float xc = getLogits(k);
        // 1 at the max, also a +Infinity one (exp(Infinity - Infinity) would be NaN).
        float e = xc == rt.mx ? 1.0 : exp(xc - rt.mx);
        setOutput(c == rt.label ? -g * rt.u : g * (e / rt.s));
      }
    `,
  };
}
