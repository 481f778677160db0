/**
 * What the segmentation region ops (diceLoss, focalTverskyLoss, unifiedFocalLoss) share:
 * reading logits and targets into [groups, pixels, classes] probabilities and masks, the
 * overlap sums, the score complement without cancellation, a power whose gradient stays
 * finite at 0, and the reduction. Composites of TF.js ops: the gradients come from autodiff.
 * The float64 reference of the same math is src/core/region.ts.
 */
import {
  type GradSaveFunc,
  type Tensor,
  type TensorLike,
  add,
  argMax,
  broadcastTo,
  cast,
  concat,
  customGrad,
  div,
  exp,
  greater,
  log1p,
  max,
  mean,
  mul,
  neg,
  notEqual,
  oneHot,
  pow,
  reshape,
  scalar,
  sigmoid,
  slice,
  softplus,
  sub,
  sum,
  tensor1d,
  where,
  zeros,
  zerosLike,
} from '@tensorflow/tfjs-core';
import type { Reduction } from '../core/reduction.js';
import {
  type RegionActivation,
  type RegionLayout,
  checkClassWeights,
  checkFlag,
  checkRegionLabels,
  checkRegionMasks,
  regionLayout,
} from '../core/region_options.js';
import { dataOnCpu } from '../kernels/cpu_backends.js';
import { asFloat32, toTensor } from './inputs.js';

/** Probabilities, their complements, log-probabilities and targets, each [groups, pixels, classes]. */
export interface RegionTensors {
  empty: false;
  layout: RegionLayout;
  groups: number;
  classes: number;
  p: Tensor;
  /** 1 - p from the logits (σ(-x), or the other classes' share): no cancellation where p is close to 1. */
  q: Tensor;
  logp: Tensor;
  t: Tensor;
  /** [groups, pixels, 1]: 1 where the pixel counts, 0 where its label is ignoreIndex; null when none is. */
  counted: Tensor | null;
}

/**
 * Inputs that hold no pixel (batch 0, or a spatial axis of length 0), checked as any others
 * but not computed on: only their logits (to tie the loss to them) and layout.
 */
export interface EmptyRegion {
  empty: true;
  layout: RegionLayout;
  groups: number;
  /** The classes the loss sees (2 for one sigmoid channel read as two classes). */
  classes: number;
  logits: Tensor;
}

export interface RegionInputOptions {
  activation: RegionActivation;
  ignoreIndex: number | null;
  perImage: boolean;
  /** One sigmoid channel read as two classes [background, foreground] = softmax([0, x]) = [σ(-x), σ(x)]. */
  binaryAsTwoClasses?: boolean;
}

/**
 * Checks and reads the inputs (call inside tidy). Targets are masks of the logits' shape
 * (values in [0, 1]) or, with softmax, integer labels without the class axis (one-hot here).
 * Their values are checked where the data is on the CPU (as the other ops do); on webgl and
 * webgpu they are not read back, and a label outside [0, C) gets an all-zero target row.
 * Inputs with no pixel come back as an {@link EmptyRegion}: no reduction is run over an empty
 * axis, which the backends do not agree on (wasm's sum returns uninitialised memory there, and
 * some of its kernels fail with "divide by zero").
 */
