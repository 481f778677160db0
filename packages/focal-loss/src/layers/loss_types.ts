/**
 * The types of the Keras-style losses (the `losses` namespace): each factory's options, the
 * loss function it returns, and its serialised form.
 */
import type { Tensor } from '@tensorflow/tfjs-core';

/** Options of {@link losses.binaryFocalCrossentropy}; names and defaults as Keras 3's `BinaryFocalCrossentropy`. */
export interface BinaryFocalCrossentropyConfig {
  /** Weight of the positive class when `applyClassBalancing` is true (negatives get `1 - alpha`). In [0, 1]. Default 0.25. */
  alpha?: number;
  /** Focusing parameter γ ≥ 0. Default 2. */
  gamma?: number;
  /** `yPred` are logits (exact log-space loss) instead of probabilities (clipped). Default false. */
  fromLogits?: boolean;
  /** Multiply by α for positives and 1 - α for negatives. Default false (then `alpha` is unused, as in Keras). */
  applyClassBalancing?: boolean;
  /** Targets become `t (1 - s) + s / 2` (toward 0.5). In [0, 1). Default 0. */
  labelSmoothing?: number;
  /** Axis averaged to give the per-sample loss. Default -1. */
  axis?: number;
  /** Function name, used by tfjs-layers to name the metric. Default 'binaryFocalCrossentropy'. */
  name?: string;
}

/** Options of {@link losses.categoricalFocalCrossentropy}; names and defaults as Keras 3's `CategoricalFocalCrossentropy`. */
export interface CategoricalFocalCrossentropyConfig {
  /** Class weight ≥ 0: one number for all classes, or one per class (length C). Default 0.25, as in Keras. */
  alpha?: number | number[];
  /** Focusing parameter γ ≥ 0. Default 2. */
  gamma?: number;
  /** `yPred` are logits (exact log-space loss) instead of probabilities (normalised, clipped). Default false. */
  fromLogits?: boolean;
  /** One-hot targets become `y (1 - s) + s / C` (toward 1/C). In [0, 1). Default 0. */
  labelSmoothing?: number;
  /** Class axis. Default -1. */
  axis?: number;
  /** Function name. Default 'categoricalFocalCrossentropy'. */
  name?: string;
}

/** Options of {@link losses.sparseCategoricalFocalCrossentropy} (Keras has no such loss; names follow Keras' sparse losses). */
export interface SparseCategoricalFocalCrossentropyConfig {
  /** Class weight: one number for all classes, or one per class (length C). Default 0.25, as in the categorical loss. */
  alpha?: number | number[];
  /** Focusing parameter γ ≥ 0. Default 2. */
  gamma?: number;
  /** `yPred` are logits (exact log-space loss) instead of probabilities (normalised, clipped). Default false. */
  fromLogits?: boolean;
  /** Label value that contributes no loss and is left out of the mean (as Keras' `ignore_class`). Default null. */
  ignoreClass?: number | null;
  /** Class axis of `yPred`. Default -1. */
  axis?: number;
  /** Function name. Default 'sparseCategoricalFocalCrossentropy'. */
  name?: string;
}

/** Class names written by `getConfig()` / read by {@link losses.fromConfig} (Keras' class names). */
export type FocalLossClassName =
  | 'BinaryFocalCrossentropy'
  | 'CategoricalFocalCrossentropy'
  | 'SparseCategoricalFocalCrossentropy'
  | FamilyClassName;

/** Class names of the focal-family factories (mmdetection's / the reference code's class names). */
export type FamilyClassName = 'QualityFocalLoss' | 'VarifocalLoss' | 'GaussianFocalLoss' | 'PolyFocalLoss' | 'AsymmetricLoss';

/** A loss returned by the factories of this module: a tfjs-layers loss function with its config attached. */
export interface FocalLossFunction<C extends object = object> {
  (yTrue: Tensor, yPred: Tensor): Tensor;
  /** Keras class name of the loss. */
  readonly className: FocalLossClassName;
  /** The full, resolved options (defaults filled in), JSON-serialisable. */
  getConfig(): Required<C>;
}

/** Serialised form of a focal loss: `{ className, config }`. */
export interface FocalLossSpec {
  /** The loss's class name, which picks its factory. */
  className: FocalLossClassName;
  /** The factory's options (JSON-serialisable). */
  config: Record<string, unknown>;
}

/**
 * Options of the focal-family factories: the loss's own parameters (names and defaults as its
 * op: see the README's family table), plus `fromLogits`, `axis` and `name` as the Keras-style
 * losses (keras_losses.ts).
 */
export type FamilyLossConfig<P> = Partial<P> & {
  /** `yPred` are logits (exact log-space loss) instead of probabilities (clipped to [1e-7, 1 - 1e-7]). Default false, as Keras. */
  fromLogits?: boolean;
  /** Axis averaged to give the per-sample loss. Default -1. */
  axis?: number;
  /** Function name (tfjs-layers names the metric with it). Default: the op's name. */
  name?: string;
};
