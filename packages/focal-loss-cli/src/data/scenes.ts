/**
 * Segmentation scenes made from MNIST digits: one or two digits scaled into a square
 * canvas with noise and clutter strokes. The mask is the pixels of one chosen digit
 * class; digits of other classes are hard negatives. Foreground is rare (a few % of
 * pixels), the regime focal loss was designed for.
 */
import { loadMnist } from './mnist.js';
import { digitPool, drawStroke, sampleDigit } from './canvas.js';
import { Rng } from './rng.js';

/** Label of pixels that the loss ignores: the one-pixel band just outside each mask. */
export const IGNORE_LABEL = -1;

/** Options for {@link generateScenes}. */
export interface SceneOptions {
  count: number;
  /** Canvas side in pixels (32 or 64). */
  size: number;
  /** The digit class whose pixels form the mask. */
  targetDigit: number;
  /** Which MNIST digits to draw from: training scenes use training digits, test scenes test digits. */
  source: 'train' | 'validation' | 'test';
  seed: number;
  /** Probability that a scene contains the target digit (default 0.6). */
  targetProbability?: number;
}

/** A batch of scenes in NHWC layout with one channel. */
export interface SceneSet {
  count: number;
  size: number;
  /** [count, size, size, 1], values in [0, 1]. */
  images: Float32Array;
  /** [count, size, size]: 1 foreground, 0 background, {@link IGNORE_LABEL} boundary band. */
  labels: Int32Array;
  /** [count, size, size]: the true mask (1/0), without the ignore band. */
  mask: Uint8Array;
}

interface Box {
  top: number;
  left: number;
  side: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.left + b.side && b.left < a.left + a.side && a.top < b.top + b.side && b.top < a.top + a.side;
}

/**
 * Generates `count` scenes, deterministic for a given seed. Digit sides are drawn from
 * [0.3, 0.55] of the canvas; stroke pixels of a digit are those above 0.5 after scaling.
 */
export function generateScenes(options: SceneOptions): SceneSet {
  const { count, size, targetDigit, seed } = options;
  const targetProbability = options.targetProbability ?? 0.6;
  const set = loadMnist(options.source === 'test' ? 'test' : 'train');
  const pool = digitPool(set, options.source);
  const targets = pool.filter((i) => set.labels[i] === targetDigit);
  const others = pool.filter((i) => set.labels[i] !== targetDigit);
  const rng = new Rng(seed);
  const pixels = size * size;
  const images = new Float32Array(count * pixels);
  const labels = new Int32Array(count * pixels);
  const mask = new Uint8Array(count * pixels);

  for (let n = 0; n < count; n++) {
    const canvas = images.subarray(n * pixels, (n + 1) * pixels);
    const sceneMask = mask.subarray(n * pixels, (n + 1) * pixels);
    for (let p = 0; p < pixels; p++) canvas[p] = Math.max(0, rng.normal() * 0.08);
    const strokes = 1 + rng.int(3);
    for (let s = 0; s < strokes; s++) drawStroke(canvas, size, rng);

    const digitCount = 1 + rng.int(2);
    const hasTarget = rng.next() < targetProbability;
    const boxes: Box[] = [];
    for (let d = 0; d < digitCount; d++) {
      const isTarget = hasTarget && d === 0;
      const source = isTarget ? targets : others;
      const digit = source[rng.int(source.length)]!;
      const side = Math.round(rng.uniform(0.3, 0.55) * size);
      let box: Box = { top: 0, left: 0, side };
      for (let attempt = 0; attempt < 20; attempt++) {
        box = { top: rng.int(size - side + 1), left: rng.int(size - side + 1), side };
        if (!boxes.some((b) => overlaps(b, box))) break;
      }
      boxes.push(box);
      const scale = 28 / side;
      for (let r = 0; r < side; r++) {
        for (let c = 0; c < side; c++) {
          const v = sampleDigit(set, digit, (r + 0.5) * scale - 0.5, (c + 0.5) * scale - 0.5);
          const p = (box.top + r) * size + box.left + c;
          canvas[p] = Math.max(canvas[p]!, v);
          // A later non-target digit drawn over the target hides it there.
          if (v > 0.5) sceneMask[p] = isTarget ? 1 : 0;
        }
      }
    }
    for (let p = 0; p < pixels; p++) canvas[p] = Math.min(1, canvas[p]!);
    markLabels(sceneMask, labels.subarray(n * pixels, (n + 1) * pixels), size);
  }
  return { count, size, images, labels, mask };
}

/**
 * Labels from a mask: 1 inside, 0 outside, and {@link IGNORE_LABEL} on background pixels
 * that touch the mask (8-neighbourhood). Only the outer side is ignored: digit strokes
 * are two or three pixels wide, so an inner band would remove most of the foreground.
 */
export function markLabels(mask: Uint8Array, labels: Int32Array, size: number): void {
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const p = y * size + x;
      if (mask[p]) {
        labels[p] = 1;
        continue;
      }
      let touches = false;
      for (let dy = -1; dy <= 1 && !touches; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && xx >= 0 && yy < size && xx < size && mask[yy * size + xx]) {
            touches = true;
            break;
          }
        }
      }
      labels[p] = touches ? IGNORE_LABEL : 0;
    }
  }
}

/** Fraction of mask pixels over all scenes. */
export function foregroundFraction(scenes: SceneSet): number {
  let fg = 0;
  for (let i = 0; i < scenes.mask.length; i++) fg += scenes.mask[i]!;
  return fg / scenes.mask.length;
}
