// The WebAssembly SIMD path of the fused cpu and wasm kernels (see switch.ts, module.ts).
export { type FocalLossSimdMode, focalLossSimdMode, setFocalLossSimd } from './switch.js';
export { activeSimdKernels, loadSimdKernels, simdCalls, simdSupported } from './module.js';
export { SIMD_MATH_BOUNDS, type SimdMathFunction, simdMath } from './math_probe.js';
export { sigmoidSimdApplies, sigmoidSimdInto } from './sigmoid.js';
export { softmaxSimdApplies, softmaxSimdInto, softmaxSimdMaxClasses } from './softmax.js';
export { categoricalSimdApplies, categoricalSimdInto } from './categorical.js';

import { activeSimdKernels } from './module.js';

/**
 * Whether a fused cpu or wasm kernel called now takes the WebAssembly SIMD path (false: the
 * JS loops). Throws where the mode is 'on' but SIMD is missing or not loaded yet.
 *
 * ```js
 * import { focalLossSimdActive, setFocalLossSimd } from 'focal-loss';
 * console.log(focalLossSimdActive()); // true where the engine has WebAssembly SIMD
 * setFocalLossSimd('off');
 * console.log(focalLossSimdActive()); // false
 * setFocalLossSimd(null);
 * ```
 */
export function focalLossSimdActive(): boolean {
  return activeSimdKernels() !== null;
}
