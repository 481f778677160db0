/**
 * Axis-aligned boxes as flat typed arrays: box `i` is `[x1, y1, x2, y2]` at
 * `boxes[4 * i .. 4 * i + 3]` (pixel coordinates, x2 >= x1, y2 >= y1, width = x2 - x1).
 * COCO files use `[x, y, w, h]`; {@link xywhToXyxy} and {@link xyxyToXywh} convert.
 */

/** Boxes `[x1, y1, x2, y2]`, four numbers per box. */
export type Boxes = Float32Array | Float64Array | number[];

/** Number of boxes in a flat box array (its length / 4; throws when not a multiple of 4). */
export function boxCount(boxes: ArrayLike<number>): number {
  if (boxes.length % 4 !== 0) throw new Error(`boxes: length ${boxes.length} is not a multiple of 4`);
  return boxes.length / 4;
}

/** Area of box `i` (0 for an empty or inverted box). */
export function boxArea(boxes: ArrayLike<number>, i: number): number {
  const w = boxes[4 * i + 2]! - boxes[4 * i]!;
  const h = boxes[4 * i + 3]! - boxes[4 * i + 1]!;
  return w > 0 && h > 0 ? w * h : 0;
}

/** IoU of box `i` of `a` with box `j` of `b` (both `[x1, y1, x2, y2]`); 0 when they do not overlap. */
export function boxIou(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number): number {
  const w = Math.min(a[4 * i + 2]!, b[4 * j + 2]!) - Math.max(a[4 * i]!, b[4 * j]!);
  if (w <= 0) return 0;
  const h = Math.min(a[4 * i + 3]!, b[4 * j + 3]!) - Math.max(a[4 * i + 1]!, b[4 * j + 1]!);
  if (h <= 0) return 0;
  const inter = w * h;
  return inter / (boxArea(a, i) + boxArea(b, j) - inter);
}

/**
 * IoU matrix: entry `[i * m + j]` is the IoU of box `i` of `a` (n boxes) with box `j` of
 * `b` (m boxes). Float64Array of length n × m.
 */
export function iouMatrix(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const n = boxCount(a);
  const m = boxCount(b);
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) out[i * m + j] = boxIou(a, i, b, j);
  }
  return out;
}

/** `[x, y, w, h]` boxes (COCO) to `[x1, y1, x2, y2]`. */
export function xywhToXyxy(boxes: ArrayLike<number>): Float64Array {
  const out = new Float64Array(boxes.length);
  for (let i = 0; i < boxCount(boxes); i++) {
    out[4 * i] = boxes[4 * i]!;
    out[4 * i + 1] = boxes[4 * i + 1]!;
    out[4 * i + 2] = boxes[4 * i]! + boxes[4 * i + 2]!;
    out[4 * i + 3] = boxes[4 * i + 1]! + boxes[4 * i + 3]!;
  }
  return out;
}

/** `[x1, y1, x2, y2]` boxes to `[x, y, w, h]` (COCO). */
export function xyxyToXywh(boxes: ArrayLike<number>): Float64Array {
  const out = new Float64Array(boxes.length);
  for (let i = 0; i < boxCount(boxes); i++) {
    out[4 * i] = boxes[4 * i]!;
    out[4 * i + 1] = boxes[4 * i + 1]!;
    out[4 * i + 2] = boxes[4 * i + 2]! - boxes[4 * i]!;
    out[4 * i + 3] = boxes[4 * i + 3]! - boxes[4 * i + 1]!;
  }
  return out;
}