export function regionTensors(
  op: string,
  logits: Tensor | TensorLike,
  targets: Tensor | TensorLike,
  options: RegionInputOptions,
): RegionTensors | EmptyRegion {
  let x = asFloat32(toTensor(logits, 'logits', op), 'logits', op);
  const y = toTensor(targets, 'targets', op, null);
  if (y.dtype !== 'float32' && y.dtype !== 'int32' && y.dtype !== 'bool') {
    throw new Error(`${op}: targets must be numeric, got dtype ${y.dtype}`);
  }
  const layout = regionLayout(op, x.shape, y.shape, y.size, options.activation, options.ignoreIndex);
  if (dataOnCpu()) {
    if (layout.labels) checkRegionLabels(op, y.dataSync(), layout.classes, options.ignoreIndex);
    else checkRegionMasks(op, y.dataSync());
  }
  const twoClasses = options.binaryAsTwoClasses === true;
  if (twoClasses && layout.classes !== 1) {
    throw new Error(
      `${op}: activation 'sigmoid' is for binary segmentation with one channel (background 1 - p); got ${layout.classes} channels (use 'softmax' with class 0 the background)`,
    );
  }
  const classes = twoClasses ? 2 : layout.classes;
  const groups = options.perImage ? layout.batch : 1;
  if (layout.batch * layout.pixels === 0) return { empty: true, layout, groups, classes, logits: x };
  let t: Tensor;
  let counted: Tensor | null = null;
  if (layout.labels) {
    // tf.oneHot gives a row of zeros for an index outside [0, C), as ignoreIndex (255, -1) is.
    t = cast(oneHot(cast(y, 'int32'), layout.classes), 'float32');
    if (options.ignoreIndex !== null) counted = cast(notEqual(y, options.ignoreIndex), 'float32');
  } else {
    t = asFloat32(y, 'targets', op);
  }
  if (twoClasses) {
    x = concat([zerosLike(x), x], -1);
    t = concat([sub(1, t), t], -1);
  }
  const activation = twoClasses ? 'softmax' : options.activation;
  const pixels = options.perImage ? layout.pixels : layout.batch * layout.pixels;
  const shape = [groups, pixels, classes];
  let p: Tensor;
  let q: Tensor;
  let logp: Tensor;
  if (activation === 'sigmoid') {
    p = sigmoid(x);
    q = sigmoid(neg(x));
    // log σ(x) = -softplus(-x): finite, with a finite gradient, for every finite logit.
    logp = neg(softplus(neg(x)));
  } else {
    ({ p, q, logp } = softmaxParts(x, classes));
  }
  return {
    empty: false,
    layout,
    groups,
    classes,
    p: reshape(p, shape),
    q: reshape(q, shape),
    logp: reshape(logp, shape),
    t: reshape(t, shape),
    counted: counted === null ? null : reshape(counted, [groups, pixels, 1]),
  };
}

/**
 * Softmax over the last axis as p, q = 1 - p and log p, written so that autodiff differentiates
 * q without cancellation. With m the max, e = e^(x - m) and r = Σ over the classes other than
 * the (first) argmax of e: S = 1 + r, p = e / S, log p = x - m - log1p(r), and q = r / S at the
 * argmax, 1 - p elsewhere (p <= 1/2 there). Written as 1 - exp(logSoftmax), q and its gradient
 * would lose all precision as p approaches 1 in float32 (the gradient of log-softmax forms
 * 1 - p by subtraction), and that is where (1 - TI)^γ with γ < 1 magnifies it.
 */
function softmaxParts(x: Tensor, classes: number): { p: Tensor; q: Tensor; logp: Tensor } {
  const m = max(x, -1, true);
  const e = exp(sub(x, m));
  const isMax = cast(oneHot(argMax(x, -1), classes), 'bool');
  const rest = sum(where(isMax, zerosLike(e), e), -1, true);
  const total = add(rest, 1);
  const p = div(e, total);
  return {
    p,
    q: where(isMax, broadcastTo(div(rest, total), x.shape), sub(1, p)),
    logp: sub(sub(x, m), log1p(rest)),
  };
}

/** TP = Σ t p, FN = Σ t (1 - p), FP = Σ (1 - t) p over each group's counted pixels: [groups, classes] each. */
export function confusion(r: RegionTensors): { tp: Tensor; fn: Tensor; fp: Tensor } {
  // Ignored pixels have t = 0 (a zero one-hot row), so only FP needs the mask.
  const p = r.counted === null ? r.p : mul(r.p, r.counted);
  return {
    tp: sum(mul(r.t, p), 1),
    fn: sum(mul(r.t, r.q), 1),
    fp: sum(mul(sub(1, r.t), p), 1),
  };
}

