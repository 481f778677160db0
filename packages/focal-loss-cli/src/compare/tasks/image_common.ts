/**
 * What the two image tasks share: the report's example pictures (the user's first test images
 * as gray levels) and the trivial baselines with the "not informative" floor: when even the
 * best loss setting does not beat the best trivial baseline by {@link CHANCE_MARGIN} on test,
 * the comparison says nothing about the losses at this budget.
 */
import { encodeGray } from '../../data/gray_levels.js';
import type { ExampleBox, SceneExamples } from '../types.js';

/** Test images drawn in the report. */
export const IMAGE_EXAMPLES = 8;

/**
 * The floor: the best setting's mean test score must exceed the best trivial baseline's by at
 * least this much (absolute; detection AP50, segmentation IoU) for the comparison to be informative.
 */
export const CHANCE_MARGIN = 0.05;

/** The trivial baselines' test scores on one metric. */
export interface Chance {
  metric: string;
  /** Baseline name → its test score. */
  baselines: Record<string, number>;
}

/** The best trivial baseline's score. */
export const chanceLevel = (chance: Chance) => Math.max(...Object.values(chance.baselines));

/** The baselines in words, with the floor. */
export function chanceWords(chance: Chance): string {
  const list = Object.entries(chance.baselines)
    .map(([name, v]) => `${name} ${v.toFixed(3)}`)
    .join(', ');
  return `Trivial baselines (no learning) on test ${chance.metric}: ${list}; a loss setting must reach ${(chanceLevel(chance) + CHANCE_MARGIN).toFixed(3)} for the comparison to be informative.`;
}

/** Gray levels (luma) of the first `count` images of a `[count, side, side, channels]` set, base64. */
export function grayImages(images: Float32Array, side: number, channels: 1 | 3, count: number): string[] {
  const pixels = side * side;
  return Array.from({ length: count }, (_, n) => {
    const base = n * pixels * channels;
    const gray = new Float32Array(pixels);
    for (let p = 0; p < pixels; p++)
      gray[p] =
        channels === 1
          ? images[base + p]!
          : 0.299 * images[base + 3 * p]! + 0.587 * images[base + 3 * p + 1]! + 0.114 * images[base + 3 * p + 2]!;
    return encodeGray(gray);
  });
}

/** The report's example images: the first test images (gray) with their true boxes or masks. */
export function imageExamples(
  set: { count: number; size: number; channels: 1 | 3; images: Float32Array },
  count: number,
  truth: { boxes?: ExampleBox[][]; masks?: string[] },
): SceneExamples {
  const n = Math.min(count, set.count);
  return { side: set.size, images: grayImages(set.images, set.size, set.channels, n), ...truth };
}
