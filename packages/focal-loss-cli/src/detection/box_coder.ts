/**
 * Box coding as in R-CNN / RetinaNet: a box is regressed relative to its anchor as
 * (dx, dy, dw, dh) = (wx·(cx − cxₐ)/wₐ, wy·(cy − cyₐ)/hₐ, ww·ln(w/wₐ), wh·ln(h/hₐ)).
 */

/** Weights (wx, wy, ww, wh) and the clamp on decoded dw, dh. */
export interface BoxCoderOptions {
  /** Default [1, 1, 1, 1] (RetinaNet in torchvision and Detectron2; Faster R-CNN uses [10, 10, 5, 5]). */
  weights?: readonly [number, number, number, number];
  /** Upper clamp of dw and dh (after dividing by the weights) when decoding; default ln(1000/16). */
  clamp?: number;
}

/** ln(1000 / 16): the usual clamp, so exp(dw) cannot overflow. */
export const DEFAULT_BOX_CLAMP = Math.log(1000 / 16);

/**
 * Encodes `boxes` relative to `anchors` (both `[x1, y1, x2, y2]`, the same count): four
 * deltas per box. Boxes and anchors must have positive width and height.
 *
 * @param indices optional: encode box `indices[i]` against anchor i (e.g. the matched ground
 *   truth per anchor); entries < 0 give zero deltas.
 */
export function encodeBoxes(boxes: ArrayLike<number>, anchors: ArrayLike<number>, options: BoxCoderOptions = {}, indices?: ArrayLike<number>): Float32Array {
  const [wx, wy, ww, wh] = options.weights ?? [1, 1, 1, 1];
  const n = anchors.length / 4;
  if (indices === undefined && boxes.length !== anchors.length) throw new Error(`encodeBoxes: ${boxes.length / 4} boxes for ${n} anchors`);
  const out = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const b = indices === undefined ? i : indices[i]!;
    if (b < 0) continue;
    const aw = anchors[4 * i + 2]! - anchors[4 * i]!;
    const ah = anchors[4 * i + 3]! - anchors[4 * i + 1]!;
    const acx = anchors[4 * i]! + 0.5 * aw;
    const acy = anchors[4 * i + 1]! + 0.5 * ah;
    const bw = boxes[4 * b + 2]! - boxes[4 * b]!;
    const bh = boxes[4 * b + 3]! - boxes[4 * b + 1]!;
    const bcx = boxes[4 * b]! + 0.5 * bw;
    const bcy = boxes[4 * b + 1]! + 0.5 * bh;
    out[4 * i] = (wx * (bcx - acx)) / aw;
    out[4 * i + 1] = (wy * (bcy - acy)) / ah;
    out[4 * i + 2] = ww * Math.log(bw / aw);
    out[4 * i + 3] = wh * Math.log(bh / ah);
  }
  return out;
}

/**
 * Decodes deltas (four per anchor) back to `[x1, y1, x2, y2]` boxes; dw and dh are clamped
 * from above at `options.clamp`.
 *
 * @param anchorIndices optional: decode `deltas` row i against anchor `anchorIndices[i]`
 *   (e.g. only the top-scoring anchors).
 */
export function decodeBoxes(deltas: ArrayLike<number>, anchors: ArrayLike<number>, options: BoxCoderOptions = {}, anchorIndices?: ArrayLike<number>): Float32Array {
  const [wx, wy, ww, wh] = options.weights ?? [1, 1, 1, 1];
  const clamp = options.clamp ?? DEFAULT_BOX_CLAMP;
  const n = deltas.length / 4;
  if (anchorIndices === undefined && deltas.length !== anchors.length) throw new Error(`decodeBoxes: ${n} deltas for ${anchors.length / 4} anchors`);
  const out = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const a = anchorIndices === undefined ? i : anchorIndices[i]!;
    const aw = anchors[4 * a + 2]! - anchors[4 * a]!;
    const ah = anchors[4 * a + 3]! - anchors[4 * a + 1]!;
    const acx = anchors[4 * a]! + 0.5 * aw;
    const acy = anchors[4 * a + 1]! + 0.5 * ah;
    const dx = deltas[4 * i]! / wx;
    const dy = deltas[4 * i + 1]! / wy;
    const dw = Math.min(deltas[4 * i + 2]! / ww, clamp);
    const dh = Math.min(deltas[4 * i + 3]! / wh, clamp);
    const cx = dx * aw + acx;
    const cy = dy * ah + acy;
    const w = Math.exp(dw) * aw;
    const h = Math.exp(dh) * ah;
    out[4 * i] = cx - 0.5 * w;
    out[4 * i + 1] = cy - 0.5 * h;
    out[4 * i + 2] = cx + 0.5 * w;
    out[4 * i + 3] = cy + 0.5 * h;
  }
  return out;
}
