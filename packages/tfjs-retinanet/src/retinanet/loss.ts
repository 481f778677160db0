/** RetinaNet's training loss: focal loss on the classes, smooth L1 on the positives' box deltas. */
import * as tf from '@tensorflow/tfjs-core';
import { sigmoidFocalLoss, sigmoidFocalLossStar } from 'focal-loss';
import type { LevelOutputs } from './model.js';
import type { BatchTargets } from './targets.js';

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

/** Smooth L1 (β = 1/9) of each difference, as 0.5·min(d, β)²/β + (d − min(d, β)) with d = |x|: the same function, differentiable by tf ops. */
function smoothL1(x: tf.Tensor): tf.Tensor {
  const diff = tf.abs(x);
  const small = tf.minimum(diff, SMOOTH_L1_BETA);
  return tf.add(tf.div(tf.square(small), 2 * SMOOTH_L1_BETA), tf.sub(diff, small));
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
  const box = tf.div(tf.sum(tf.mul(smoothL1(tf.sub(deltas, boxTargets)), positive)), normalizer);
  return tf.add(cls, box) as tf.Scalar;
}

/** The typed-array targets of {@link batchTargets} as tensors, for {@link retinaNetLoss}; dispose with `tf.dispose`. */
export function batchTargetTensors(targets: BatchTargets, numClasses: number): BatchTargets<tf.Tensor2D> {
  return {
    numPositive: targets.numPositive,
    levels: targets.levels.map((l) => {
      const rows = l.positive.length;
      return {
        classes: tf.tensor2d(l.classes, [rows, numClasses]),
        weights: tf.tensor2d(l.weights, [rows, numClasses]),
        boxTargets: tf.tensor2d(l.boxTargets, [rows, 4]),
        positive: tf.tensor2d(l.positive, [rows, 1]),
      };
    }),
  };
}

/**
 * The same loss as {@link detectionLoss}, read level by level from a RetinaNet's `heads` and
 * {@link batchTargetTensors}: the class and box outputs are never packed into one tensor, so
 * that neither the forward pass (concat, slice) nor the backward pass (split, pad) moves them,
 * and the ignore weight arrives repeated over the classes (no broadcast in the step).
 *
 * @param outputs Per level, from `RetinaNet.heads`.
 * @param targets Per level, the same anchors in the same order (batchTargetTensors).
 */
export function retinaNetLoss(outputs: LevelOutputs[], targets: BatchTargets<tf.Tensor2D>, setting: FocalParameters): tf.Scalar {
  if (outputs.length !== targets.levels.length) {
    throw new Error(`retinaNetLoss: ${outputs.length} output levels but ${targets.levels.length} target levels`);
  }
  const normalizer = Math.max(targets.numPositive, 1);
  const terms = outputs.flatMap((out, i) => {
    const t = targets.levels[i]!;
    const [rows, K] = t.classes.shape;
    const logits = tf.reshape(out.classLogits, [rows, K]);
    const deltas = tf.reshape(out.boxDeltas, [rows, 4]);
    const common = { gamma: setting.gamma, alpha: setting.alpha, weights: t.weights, reduction: 'sum' as const };
    const cls =
      setting.beta !== undefined
        ? sigmoidFocalLossStar(logits, t.classes, { ...common, beta: setting.beta })
        : sigmoidFocalLoss(logits, t.classes, common);
    return [cls, tf.sum(tf.mul(smoothL1(tf.sub(deltas, t.boxTargets)), t.positive))];
  });
  return tf.div(tf.addN(terms), normalizer) as tf.Scalar;
}
