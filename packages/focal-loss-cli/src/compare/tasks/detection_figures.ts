/**
 * What the report draws of the detection experiment besides its tables: the paper's Figure 4
 * (how the focal loss is spread over positive and negative samples of a trained model) and
 * the example test scenes with their true and predicted boxes.
 */
import * as tf from '@tensorflow/tfjs';
import type { DetectionSceneSet } from '../../data/detection_scenes.js';
import { encodeScenes } from '../../data/gray_levels.js';
import type { Anchors } from 'tfjs-retinanet';
import type { CocoResult } from 'tfjs-retinanet';
import { predict, type Model } from 'tfjs-retinanet';
import { imageTensor } from 'tfjs-retinanet';
import { detectionTargets, targetRowWidth } from 'tfjs-retinanet';
import type { ExampleBox, LossCdf, SceneExamples } from '../types.js';

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** γ values of the paper's Figure 4. */
export const LOSS_CDF_GAMMAS = [0, 0.5, 1, 2];

/**
 * The paper's Figure 4 on the scenes: every non-ignored (anchor, class) pair of the trained
 * model is a positive (target 1) or negative (target 0) sample; per γ, the cumulative
 * distribution of the normalised focal loss over each group, at `points` fractions.
 */
export function lossCdf(
  model: Model,
  scenes: DetectionSceneSet,
  anchors: Anchors,
  numClasses: number,
  gammas: readonly number[] = LOSS_CDF_GAMMAS,
  points = 51,
): LossCdf[] {
  const targets = detectionTargets(scenes, anchors, numClasses);
  const logits = predict(
    model,
    scenes.count,
    32,
    (s, e) => imageTensor(scenes, s, e),
    (o) => tf.slice(o, [0, 0, 0], [-1, -1, numClasses]),
  );
  const w = targetRowWidth(numClasses);
  // log p_t and 1 − p_t of each sample, from the logit (stable): log p_t = −softplus(∓z).
  const pos: { logPt: number; q: number }[] = [];
  const neg: { logPt: number; q: number }[] = [];
  const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  for (let r = 0; r < logits.length / numClasses; r++) {
    if (targets.packed[r * w + numClasses] === 0) continue; // ignored anchor
    for (let k = 0; k < numClasses; k++) {
      const z = logits[r * numClasses + k]!;
      if (targets.packed[r * w + k] === 1) pos.push({ logPt: -softplus(-z), q: sigmoid(-z) });
      else neg.push({ logPt: -softplus(z), q: sigmoid(z) });
    }
  }
  const cdf = (samples: { logPt: number; q: number }[], gamma: number): number[] => {
    const loss = Float64Array.from(samples, (s) => -(s.q ** gamma) * s.logPt).sort();
    let total = 0;
    for (const v of loss) total += v;
    const out: number[] = [];
    let cum = 0;
    let i = 0;
    for (let j = 0; j < points; j++) {
      const upTo = Math.round((j / (points - 1)) * loss.length);
      while (i < upTo) cum += loss[i++]!;
      out.push(total > 0 ? round(cum / total, 5) : 0);
    }
    return out;
  };
  return gammas.map((gamma) => ({
    gamma,
    positive: cdf(pos, gamma),
    negative: cdf(neg, gamma),
    positives: pos.length,
    negatives: neg.length,
  }));
}

/** The highest-scoring detections (at most 20) of the first `count` images of a results list (image ids 1…count). */
export function exampleDetections(results: readonly CocoResult[], count: number): ExampleBox[][] {
  const out: ExampleBox[][] = Array.from({ length: count }, () => []);
  for (const r of results) {
    const list = out[r.image_id - 1];
    if (!list) continue;
    const [x, y, w, h] = r.bbox as [number, number, number, number];
    list.push({ box: [round(x, 1), round(y, 1), round(x + w, 1), round(y + h, 1)], label: r.category_id - 1, score: round(r.score, 3) });
  }
  for (const list of out) {
    list.sort((a, b) => b.score! - a.score!);
    list.splice(20);
  }
  return out;
}

/** The report's example scenes: the first `count` test scenes with their true boxes. */
export function detectionExamples(test: DetectionSceneSet, count: number): SceneExamples {
  const n = Math.min(count, test.count);
  return {
    side: test.size,
    images: encodeScenes(test.images, test.size, n),
    boxes: Array.from({ length: n }, (_, s) =>
      Array.from(test.classes[s]!, (label, j) => ({
        box: Array.from(test.boxes[s]!.subarray(4 * j, 4 * j + 4), (v) => round(v, 1)),
        label,
      })),
    ),
  };
}
