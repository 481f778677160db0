import type { SoftmaxGradSpec } from '../gpu/program_specs.js';
import { flatProgram } from './flat_program.js';
import { softmaxKey, softmaxVariableNames } from './softmax_inputs.js';
import { WGSL_MATH, wgslRowLayout, wgslSoftmaxRowTerms } from './wgsl_snippets.js';
import type { WebGPUProgram } from './webgpu_types.js';

/** Gradient of the reduced softmax focal loss, one logit per thread. */
export function softmaxGradProgram(spec: SoftmaxGradSpec): WebGPUProgram {
  const { rows, classes, inner, divideByCount } = spec;
  const scale = divideByCount
    ? 'let rowCount = count[0]; let scale = select(0.0, 1.0 / rowCount, rowCount > 0.0);'
    : 'let scale = uniforms.uScale;';
  return flatProgram(
    `softmax_grad_${rows}_${classes}_${inner}_${divideByCount}_${softmaxKey(spec)}`,
    softmaxVariableNames(spec, divideByCount),
    rows * classes * inner,
    WGSL_MATH + wgslRowLayout(spec) + wgslSoftmaxRowTerms(spec),
    `let o = index / (CLASSES * INNER);
     let rem = index - o * CLASSES * INNER;
     let c = rem / INNER;
     let r = o * INNER + (rem - c * INNER);
     let rt = rowTerms(r);
     if (rt.label == -1) {
       setOutputAtIndex(index, 0.0);
     } else {
       ${scale}
       let g = rt.coef * scale;
       let xc = f32(logits[index]);
       // 1 at the max, also a +Infinity one (exp(Infinity - Infinity) would be NaN).
       let e = select(exp(xc - rt.mx), 1.0, xc == rt.mx);
       setOutputAtIndex(index, select(g * (e / rt.s), -g * rt.u, c == rt.label));
     }`,
  );
}
