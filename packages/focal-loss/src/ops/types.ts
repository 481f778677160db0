import type { Rank, Scalar, Tensor, TensorLike } from '@tensorflow/tfjs-core';
import type { Reduction } from '../core/reduction.js';

/** What an op returns: a scalar for 'sum' and 'mean', the per-element (or per-row) loss for 'none'. */
export type FocalLossOutput<R extends Reduction> = R extends 'none' ? Tensor<Rank> : Scalar;

/** Options every op takes. */
export interface CommonFocalLossOptions<R extends Reduction = Reduction> {
  /** Focusing parameter γ >= 0. Default 2. γ = 0 is (weighted) cross-entropy. */
  gamma?: number;
  /** 'none' | 'sum' | 'mean' (default). 'mean' divides by the number of loss elements. */
  reduction?: R;
  /** Multiplied into the per-element loss; broadcastable to its shape. Gets zero gradient. */
  weights?: Tensor | TensorLike;
  /**
   * With 'mean', replaces the denominator: the summed loss is divided by it (RetinaNet
   * divides by the number of anchors assigned to a box). A number or scalar tensor > 0.
   */
  normalizer?: number | Scalar;
}
