/**
 * Which path the fused cpu and wasm kernels take: the WebAssembly SIMD kernels or the float64
 * JS loops of `focal-loss/core`. 'auto' (the default) takes SIMD where the engine supports it,
 * 'on' forces it, 'off' takes the JS loops. The environment variable FOCAL_LOSS_SIMD (0 / 1 /
 * auto) sets the default in Node; {@link setFocalLossSimd} overrides it, for tests and
 * benchmarks.
 */
export type FocalLossSimdMode = 'auto' | 'on' | 'off';

let programmatic: FocalLossSimdMode | null = null;

function modeOf(value: unknown, what: string): FocalLossSimdMode {
  if (value === true || value === 'on' || value === '1') return 'on';
  if (value === false || value === 'off' || value === '0') return 'off';
  if (value === 'auto' || value === '') return 'auto';
  throw new Error(
    `focal-loss: ${what} must be 'auto', 'on', 'off', true or false${what.startsWith('FOCAL') ? " (or '0' / '1')" : ''}, got ${JSON.stringify(value)}`,
  );
}

/**
 * Forces the SIMD path on (true / 'on': a kernel call then throws where WebAssembly SIMD is
 * missing) or off (false / 'off': the JS loops), or returns to the default (null / 'auto':
 * FOCAL_LOSS_SIMD where set, else SIMD where supported).
 *
 * @param mode 'on' or true, 'off' or false, 'auto', or null for the default.
 *
 * ```js
 * import * as tf from '@tensorflow/tfjs';
 * import { setFocalLossSimd, sigmoidFocalLoss } from 'focal-loss';
 * // Compare the float64 JS loops with the SIMD kernels on the cpu backend.
 * await tf.setBackend('cpu');
 * const logits = tf.tensor1d([2, -1, 0.5]);
 * const targets = tf.tensor1d([1, 0, 1]);
 * setFocalLossSimd('off');
 * sigmoidFocalLoss(logits, targets).print();
 * setFocalLossSimd(null); // back to the default
 * sigmoidFocalLoss(logits, targets).print();
 * ```
 */
export function setFocalLossSimd(mode: FocalLossSimdMode | boolean | null): void {
  programmatic = mode === null ? null : modeOf(mode, 'setFocalLossSimd(mode)');
}

/**
 * The SIMD mode in force: {@link setFocalLossSimd}'s, else the environment variable
 * FOCAL_LOSS_SIMD's, else 'auto'.
 *
 * ```js
 * import { focalLossSimdMode, setFocalLossSimd } from 'focal-loss';
 * console.log(focalLossSimdMode()); // 'auto' unless FOCAL_LOSS_SIMD is set
 * setFocalLossSimd(false);
 * console.log(focalLossSimdMode()); // 'off'
 * setFocalLossSimd(null);
 * ```
 */
export function focalLossSimdMode(): FocalLossSimdMode {
  if (programmatic !== null) return programmatic;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.FOCAL_LOSS_SIMD;
  return env === undefined ? 'auto' : modeOf(env.trim().toLowerCase(), 'FOCAL_LOSS_SIMD');
}
