/**
 * Detection scenes made from MNIST digits: 1-4 digits per scene, each scaled to a square of
 * `minSide`-`maxSide` pixels and pasted (pixel-wise maximum) into a square canvas with noise
 * and clutter strokes. Ground truth per digit: its class (0-9) and the tight box of its ink.
 * Deterministic for a seed. Training and validation scenes draw from disjoint parts of
 * MNIST's training digits (every sixth digit is validation), test scenes from MNIST's test
 * digits, as the segmentation scenes (scenes.ts).
 */
import type { CocoGroundTruth } from 'tfjs-retinanet';
import { loadMnist } from './mnist.js';
import { digitPool, drawStroke, sampleDigit } from './canvas.js';
import { Rng } from './rng.js';

/** Options for {@link generateDetectionScenes}. */
export interface DetectionSceneOptions {
  count: number;
  /** Canvas side in pixels (32 for --quick; 64 or 96 for --full). */
  size: number;
  source: 'train' | 'validation' | 'test';
  seed: number;
  /** Digits per scene, drawn uniformly from [minDigits, maxDigits] (default 1-4). */
  minDigits?: number;
  maxDigits?: number;
  /** Side of the square a 28×28 digit is scaled to, uniform in [minSide, maxSide] (default 10-28). */
  minSide?: number;
  maxSide?: number;
}

/** A set of scenes: images NHWC with one channel, boxes per scene. */
export interface DetectionSceneSet {
  count: number;
  size: number;
  /** [count, size, size, 1], values in [0, 1]. */
  images: Float32Array;
  /** Per scene: `[x1, y1, x2, y2]` per digit, in pixels (x2, y2 exclusive: a 1-pixel ink column has width 1). */
  boxes: Float32Array[];
  /** Per scene: the digit class (0-9) per box. */
  classes: Int32Array[];
}

/** Number of classes of the scenes (the ten digits). */
export const DIGIT_CLASSES = 10;

/** A scaled digit's pixels above this value are ink: they define its box. */
const INK = 0.3;

/** Intersection of two squares over the smaller one's area. */
function overlapFraction(a: { top: number; left: number; side: number }, b: { top: number; left: number; side: number }): number {
  const w = Math.min(a.left + a.side, b.left + b.side) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.side, b.top + b.side) - Math.max(a.top, b.top);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / Math.min(a.side, b.side) ** 2;
}

/**
 * Generates `count` scenes. A digit is placed at a random position where its square overlaps
 * every earlier digit's square by at most 20 % of the smaller one (20 tries; a digit that
 * finds no place is left out, so crowded small canvases hold fewer digits than drawn).
 */
export function generateDetectionScenes(options: DetectionSceneOptions): DetectionSceneSet {
  const { count, size, seed } = options;
  const minDigits = options.minDigits ?? 1;
  const maxDigits = options.maxDigits ?? 4;
  const minSide = Math.min(options.minSide ?? 10, size);
  const maxSide = Math.min(options.maxSide ?? 28, size);
  const set = loadMnist(options.source === 'test' ? 'test' : 'train');
  const pool = digitPool(set, options.source);
  const rng = new Rng(seed);
  const pixels = size * size;
  const images = new Float32Array(count * pixels);
  const boxes: Float32Array[] = [];
  const classes: Int32Array[] = [];
  for (let n = 0; n < count; n++) {
    const canvas = images.subarray(n * pixels, (n + 1) * pixels);
    for (let p = 0; p < pixels; p++) canvas[p] = Math.max(0, rng.normal() * 0.08);
    const strokes = 1 + rng.int(3);
    for (let s = 0; s < strokes; s++) drawStroke(canvas, size, rng);
    const digits = minDigits + rng.int(maxDigits - minDigits + 1);
    const placed: { top: number; left: number; side: number }[] = [];
    const sceneBoxes: number[] = [];
    const sceneClasses: number[] = [];
    for (let d = 0; d < digits; d++) {
      const digit = pool[rng.int(pool.length)]!;
      const side = minSide + rng.int(maxSide - minSide + 1);
      let square: { top: number; left: number; side: number } | null = null;
      for (let attempt = 0; attempt < 20; attempt++) {
        const candidate = { top: rng.int(size - side + 1), left: rng.int(size - side + 1), side };
        if (placed.every((b) => overlapFraction(b, candidate) <= 0.2)) {
          square = candidate;
          break;
        }
      }
      if (!square) continue;
      const scale = 28 / side;
      let x1 = Infinity;
      let y1 = Infinity;
      let x2 = -Infinity;
      let y2 = -Infinity;
      for (let r = 0; r < side; r++) {
        for (let c = 0; c < side; c++) {
          const v = sampleDigit(set, digit, (r + 0.5) * scale - 0.5, (c + 0.5) * scale - 0.5);
          const p = (square.top + r) * size + square.left + c;
          canvas[p] = Math.max(canvas[p]!, v);
          if (v > INK) {
            x1 = Math.min(x1, square.left + c);
            y1 = Math.min(y1, square.top + r);
            x2 = Math.max(x2, square.left + c + 1);
            y2 = Math.max(y2, square.top + r + 1);
          }
        }
      }
      if (!(x2 > x1 && y2 > y1)) continue;
      placed.push(square);
      sceneBoxes.push(x1, y1, x2, y2);
      sceneClasses.push(set.labels[digit]!);
    }
    for (let p = 0; p < pixels; p++) canvas[p] = Math.min(1, canvas[p]!);
    boxes.push(Float32Array.from(sceneBoxes));
    classes.push(Int32Array.from(sceneClasses));
  }
  return { count, size, images, boxes, classes };
}

/** The scenes as COCO ground truth: image ids 1..count, category id = digit + 1, bbox [x, y, w, h]. */
export function scenesToCoco(scenes: DetectionSceneSet): CocoGroundTruth {
  const annotations: CocoGroundTruth['annotations'][number][] = [];
  for (let n = 0; n < scenes.count; n++) {
    const b = scenes.boxes[n]!;
    for (let i = 0; i < scenes.classes[n]!.length; i++) {
      const w = b[4 * i + 2]! - b[4 * i]!;
      const h = b[4 * i + 3]! - b[4 * i + 1]!;
      annotations.push({
        id: annotations.length + 1,
        image_id: n + 1,
        category_id: scenes.classes[n]![i]! + 1,
        bbox: [b[4 * i]!, b[4 * i + 1]!, w, h],
        area: w * h,
        iscrowd: 0,
      });
    }
  }
  return {
    images: Array.from({ length: scenes.count }, (_, n) => ({ id: n + 1, width: scenes.size, height: scenes.size })),
    annotations,
    categories: Array.from({ length: DIGIT_CLASSES }, (_, k) => ({ id: k + 1, name: String(k) })),
  };
}
