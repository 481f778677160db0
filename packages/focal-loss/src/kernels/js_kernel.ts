/**
 * The three focal-loss kernels as backend-neutral JS over typed arrays: each takes the
 * input arrays and output arrays (loss, grad) and fills them through the core. cpu.ts and
 * wasm.ts differ only in how they obtain those arrays.
 */
import { categoricalFocalLossInto } from '../core/categorical.js';
import type { FloatArray, NumericArray } from '../core/numerics.js';
import { sigmoidFocalLossInto } from '../core/sigmoid.js';
import { softmaxFocalLossInto } from '../core/softmax.js';
import { categoricalOptionsOf, layoutOf, lossShapeOf, sigmoidOptionsOf, softmaxOptionsOf } from './attrs.js';
import {
  CATEGORICAL_FOCAL_LOSS, type CategoricalFocalLossAttrs, SIGMOID_FOCAL_LOSS,
  type SigmoidFocalLossAttrs, SOFTMAX_FOCAL_LOSS, type SoftmaxFocalLossAttrs,
} from './kernel_names.js';
import { DISTRIBUTION_FOCAL_LOSS, type DistributionFocalLossAttrs, runDistributionJs } from './family/distribution.js';
import { ELEMENTWISE_FOCAL_LOSS, type ElementwiseFocalLossAttrs, runElementwiseJs } from './family/kernel.js';

export interface JsKernelSpec {
  /** Name of the input holding targets or labels. */
  second: 'targets' | 'labels';
  /** Shape of the loss output for these logits and attrs. */
  lossShape(logitsShape: number[], attrs: object): number[];
  /** Fills `grad` (and `loss`: one value, or per element for 'none'). */
  run(logits: NumericArray, second: NumericArray, weights: NumericArray | null, logitsShape: number[], attrs: object, loss: FloatArray, grad: FloatArray): void;
}

export const JS_KERNELS: Record<string, JsKernelSpec> = {
  [SIGMOID_FOCAL_LOSS]: {
    second: 'targets',
    lossShape: (shape, attrs) => lossShapeOf(shape, (attrs as SigmoidFocalLossAttrs).reduction, null),
    run(logits, targets, weights, _shape, attrs, loss, grad) {
      const options = sigmoidOptionsOf(attrs as SigmoidFocalLossAttrs);
      const perElement = options.reduction === 'none';
      const reduced = sigmoidFocalLossInto(logits, targets, weights, options, perElement ? loss : null, grad);
      if (!perElement) loss[0] = reduced;
    },
  },
  [SOFTMAX_FOCAL_LOSS]: {
    second: 'labels',
    lossShape: (shape, attrs) => lossShapeOf(shape, (attrs as SoftmaxFocalLossAttrs).reduction, (attrs as SoftmaxFocalLossAttrs).axis),
    run(logits, labels, weights, shape, attrs, loss, grad) {
      const a = attrs as SoftmaxFocalLossAttrs;
      const perElement = a.reduction === 'none';
      const reduced = softmaxFocalLossInto(logits, labels, weights, layoutOf(shape, a.axis), softmaxOptionsOf(a), perElement ? loss : null, grad);
      if (!perElement) loss[0] = reduced.loss;
    },
  },
  [CATEGORICAL_FOCAL_LOSS]: {
    second: 'targets',
    lossShape: (shape, attrs) => lossShapeOf(shape, (attrs as CategoricalFocalLossAttrs).reduction, (attrs as CategoricalFocalLossAttrs).axis),
    run(logits, targets, weights, shape, attrs, loss, grad) {
      const a = attrs as CategoricalFocalLossAttrs;
      const perElement = a.reduction === 'none';
      const reduced = categoricalFocalLossInto(logits, targets, weights, layoutOf(shape, a.axis), categoricalOptionsOf(a), perElement ? loss : null, grad);
      if (!perElement) loss[0] = reduced;
    },
  },
  // Every element-wise member of the focal family (src/core/family), one kernel.
  [ELEMENTWISE_FOCAL_LOSS]: {
    second: 'targets',
    lossShape: (shape, attrs) => lossShapeOf(shape, (attrs as ElementwiseFocalLossAttrs).reduction, null),
    run(logits, targets, weights, _shape, attrs, loss, grad) {
      runElementwiseJs(logits, targets, weights, attrs as ElementwiseFocalLossAttrs, loss, grad);
    },
  },
  // Distribution Focal Loss (src/core/family/distribution.ts): bins on the last axis.
  [DISTRIBUTION_FOCAL_LOSS]: {
    second: 'targets',
    lossShape: (shape, attrs) => lossShapeOf(shape, (attrs as DistributionFocalLossAttrs).reduction, shape.length - 1),
    run(logits, targets, weights, _shape, attrs, loss, grad) {
      runDistributionJs(logits, targets, weights, attrs as DistributionFocalLossAttrs, loss, grad);
    },
  },
};
