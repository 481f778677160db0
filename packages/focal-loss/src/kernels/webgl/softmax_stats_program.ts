import type { SoftmaxStatsSpec } from '../gpu/program_specs.js';
import { glslRowLayout } from './glsl_snippets.js';
import { FOCAL_UNIFORMS } from './uniforms.js';
import type { WebGLProgram } from './webgl_types.js';

/**
 * Row statistics of the softmax: output r is the row's max, output ROWS + r the sum of
 * e^(x_c - max) over the classes other than the (first) argmax, so that s = 1 + rest never
 * needs a subtraction. A NaN logit makes both NaN, and so does an infinite max that is not
 * alone (two +Infinity, or a row of -Infinity: no limit; GPU exp does not reliably keep
 * the NaN of Infinity - Infinity, so it is set here).
 */
export function softmaxStatsProgram(spec: SoftmaxStatsSpec): WebGLProgram {
  return {
    variableNames: ['logits'],
    outputShape: [2 * spec.rows],
    customUniforms: FOCAL_UNIFORMS,
    userCode: `
      ${glslRowLayout(spec)}
      void main() {
        int j = getOutputCoords();
        int r = j < ROWS ? j : j - ROWS;
        int base = rowBase(r);
        float mx = getLogits(base);
        int argmax = 0;
        bool bad = isnan(mx);
        for (int c = 1; c < CLASSES; c++) {
          float v = getLogits(base + c * INNER);
          if (isnan(v)) bad = true;
          if (v > mx) { mx = v; argmax = c; }
        }
        if (bad) { setOutput(NAN); return; }
        if (j < ROWS) { setOutput(mx); return; }
        float rest = 0.0;
        for (int c = 0; c < CLASSES; c++) {
          if (c == argmax) continue;
          float v = getLogits(base + c * INNER);
          if (v == mx && isinf(mx)) { setOutput(NAN); return; }
          rest += exp(v - mx);
        }
        setOutput(rest);
      }
    `,
  };
}
