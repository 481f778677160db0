/**
 * The RetinaNet sizes the benchmarks time, by canvas side: 32 = `--quick`'s detection size
 * (6 anchors per cell), 40 = `--full`'s main experiment (PAPER_LIKE_DETECTION: 9 anchors per
 * cell, one 8-12 px digit per scene), 96 = a 96×96 canvas with 9 anchors per cell and 1-4
 * digits (the `ablation-96-a9` of `--full` up to 6c2e04e, kept so that the published speed
 * tables stay reproducible).
 */
import { type DetectionSize, detectionPlan, PAPER_LIKE_DETECTION } from '../src/compare/config.js';

export function benchSize(side: number): DetectionSize {
  const quick = detectionPlan('quick')[0]!.size;
  if (side === 32) return quick;
  if (side === 40) return PAPER_LIKE_DETECTION;
  if (side === 96)
    return { ...quick, side: 96, aspectRatios: [0.5, 1, 2], trainScenes: 160, validationScenes: 80, testScenes: 150, id: 'ablation-96-a9' };
  throw new Error(`--side must be 32, 40 or 96, not ${side}`);
}
