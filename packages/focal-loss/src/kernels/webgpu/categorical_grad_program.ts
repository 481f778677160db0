import type { CategoricalGradSpec } from '../gpu/program_specs.js';
import { categoricalKey, categoricalVariableNames } from './categorical_inputs.js';
import { flatProgram } from './flat_program.js';
import { WGSL_MATH, wgslCategoricalTerms, wgslRowLayout } from './wgsl_snippets.js';
import type { WebGPUProgram } from './webgpu_types.js';

/** Gradient of the reduced categorical focal loss, one logit per thread. */
export function categoricalGradProgram(spec: CategoricalGradSpec): WebGPUProgram {
  return flatProgram(
    `categorical_grad_${categoricalKey(spec)}`,
    categoricalVariableNames(spec, true),
    spec.rows * spec.classes * spec.inner,
    WGSL_MATH + wgslRowLayout(spec) + wgslCategoricalTerms(spec.hasAlpha, spec.hasWeights),
    `let o = index / (CLASSES * INNER);
     let rem = index - o * CLASSES * INNER;
     let c = rem / INNER;
     let r = o * INNER + (rem - c * INNER);
     let rowTotal = total[r];
     if (isnan(rowTotal)) {
       setOutputAtIndex(index, uniforms.NAN);
     } else {
       let ct = classTerms(r, c);
       setOutputAtIndex(index, (ct.p * (rowTotal - ct.t) - ct.t * ct.u) * uniforms.uScale);
     }`,
  );
}
