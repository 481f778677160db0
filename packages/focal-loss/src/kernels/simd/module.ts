/**
 * Loads the SIMD module (assembly/, inlined as base64 by scripts/build-wasm.mjs) and gives
 * the kernels typed-array views of its fixed buffers. The module's memory never grows, so
 * the views stay valid for the life of the instance.
 */
import { FOCAL_SIMD_WASM_BASE64 } from './wasm_binary.js';
import { focalLossSimdMode } from './switch.js';

export interface SimdExports {
  sigmoid(
    n: number,
    star: number,
    alpha: number,
    gamma: number,
    gammaMode: number,
    beta: number,
    keep: number,
    add: number,
    hasWeights: number,
    wantLoss: number,
    wantGrad: number,
    gradScale: number,
  ): number;
  /** Length of the edge list the last kernel call wrote. */
  edges(): number;
  softmax(
    rows: number,
    classes: number,
    useAlpha: number,
    gamma: number,
    gammaMode: number,
    hasWeights: number,
    wantLoss: number,
    wantGrad: number,
    gradScale: number,
  ): number;
  softmaxColumns(
    rows: number,
    stride: number,
    classes: number,
    useAlpha: number,
    gamma: number,
    gammaMode: number,
    hasWeights: number,
    wantLoss: number,
    wantGrad: number,
    gradScale: number,
  ): number;
  categorical(
    rows: number,
    classes: number,
    useAlpha: number,
    gamma: number,
    gammaMode: number,
    keep: number,
    add: number,
    hasWeights: number,
    wantLoss: number,
    wantGrad: number,
    gradScale: number,
  ): number;
  mathProbe(fn: number, n: number): void;
  bufferOffset(which: number): number;
  chunkSize(): number;
  memory: WebAssembly.Memory;
}

/** The instance with views of its buffers; offsets are in elements of the view they index. */
export interface SimdKernels {
  exports: SimdExports;
  f32: Float32Array;
  i32: Int32Array;
  f64: Float64Array;
  /** Elements per call. */
  chunk: number;
  x: number;
  t: number;
  w: number;
  l: number;
  g: number;
  e: number;
  y: number;
  /** In f64 elements. */
  a: number;
}

/**
 * (module (func (result v128) (v128.const i32x4 0 0 0 0))): validates only where the engine
 * has 128-bit SIMD. Checked before the real module is decoded and compiled.
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x16, 0x01, 0x14,
  0x00, 0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b,
]);

let supported: boolean | undefined;

/** Whether this engine has WebAssembly 128-bit SIMD. */
export function simdSupported(): boolean {
  if (supported === undefined) {
    try {
      supported = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
    } catch {
      supported = false;
    }
  }
  return supported;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function wrap(instance: WebAssembly.Instance): SimdKernels {
  const exports = instance.exports as unknown as SimdExports;
  const buffer = exports.memory.buffer;
  const at = (which: number, bytes: number): number => exports.bufferOffset(which) / bytes;
  return {
    exports,
    f32: new Float32Array(buffer),
    i32: new Int32Array(buffer),
    f64: new Float64Array(buffer),
    chunk: exports.chunkSize(),
    x: at(0, 4),
    t: at(1, 4),
    w: at(2, 4),
    l: at(3, 4),
    g: at(4, 4),
    e: at(5, 4),
    a: at(6, 8),
    y: at(7, 4),
  };
}

/** Calls that took the SIMD kernels, by kernel: lets tests and benchmarks confirm the path. */
export const simdCalls = { sigmoid: 0, softmax: 0, categorical: 0 };

let kernels: SimdKernels | null = null;
let pending: Promise<SimdKernels | null> | null = null;
let loadError: Error | null = null;

/**
 * The module, instantiated on first use. Compilation is synchronous where the engine allows
 * it (Node, workers); a browser main thread may refuse to compile synchronously, and then it
 * is compiled asynchronously (see loadSimdKernels) while the calls before take the JS path.
 */
export function simdKernels(): SimdKernels | null {
  // Already loaded, failed, compiling asynchronously, or no SIMD: nothing to try again.
  if (kernels !== null || loadError !== null || pending !== null || !simdSupported()) return kernels;
  const bytes = decodeBase64(FOCAL_SIMD_WASM_BASE64);
  try {
    kernels = wrap(new WebAssembly.Instance(new WebAssembly.Module(bytes), {}));
  } catch {
    // e.g. a browser main thread refusing a synchronous compile of this size.
    pending = WebAssembly.compile(bytes)
      .then((module) => WebAssembly.instantiate(module, {}))
      .then(
        (instance) => (kernels = wrap(instance)),
        (asyncError: unknown) => {
          loadError = asyncError instanceof Error ? asyncError : new Error(String(asyncError));
          return null;
        },
      );
  }
  return kernels;
}

/**
 * Loads the WebAssembly SIMD module of the cpu and wasm kernels and resolves once it is loaded
 * (or has failed to load): true where SIMD is ready. Node compiles it on first use anyway; a
 * browser main thread may compile it asynchronously, and kernel calls before it is ready take
 * the JS loops, so await this first where the path matters.
 *
 * ```js
 * import { loadFocalLossSimd, focalLossSimdActive } from 'focal-loss';
 * const ready = await loadFocalLossSimd();
 * console.log(ready, focalLossSimdActive()); // true true where the engine has WebAssembly SIMD
 * ```
 */
export async function loadSimdKernels(): Promise<boolean> {
  if (simdKernels() !== null) return true;
  if (pending !== null) await pending;
  return kernels !== null;
}

/**
 * The kernels the fused cpu/wasm paths should use now: null to take the JS loops (mode
 * 'off', or 'auto' without SIMD). Mode 'on' without SIMD throws, naming the setting.
 */
export function activeSimdKernels(): SimdKernels | null {
  const mode = focalLossSimdMode();
  if (mode === 'off') return null;
  const k = simdKernels();
  if (k === null && mode === 'on') {
    const why = !simdSupported()
      ? 'this WebAssembly engine has no 128-bit SIMD'
      : loadError !== null
        ? `the module failed to load: ${loadError.message}`
        : 'the module is still compiling (await loadSimdKernels() first)';
    throw new Error(`focal-loss: the SIMD path is forced on (setFocalLossSimd / FOCAL_LOSS_SIMD=1) but ${why}`);
  }
  return k;
}

/** Arrays the kernels copy into their float32 buffers: a float32 tensor's values on the cpu backend may be an Int32Array (a cast from int32 shares its data). */
export type KernelInput = Float32Array | Int32Array;

export function isKernelInput(a: unknown): a is KernelInput {
  return a instanceof Float32Array || a instanceof Int32Array;
}

/** Exponent cases the kernels compute with exact products: gamma 0..4 → 0..4, else 5 (exp/log). */
export function gammaModeOf(gamma: number): number {
  return gamma === 0 || gamma === 1 || gamma === 2 || gamma === 3 || gamma === 4 ? gamma : 5;
}
