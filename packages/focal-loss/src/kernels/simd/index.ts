/** The WebAssembly SIMD path of the fused cpu and wasm kernels (see switch.ts, module.ts). */
export { type FocalLossSimdMode, focalLossSimdMode, setFocalLossSimd } from './switch.js';
export { activeSimdKernels, loadSimdKernels, simdCalls, simdSupported } from './module.js';
export { SIMD_MATH_BOUNDS, type SimdMathFunction, simdMath } from './math_probe.js';
export { sigmoidSimdApplies, sigmoidSimdInto } from './sigmoid.js';
export { softmaxSimdApplies, softmaxSimdInto, softmaxSimdMaxClasses } from './softmax.js';
export { categoricalSimdApplies, categoricalSimdInto } from './categorical.js';

import { activeSimdKernels } from './module.js';

/** Whether a fused cpu/wasm kernel called now takes the SIMD path (throws as activeSimdKernels does). */
export function focalLossSimdActive(): boolean {
  return activeSimdKernels() !== null;
}
