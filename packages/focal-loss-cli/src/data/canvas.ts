/**
 * Drawing primitives shared by the MNIST scene generators (segmentation and detection):
 * which MNIST digits a split may use, bilinear sampling of a digit, clutter strokes.
 */
import type { MnistSet } from './mnist.js';
import type { Rng } from './rng.js';

/** Which MNIST set a scene split draws its digits from. */
export type SceneSource = 'train' | 'validation' | 'test';

/**
 * Training and validation scenes draw from disjoint parts of MNIST's training digits
 * (every sixth digit is kept for validation: 5/6 train, 1/6 validation), test scenes from
 * the test digits.
 */
export function digitPool(set: MnistSet, source: SceneSource): number[] {
  const all = Array.from({ length: set.count }, (_, i) => i);
  if (source === 'test') return all;
  return all.filter((i) => (i % 6 === 0) === (source === 'validation'));
}

/** Bilinear sample of a 28x28 digit at fractional coordinates, 0 outside. */
export function sampleDigit(set: MnistSet, index: number, y: number, x: number): number {
  const y0 = Math.floor(y);
  const x0 = Math.floor(x);
  const fy = y - y0;
  const fx = x - x0;
  const at = (r: number, c: number) =>
    r < 0 || c < 0 || r >= set.rows || c >= set.cols ? 0 : set.images[index * set.rows * set.cols + r * set.cols + c]! / 255;
  return at(y0, x0) * (1 - fy) * (1 - fx) + at(y0, x0 + 1) * (1 - fy) * fx + at(y0 + 1, x0) * fy * (1 - fx) + at(y0 + 1, x0 + 1) * fy * fx;
}

/** Draws a straight stroke of random intensity into `canvas` (clutter that is not a digit). */
export function drawStroke(canvas: Float32Array, size: number, rng: Rng): void {
  const x0 = rng.uniform(0, size);
  const y0 = rng.uniform(0, size);
  const angle = rng.uniform(0, Math.PI);
  const length = rng.uniform(size * 0.15, size * 0.5);
  const intensity = rng.uniform(0.4, 1);
  const steps = Math.ceil(length * 2);
  for (let s = 0; s <= steps; s++) {
    const x = Math.round(x0 + (Math.cos(angle) * (length * s)) / steps);
    const y = Math.round(y0 + (Math.sin(angle) * (length * s)) / steps);
    if (x >= 0 && y >= 0 && x < size && y < size) canvas[y * size + x] = Math.max(canvas[y * size + x]!, intensity);
  }
}
