/** RetinaNet's training loss: focal loss on the classes, smooth L1 on the positives' box deltas. */
import * as tf from '@tensorflow/tfjs-core';
import { sigmoidFocalLoss, sigmoidFocalLossStar } from 'focal-loss';

/** Smooth L1's β on the box deltas (Detectron's 0.11). */
const SMOOTH_L1_BETA = 1 / 9;

/** The focal loss's parameters: γ, α (null: none) and, for FL* (the paper's appendix A), β. */
export interface FocalParameters {
  /** Focusing parameter γ. */
  gamma: number;
  /** Weight of the positives (negatives get 1 − α), or null for none. */
  alpha: number | null;
  /** FL*'s shift β; when given, the loss is `sigmoidFocalLossStar`. */
  beta?: number;
}

/**
 * The RetinaNet loss of a batch: `sigmoidFocalLoss` over all anchors and classes with weight
 * 0 on ignored anchors, summed and divided by the number of positive anchors (at least 1),
 * plus smooth L1 (β = 1/9) on the positives' deltas with the same normalizer.
 *
 * @param output `[B, N, K + 4]` from createRetinaNet.
 * @param target `[B, N, K + 6]` rows of the packed targets (targets.ts).
 * @param numClasses K; by default read from the target's last dimension.
 */
export function detectionLoss(
  output: tf.Tensor,
  target: tf.Tensor,
  setting: FocalParameters,
  numClasses = target.shape[2]! - 6,
): tf.Scalar {
  const K = numClasses;
  const [b, n] = output.shape as [number, number, number];
  const rows = b * n;
  const logits = tf.reshape(tf.slice(output, [0, 0, 0], [-1, -1, K]), [rows, K]);
  const deltas = tf.reshape(tf.slice(output, [0, 0, K], [-1, -1, 4]), [rows, 4]);
  const t = tf.reshape(target, [rows, K + 6]);
  const classes = tf.slice(t, [0, 0], [-1, K]);
  const weights = tf.slice(t, [0, K], [-1, 1]);
  const boxTargets = tf.slice(t, [0, K + 1], [-1, 4]);
  const positive = tf.slice(t, [0, K + 5], [-1, 1]);
  const normalizer = tf.maximum(tf.sum(positive), 1) as tf.Scalar;
  const common = { gamma: setting.gamma, alpha: setting.alpha, weights, reduction: 'mean' as const, normalizer };
  const cls = (
    setting.beta !== undefined
      ? sigmoidFocalLossStar(logits, classes, { ...common, beta: setting.beta })
      : sigmoidFocalLoss(logits, classes, common)
  ) as tf.Scalar;
  const diff = tf.abs(tf.sub(deltas, boxTargets));
  // Smooth L1 as 0.5·min(d, β)²/β + (d − min(d, β)): the same function, differentiable by tf ops.
  const small = tf.minimum(diff, SMOOTH_L1_BETA);
  const smooth = tf.add(tf.div(tf.square(small), 2 * SMOOTH_L1_BETA), tf.sub(diff, small));
  const box = tf.div(tf.sum(tf.mul(smooth, positive)), normalizer);
  return tf.add(cls, box) as tf.Scalar;
}
