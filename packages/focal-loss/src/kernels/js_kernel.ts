/**
 * The focal-loss kernels as backend-neutral JS over typed arrays: each takes the input
 * arrays and output arrays (loss, grad) and fills them, through the WebAssembly SIMD module
 * (./simd) where it is active and takes the call, else through the float64 core. cpu.ts and
 * wasm.ts differ only in how they obtain those arrays. A null grad (forward only, no tape
 * recording) skips the gradient, on the SIMD path and in the core loops alike.
 */
import { categoricalFocalLossInto } from '../core/categorical.js';
import type { FloatArray, NumericArray } from '../core/numerics.js';
import { sigmoidFocalLossInto } from '../core/sigmoid.js';
import { softmaxFocalLossInto } from '../core/softmax.js';
import { categoricalOptionsOf, layoutOf, lossShapeOf, softmaxOptionsOf } from './attrs.js';
import { runDistributionJs } from './family/distribution.js';
import { runElementwiseJs } from './family/kernel.js';
import {
  CATEGORICAL_FOCAL_LOSS,
  DISTRIBUTION_FOCAL_LOSS,
  ELEMENTWISE_FOCAL_LOSS,
  type FocalKernelAttrs,
  type FocalLossKernelName,
  SIGMOID_FOCAL_LOSS,
  SOFTMAX_FOCAL_LOSS,
} from './kernel_names.js';
import {
  activeSimdKernels,
  categoricalSimdApplies,
  categoricalSimdInto,
  sigmoidSimdApplies,
  sigmoidSimdInto,
  softmaxSimdApplies,
  softmaxSimdInto,
} from './simd/index.js';
import type { KernelInput } from './simd/module.js';

export interface JsKernelSpec<K extends FocalLossKernelName> {
  /** Name of the input holding targets or labels. */
  second: 'targets' | 'labels';
  /** Shape of the loss output for these logits and attrs. */
  lossShape(logitsShape: number[], attrs: FocalKernelAttrs[K]): number[];
  /** Fills `grad` unless null (and `loss`: one value, or per element for 'none'). */
  run(
    logits: NumericArray,
    second: NumericArray,
    weights: NumericArray | null,
    logitsShape: number[],
    attrs: FocalKernelAttrs[K],
    loss: FloatArray,
    grad: FloatArray | null,
  ): void;
}

export const JS_KERNELS: { [K in FocalLossKernelName]: JsKernelSpec<K> } = {
  [SIGMOID_FOCAL_LOSS]: {
    second: 'targets',
    lossShape: (shape, attrs) => lossShapeOf(shape, attrs.reduction, null),
    run(logits, targets, weights, _shape, options, loss, grad) {
      const perElement = options.reduction === 'none';
      const lossOut = perElement ? loss : null;
      const simd = activeSimdKernels();
      const reduced =
        simd !== null && sigmoidSimdApplies(logits, targets, weights, lossOut, grad)
          ? sigmoidSimdInto(
              simd,
              logits as KernelInput,
              targets as KernelInput,
              weights as KernelInput | null,
              options,
              lossOut as Float32Array | null,
              grad as Float32Array | null,
            )
          : sigmoidFocalLossInto(logits, targets, weights, options, lossOut, grad);
      if (!perElement) loss[0] = reduced;
    },
  },
  [SOFTMAX_FOCAL_LOSS]: {
    second: 'labels',
    lossShape: (shape, attrs) => lossShapeOf(shape, attrs.reduction, attrs.axis),
    run(logits, labels, weights, shape, a, loss, grad) {
      const perElement = a.reduction === 'none';
      const lossOut = perElement ? loss : null;
      const layout = layoutOf(shape, a.axis);
      const simd = activeSimdKernels();
      const reduced =
        simd !== null && softmaxSimdApplies(simd, logits, labels, weights, layout, lossOut, grad)
          ? softmaxSimdInto(
              simd,
              logits as KernelInput,
              labels,
              weights as KernelInput | null,
              layout,
              softmaxOptionsOf(a),
              lossOut as Float32Array | null,
              grad as Float32Array | null,
            )
          : softmaxFocalLossInto(logits, labels, weights, layout, softmaxOptionsOf(a), lossOut, grad);
      if (!perElement) loss[0] = reduced.loss;
    },
  },
  [CATEGORICAL_FOCAL_LOSS]: {
    second: 'targets',
    lossShape: (shape, attrs) => lossShapeOf(shape, attrs.reduction, attrs.axis),
    run(logits, targets, weights, shape, a, loss, grad) {
      const perElement = a.reduction === 'none';
      const lossOut = perElement ? loss : null;
      const layout = layoutOf(shape, a.axis);
      const simd = activeSimdKernels();
      const reduced =
        simd !== null && categoricalSimdApplies(simd, logits, targets, weights, layout, lossOut, grad)
          ? categoricalSimdInto(
              simd,
              logits as KernelInput,
              targets as KernelInput,
              weights as KernelInput | null,
              layout,
              categoricalOptionsOf(a),
              lossOut as Float32Array | null,
              grad as Float32Array | null,
            )
          : categoricalFocalLossInto(logits, targets, weights, layout, categoricalOptionsOf(a), lossOut, grad);
      if (!perElement) loss[0] = reduced;
    },
  },
  // Every element-wise member of the focal family (src/core/family), one kernel.
  [ELEMENTWISE_FOCAL_LOSS]: {
    second: 'targets',
    lossShape: (shape, attrs) => lossShapeOf(shape, attrs.reduction, null),
    run(logits, targets, weights, _shape, attrs, loss, grad) {
      runElementwiseJs(logits, targets, weights, attrs, loss, grad);
    },
  },
  // Distribution Focal Loss (src/core/family/distribution.ts): bins on the last axis.
  [DISTRIBUTION_FOCAL_LOSS]: {
    second: 'targets',
    lossShape: (shape, attrs) => lossShapeOf(shape, attrs.reduction, shape.length - 1),
    run(logits, targets, weights, _shape, attrs, loss, grad) {
      runDistributionJs(logits, targets, weights, attrs, loss, grad);
    },
  },
};
