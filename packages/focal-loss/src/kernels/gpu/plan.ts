/**
 * The sequence of GPU programs behind each fused focal-loss kernel, written once for both
 * GPU backends: the plans (elementwise_plans.ts, row_plans.ts) ask a {@link GpuProgramRunner}
 * (runner.ts) to run backend-neutral program specs (program_specs.ts), which the runner
 * builds in GLSL (webgl) or WGSL (webgpu) with the backend's builders. This file holds the
 * steps the plans share: the sum tree and the empty result.
 *
 * Every program writes one float32 output, flat (1-D). Per kernel:
 *   element-wise family (QFL, VFL, Gaussian, Poly-1, ASL, and the sigmoid focal loss and FL*
 *            of FocalLossSigmoid): loss program (per element, or per window of WINDOW
 *            elements for sum/mean) with the loss's snippet (../family/shaders.ts), then sum
 *            passes down to one value; grad program (one pass over the elements).
 *   categorical: the same row stats, a per-row total of the class terms T_c (for the
 *            gradient), loss program (per row or window of rows), grad program (per element).
 *   softmax: row-stats program (row max and sum of e^(x - max) over the non-argmax classes),
 *            loss program (per row or per window of rows), grad program (per element), and
 *            for 'mean' a count of the non-ignored labels, reduced on the GPU as well.
 *   distribution (DFL): the softmax row stats over the bins, loss program (per row or window
 *            of rows), grad program (per logit).
 * Sums go through a tree of WINDOW-wide partial sums (Kahan-compensated within each
 * window), so float32 rounding grows with log_WINDOW(n) rather than n.
 *
 * Why the loss and the gradient are two programs rather than one: tfjs's webgl programs
 * write one texture and its webgpu programs bind one writable buffer. Packing both into one
 * [2, n] output would need a copy to split it (webgpu has no shallow slice), which moves
 * more memory than evaluating the elementwise math twice; for 'sum' and 'mean' the loss
 * program also does the first reduction level, so the per-element loss is never stored.
 * Every program reads its inputs once and writes no intermediate the size of the logits.
 *
 * ±Infinity logits give the limits the CPU kernels give (src/core: 0 with gradient 0, or a
 * +Infinity loss with the gradient's finite limit; NaN where there is none, as for two
 * +Infinity logits in a row); the sum tree carries an infinite partial sum through.
 *
 * Labels and targets are not validated on the GPU (reading them back would stall the
 * pipeline): a label that is not ignoreIndex and is not an integer in [0, C) gives NaN loss
 * and NaN gradient for its row (counted by 'mean'), so the reduced loss is NaN as well; a
 * target outside [0, 1] enters the formulas as it is (the loss can come out negative), and a
 * NaN target gives NaN for its element (sigmoid) or row (categorical).
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';
import type { Reduction } from '../../core/reduction.js';
import type { UniformValues } from '../shader_literals.js';
import { type SumSpec, WINDOW, outputSize } from './program_specs.js';
import type { GpuProgramRunner } from './runner.js';

/** A result with its shape relabelled (the data is flat and unpacked, so this is free). */
export function shaped(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype as DataType };
}

/**
 * Sums `partials` to a single value with WINDOW-wide passes; the last pass applies the
 * finish ('scale': times uScale, 'count': divided by `count`). Disposes `partials`.
 */
export function sumToScalar(
  runner: GpuProgramRunner,
  partials: TensorInfo,
  finish: SumSpec['finish'],
  uniforms: UniformValues,
  count: TensorInfo | null,
): TensorInfo {
  let current = partials;
  let size = partials.shape[0];
  for (;;) {
    const last = size <= WINDOW;
    const spec: SumSpec = { kind: 'sum', size, window: WINDOW, finish: last ? finish : 'none' };
    const inputs = last && finish === 'count' && count !== null ? [current, count] : [current];
    const next = runner.run(spec, inputs, uniforms);
    runner.dispose(current);
    current = next;
    size = outputSize(spec);
    if (last) return current;
  }
}

/** Empty logits: an empty gradient, and loss 0 (sum, mean) or an empty loss (none). */
export function emptyResult(
  runner: GpuProgramRunner,
  shape: readonly number[],
  reduction: Reduction,
  lossShape: number[],
): [TensorInfo, TensorInfo] {
  const loss =
    reduction === 'none' ? shaped(runner.upload(new Float32Array(0)), lossShape) : shaped(runner.upload(new Float32Array(1)), []);
  return [loss, shaped(runner.upload(new Float32Array(0)), [...shape])];
}
