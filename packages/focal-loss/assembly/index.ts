// Entry point of the focal-loss SIMD module (built by scripts/build-wasm.mjs into
// src/kernels/simd/wasm_binary.ts). Kernels: sigmoid.ts, softmax.ts (with softmax_columns.ts
// for few classes), categorical.ts; math: math.ts; the shared edge list: edges.ts.
import { BASE, BUF_BYTES, BUFFERS, CHUNK, L, X } from './layout';
import { vexp, vlog, vlog1p, vlog1pWithInverse } from './math';

export { edges } from './edges';
export { sigmoid } from './sigmoid';
export { softmax } from './softmax';
export { softmaxColumns } from './softmax_columns';
export { categorical } from './categorical';

/** Byte offset of buffer `which` (see layout.ts), -1 past the last. */
export function bufferOffset(which: i32): i32 {
  return which >= 0 && which < BUFFERS ? BASE + which * BUF_BYTES : -1;
}

export function chunkSize(): i32 {
  return CHUNK;
}

/**
 * For the accuracy tests: applies exp (0), log (1), log1p (2) or the sigmoid kernels' log1p
 * for x in [0, 1] (3) to n <= CHUNK floats of X, writing L, so the tests measure the very
 * code the kernels inline.
 */
export function mathProbe(fn: i32, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const v = v128.load(X + i * 4);
    const inv = f32x4.div(f32x4.splat(1.0), f32x4.add(v, f32x4.splat(1.0)));
    const r = fn == 0 ? vexp(v) : fn == 1 ? vlog(v) : fn == 2 ? vlog1p(v) : vlog1pWithInverse(v, inv);
    v128.store(L + i * 4, r);
  }
}
