/** RetinaNet inference on a set of images, as a COCO results list, and COCO's summary of it. */
import * as tf from '@tensorflow/tfjs-core';
import type { Anchors } from '../anchors.js';
import { evaluateCoco } from '../coco_eval.js';
import type { CocoGroundTruth, CocoResult } from '../coco_format.js';
import { decodeDetections, type DetectOptions } from '../postprocess.js';
import { predict, type Model } from '../model.js';

/** Square single-channel images stored one after another (`[count, size, size, 1]`). */
export interface ImageSet {
  /** Number of images. */
  count: number;
  /** Side of every image in pixels. */
  size: number;
  /** The pixels, `[count, size, size, 1]` row-major. */
  images: Float32Array;
}

/** Images `start` to `end` (exclusive) of a set as an NHWC tensor. */
export function imageTensor(set: ImageSet, start: number, end: number): tf.Tensor4D {
  const pixels = set.size * set.size;
  return tf.tensor4d(set.images.subarray(start * pixels, end * pixels), [end - start, set.size, set.size, 1]);
}

/** Options of {@link detectScenes}. */
export type RetinaNetDetectOptions = DetectOptions & {
  /** FL* models: the score is the positive's p* = σ(γ x + β). */
  star?: {
    /** FL*'s γ. */
    gamma: number;
    /** FL*'s β. */
    beta: number;
  };
};

/**
 * RetinaNet inference on every image (score > 0.05, top 1000 per level, per-class NMS at 0.5,
 * 100 per image), as a COCO results list: image id = image index + 1, category id = class + 1.
 *
 * @param model a model whose output is `[B, anchors, K + 4]` (createRetinaNet).
 * @param numClasses K; by default read from the model's output.
 */
export function detectScenes(
  model: Model,
  set: ImageSet,
  anchors: Anchors,
  numClasses?: number,
  options: RetinaNetDetectOptions = {},
): CocoResult[] {
  const n = anchors.count;
  const { star } = options;
  const score = (x: tf.Tensor) => tf.sigmoid(star ? tf.add(tf.mul(x, star.gamma), star.beta) : x);
  let K = numClasses ?? 0;
  const out = predict(
    model,
    set.count,
    32,
    (s, e) => imageTensor(set, s, e),
    (o) => {
      K = numClasses ?? o.shape[2]! - 4;
      return tf.concat([score(tf.slice(o, [0, 0, 0], [-1, -1, K])), tf.slice(o, [0, 0, K], [-1, -1, 4])], 2);
    },
  );
  const w = K + 4;
  const results: CocoResult[] = [];
  const scores = new Float32Array(n * K);
  const deltas = new Float32Array(n * 4);
  for (let s = 0; s < set.count; s++) {
    const base = s * n * w;
    for (let a = 0; a < n; a++) {
      for (let k = 0; k < K; k++) scores[a * K + k] = out[base + a * w + k]!;
      for (let j = 0; j < 4; j++) deltas[a * 4 + j] = out[base + a * w + K + j]!;
    }
    const det = decodeDetections(scores, deltas, anchors.boxes, K, anchors.levels, {
      ...options,
      imageHeight: set.size,
      imageWidth: set.size,
    });
    for (let i = 0; i < det.count; i++) {
      const [x1, y1, x2, y2] = det.boxes.subarray(4 * i, 4 * i + 4);
      results.push({ image_id: s + 1, category_id: det.classes[i]! + 1, bbox: [x1!, y1!, x2! - x1!, y2! - y1!], score: det.scores[i]! });
    }
  }
  return results;
}

/** COCO's AP, AP50, AP75 and AR100 of a results list. */
export function cocoMetrics(gt: CocoGroundTruth, results: CocoResult[]): Record<'AP' | 'AP50' | 'AP75' | 'AR100', number> {
  const { named } = evaluateCoco(gt, results);
  return { AP: named.AP, AP50: named.AP50, AP75: named.AP75, AR100: named.AR100 };
}
