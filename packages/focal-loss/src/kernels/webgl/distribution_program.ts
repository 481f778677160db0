import type { DistributionGradSpec, DistributionLossSpec, RowLayout } from '../gpu/program_specs.js';
import { GLSL_MATH, glslWindowSum, glslRowLayout } from './glsl_snippets.js';
import { FOCAL_UNIFORMS } from './uniforms.js';
import type { WebGLProgram } from './webgl_types.js';

/**
 * DFL row terms from the softmax row stats (max mx, rest = the other bins' sum of
 * e^(x - mx), s = 1 + rest), as src/core/family/distribution.ts:
 *   l = min(floor(y), R - 1), w_l = l + 1 - y, w_r = y - l,
 *   -log S_j = (mx - x_j) + log1p(rest)  (0 + log1p(rest) where x_j is the max, also at +Infinity),
 *   loss = w (w_l nll_l + w_r nll_r) with 0 · Infinity = 0,
 *   d/dx_j = S_j - target_j, at the max (1 - target_j) - rest / s (no cancellation as S -> 1).
 * A NaN row (NaN logit, two +Infinity) and a target outside [0, R] give NaN (targets are not
 * read back to be checked on the GPU).
 */
function glslDistributionTerms(layout: RowLayout, hasWeights: boolean): string {
  return `
  ${glslRowLayout(layout)}
  struct DflRow { bool bad; int l; float wl; float wr; float mx; float rest; float w; };
  DflRow dflRow(int r) {
    float y = getTargets(r);
    float mx = getStats(r);
    float rest = getStats(ROWS + r);
    DflRow d = DflRow(false, 0, 0.0, 0.0, mx, rest, ${hasWeights ? 'getWeights(r)' : '1.0'});
    if (isnan(mx) || isnan(rest) || !(y >= 0.0 && y <= float(CLASSES - 1))) { d.bad = true; return d; }
    float lf = min(floor(y), float(CLASSES - 2));
    d.l = int(lf);
    d.wl = lf + 1.0 - y;
    d.wr = y - lf;
    return d;
  }
  float binNll(int k, float mx, float rest) {
    float x = getLogits(k);
    return (x == mx ? 0.0 : mx - x) + log1pNonNeg(rest);
  }
  float dflLoss(int r) {
    DflRow d = dflRow(r);
    if (d.bad) return NAN;
    int base = r * CLASSES;
    float sum = weighted(d.wl, binNll(base + d.l, d.mx, d.rest)) + weighted(d.wr, binNll(base + d.l + 1, d.mx, d.rest));
    return weighted(d.w, sum);
  }
`;
}

function variableNames(hasWeights: boolean): string[] {
  return hasWeights ? ['logits', 'targets', 'stats', 'weights'] : ['logits', 'targets', 'stats'];
}

/** DFL per row (window 1) or summed over windows of rows. */
export function distributionLossProgram(spec: DistributionLossSpec, outputSize: number): WebGLProgram {
  return {
    variableNames: variableNames(spec.hasWeights),
    outputShape: [outputSize],
    customUniforms: FOCAL_UNIFORMS,
    userCode: `
      ${GLSL_MATH}
      ${glslDistributionTerms(spec, spec.hasWeights)}
      void main() {
        ${glslWindowSum('dflLoss(k)', spec.window, 'ROWS')}
        setOutput(sum);
      }
    `,
  };
}

/** Gradient of the reduced DFL, one logit per fragment, times uScale. */
export function distributionGradProgram(spec: DistributionGradSpec): WebGLProgram {
  return {
    variableNames: variableNames(spec.hasWeights),
    outputShape: [spec.rows * spec.classes],
    customUniforms: FOCAL_UNIFORMS,
    userCode: `
      ${GLSL_MATH}
      ${glslDistributionTerms(spec, spec.hasWeights)}
      void main() {
        int k = getOutputCoords();
        int r = k / CLASSES;
        int j = k - r * CLASSES;
        DflRow d = dflRow(r);
        if (d.bad) { setOutput(NAN); return; }
        float g = d.w == 0.0 ? 0.0 : d.w * uScale;
        if (g == 0.0) { setOutput(0.0); return; }
        float binWeight = j == d.l ? d.wl : (j == d.l + 1 ? d.wr : 0.0);
        float x = getLogits(k);
        float s = 1.0 + d.rest;
        float grad = x == d.mx ? (1.0 - binWeight) - d.rest / s : exp(x - d.mx) / s - binWeight;
        setOutput(grad * g);
      }
    `,
  };
}