/** (a FN + b FP) / (w TP + a FN + b FP + ε): 1 - Tversky (w = 1) or 1 - Dice (w = 2, a = b = 1). */
export function scoreComplement(tp: Tensor, fn: Tensor, fp: Tensor, tpWeight: number, a: number, b: number, smooth: number): Tensor {
  const miss = add(mul(fn, a), mul(fp, b));
  return div(miss, add(add(mul(tp, tpWeight), miss), smooth));
}

/**
 * u^e for u >= 0 and a constant e >= 0, with the gradient e u^(e-1) taken as 0 at u = 0.
 * For e < 1 the true derivative is infinite there, and autodiff would multiply that
 * Infinity by a zero (the derivative of u, or a zero factor) into NaN. u reaches 0 only
 * where the logits saturate in float32 and the derivative of u is itself 0, so the limit of
 * the product is 0: that is the value given.
 */
export function powFiniteGrad(u: Tensor, e: number): Tensor {
  const f = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const v = args[0] as Tensor;
    (args[1] as GradSaveFunc)([v]);
    return {
      value: pow(v, e),
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [base] = saved;
        const upstream = dy as Tensor;
        const slope = mul(pow(base, e - 1), e);
        return where(greater(base, 0), mul(upstream, slope), zerosLike(upstream));
      },
    };
  });
  return f(u) as Tensor;
}

/** 'none' keeps the tensor; 'sum' and 'mean' reduce it to a scalar. */
export function reduceRegion(values: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return values;
  return reduction === 'sum' ? sum(values) : mean(values);
}

/**
 * The loss of inputs with no pixel. Every overlap sum (TP, FN, FP) and every cross-entropy
 * sum is then 0, so each score is ε / ε and each loss 0: 'none' gives zeros of `lossShape`
 * (which has a 0 in it for an empty batch with perImage), 'sum' and 'mean' give 0 (the mean of
 * no value is 0, as in the library's other ops). Built from constants, the same on every
 * backend, and tied to the logits with a zero gradient so that tf.grad and the optimizers
 * accept an empty batch.
 */
export function emptyRegionLoss(logits: Tensor, lossShape: number[], reduction: Reduction): Tensor {
  const f = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const x = args[0] as Tensor;
    return {
      value: reduction === 'none' ? zeros(lossShape) : scalar(0),
      gradFunc: () => zerosLike(x),
    };
  });
  return f(logits) as Tensor;
}

/**
 * The losses of Dice and focal Tversky: `lossOf` applied to the overlap sums per (group,
 * class), class 0 dropped unless includeBackground, each class times its weight, then
 * reduced ('none': [groups, classes kept]). Inputs with no pixel give {@link emptyRegionLoss}.
 */
export function perClassLoss(
  op: string,
  r: RegionTensors | EmptyRegion,
  options: ClassOptions,
  reduction: Reduction,
  lossOf: (tp: Tensor, fn: Tensor, fp: Tensor) => Tensor,
): Tensor {
  const { weights, includeBackground } = classSelection(op, options, r.classes);
  if (r.empty) return emptyRegionLoss(r.logits, [r.groups, includeBackground ? r.classes : r.classes - 1], reduction);
  const { tp, fn, fp } = confusion(r);
  let loss = lossOf(tp, fn, fp);
  if (weights !== null) loss = mul(loss, tensor1d(weights));
  return reduceRegion(includeBackground ? loss : slice(loss, [0, 1], [-1, -1]), reduction);
}

interface ClassOptions {
  includeBackground?: boolean;
  classWeights?: ArrayLike<number> | null;
}

/** classWeights and includeBackground, checked against the number of classes. */
function classSelection(op: string, options: ClassOptions, classes: number): { weights: number[] | null; includeBackground: boolean } {
  const weights = checkClassWeights(op, options.classWeights, classes);
  const includeBackground = checkFlag(op, 'includeBackground', options.includeBackground ?? true);
  if (!includeBackground && classes < 2) {
    throw new Error(`${op}: includeBackground false drops class 0, but the logits have only 1 class`);
  }
  return { weights, includeBackground };
}
