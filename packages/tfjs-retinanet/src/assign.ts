/**
 * RetinaNet's anchor assignment: an anchor whose best IoU with a ground-truth box is at least
 * 0.5 is positive (that box's class, regressed to that box), below 0.4 is background, and in
 * between is ignored by the loss. Each ground-truth box also claims its best anchor(s), so
 * that no box is left without a positive anchor.
 */
import { encodeBoxes, type BoxCoderOptions } from './box_coder.js';
import { boxCount, iouMatrix } from './boxes.js';

/** Class target of an anchor that the loss ignores (IoU between the two thresholds). */
export const IGNORE = -1;
/** Class target of a background anchor; a positive anchor gets its class + 1. */
export const BACKGROUND = 0;

/** Options for {@link assignAnchors}. */
export interface AssignOptions {
  /** IoU at or above which an anchor is positive (default 0.5). */
  positiveIou?: number;
  /** IoU below which an anchor is background (default 0.4); in between it is ignored. */
  negativeIou?: number;
  /**
   * Each ground-truth box claims the anchor(s) of its highest IoU (all anchors tied at that
   * IoU), even below `positiveIou` (default true, as RetinaNet). An anchor claimed by several
   * boxes goes to the one it overlaps most (the first of equals). A box overlapping no anchor
   * claims nothing.
   */
  claimBestAnchor?: boolean;
  /** Box coding of the regression targets. */
  boxCoder?: BoxCoderOptions;
}

/** Per-anchor targets from {@link assignAnchors}. */
export interface AnchorTargets {
  /** Per anchor: {@link IGNORE} (-1), {@link BACKGROUND} (0), or class + 1 for a positive. */
  labels: Int32Array;
  /** Per anchor: index of its ground-truth box when positive, else -1. */
  matched: Int32Array;
  /** Per anchor: its highest IoU with any ground-truth box (0 without boxes). */
  maxIou: Float32Array;
  /** Encoded (dx, dy, dw, dh) towards the matched box; zeros where not positive. */
  boxTargets: Float32Array;
  /** Number of positive anchors (IoU ≥ the positive threshold, or a box's best anchor). */
  numPositive: number;
  /** Number of background anchors. */
  numNegative: number;
  /** Number of ignored anchors (IoU between the two thresholds). */
  numIgnored: number;
}

/**
 * Assigns ground-truth boxes to anchors.
 *
 * @param anchors `[x1, y1, x2, y2]` per anchor (e.g. {@link generateAnchors}`().boxes`).
 * @param gtBoxes `[x1, y1, x2, y2]` per ground-truth box of the image.
 * @param gtClasses class index (0-based) per ground-truth box.
 */
export function assignAnchors(
  anchors: ArrayLike<number>,
  gtBoxes: ArrayLike<number>,
  gtClasses: ArrayLike<number>,
  options: AssignOptions = {},
): AnchorTargets {
  const positiveIou = options.positiveIou ?? 0.5;
  const negativeIou = options.negativeIou ?? 0.4;
  // An IoU of 0 is no overlap: a positive threshold of 0 would match every anchor to some box.
  if (typeof positiveIou !== 'number' || !(positiveIou > 0 && positiveIou <= 1)) {
    throw new Error(`assignAnchors: positiveIou must be a number in (0, 1], got ${String(positiveIou)}`);
  }
  if (typeof negativeIou !== 'number' || !(negativeIou >= 0 && negativeIou <= 1)) {
    throw new Error(`assignAnchors: negativeIou must be a number in [0, 1], got ${String(negativeIou)}`);
  }
  if (!(negativeIou <= positiveIou)) throw new Error(`assignAnchors: negativeIou ${negativeIou} > positiveIou ${positiveIou}`);
  const n = boxCount(anchors);
  const m = boxCount(gtBoxes);
  if (gtClasses.length !== m) throw new Error(`assignAnchors: ${gtClasses.length} classes for ${m} boxes`);
  for (let g = 0; g < m; g++) {
    if (!Number.isInteger(gtClasses[g]) || gtClasses[g]! < 0)
      throw new Error(`assignAnchors: class ${gtClasses[g]} of box ${g} is not an integer >= 0`);
  }
  const labels = new Int32Array(n);
  const matched = new Int32Array(n).fill(-1);
  const maxIou = new Float32Array(n);
  const iou = iouMatrix(anchors, gtBoxes);

  // Threshold on each anchor's best box (the first of equals).
  for (let a = 0; a < n; a++) {
    let best = -1;
    let bestIou = 0;
    for (let g = 0; g < m; g++) {
      const v = iou[a * m + g]!;
      if (best < 0 || v > bestIou) {
        best = g;
        bestIou = v;
      }
    }
    maxIou[a] = bestIou;
    if (m > 0 && bestIou >= positiveIou) {
      labels[a] = gtClasses[best]! + 1;
      matched[a] = best;
    } else if (bestIou >= negativeIou && m > 0) {
      labels[a] = IGNORE;
    } else {
      labels[a] = BACKGROUND;
    }
  }

  if (options.claimBestAnchor ?? true) {
    // claimIou[a]: IoU with the box that claimed anchor a so far (-1: unclaimed).
    const claimIou = new Float64Array(n).fill(-1);
    for (let g = 0; g < m; g++) {
      let best = 0;
      for (let a = 0; a < n; a++) best = Math.max(best, iou[a * m + g]!);
      if (best <= 0) continue;
      for (let a = 0; a < n; a++) {
        if (iou[a * m + g] !== best || best <= claimIou[a]!) continue;
        claimIou[a] = best;
        labels[a] = gtClasses[g]! + 1;
        matched[a] = g;
      }
    }
  }

  let numPositive = 0;
  let numIgnored = 0;
  for (let a = 0; a < n; a++) {
    if (labels[a]! > 0) numPositive++;
    else if (labels[a] === IGNORE) numIgnored++;
  }
  const boxTargets = encodeBoxes(gtBoxes, anchors, options.boxCoder, matched);
  return { labels, matched, maxIou, boxTargets, numPositive, numNegative: n - numPositive - numIgnored, numIgnored };
}

/**
 * One-hot classification targets for sigmoid (focal) loss from per-anchor labels: `targets`
 * is `[N, numClasses]` (all zeros for background and ignored anchors), `weights` is `[N]`
 * with 0 on ignored anchors and 1 elsewhere. With the `focal-loss` library:
 * `sigmoidFocalLoss(logits, tf.tensor2d(targets, [N, C]), { weights: tf.tensor2d(weights, [N, 1]),
 * reduction: 'mean', normalizer: Math.max(1, numPositive) })`.
 */
export function oneHotTargets(
  labels: ArrayLike<number>,
  numClasses: number,
): {
  /** `[N, numClasses]`, row-major: 1 at a positive anchor's class, 0 elsewhere. */
  targets: Float32Array;
  /** `[N]`: 0 on ignored anchors, 1 elsewhere. */
  weights: Float32Array;
} {
  const n = labels.length;
  const targets = new Float32Array(n * numClasses);
  const weights = new Float32Array(n);
  for (let a = 0; a < n; a++) {
    const label = labels[a]!;
    if (label === IGNORE) continue;
    weights[a] = 1;
    if (label > numClasses) throw new Error(`oneHotTargets: label ${label} (class ${label - 1}) out of range for ${numClasses} classes`);
    if (label > 0) targets[a * numClasses + label - 1] = 1;
  }
  return { targets, weights };
}
