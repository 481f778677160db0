/**
 * Anchor generation for dense detectors (RetinaNet): every cell of every feature level
 * carries `scales.length × aspectRatios.length` anchors centred on the cell.
 */

/** One feature level: its stride in input pixels and the base anchor size on it. */
export interface AnchorLevel {
  /** Input pixels per feature cell (8 for P3, 16 for P4, ...). */
  stride: number;
  /** Side of the level's square anchor at scale 1 (RetinaNet: 4 × stride, e.g. 32 on P3). */
  size: number;
}

/** Options for {@link generateAnchors}. */
export interface AnchorOptions {
  /** Input image height in pixels. */
  imageHeight: number;
  /** Input image width in pixels. */
  imageWidth: number;
  /** Feature levels, finest first. Grid of a level: ceil(image / stride) cells per side. */
  levels: readonly AnchorLevel[];
  /** Scale multipliers of `size` (default RetinaNet's 2^0, 2^(1/3), 2^(2/3)). */
  scales?: readonly number[];
  /** Aspect ratios height / width (default 0.5, 1, 2). Each keeps the area of the scaled square. */
  aspectRatios?: readonly number[];
  /** Anchor centre within the cell, in cells (default 0.5: the cell centre; 0 is torchvision's corner). */
  offset?: number;
}

/** Generated anchors. */
export interface Anchors {
  /** `[x1, y1, x2, y2]` per anchor, level by level, cells row-major (y, then x), then the A anchors of a cell. */
  boxes: Float32Array;
  /** Total number of anchors. */
  count: number;
  /** Anchors per cell (A = scales × aspect ratios; ratio-major, scale fastest). */
  anchorsPerCell: number;
  /** Per level: its grid, first anchor index and anchor count (height × width × A). */
  levels: {
    /** The level's stride in pixels (its anchor size is in {@link AnchorLevel}). */
    stride: number;
    /** Grid height in cells. */
    height: number;
    /** Grid width in cells. */
    width: number;
    /** Index of the level's first anchor. */
    start: number;
    /** The level's number of anchors (height × width × A). */
    count: number;
  }[];
}

/** RetinaNet's three scales per octave: 2^0, 2^(1/3), 2^(2/3). */
export const RETINANET_SCALES: readonly number[] = [1, 2 ** (1 / 3), 2 ** (2 / 3)];
/** RetinaNet's aspect ratios (height / width). */
export const RETINANET_ASPECT_RATIOS: readonly number[] = [0.5, 1, 2];

/**
 * The anchors of all levels, in the order a head that outputs `[H, W, A × K]` (NHWC) per
 * level, reshaped to `[H × W × A, K]` and concatenated over levels, predicts them.
 *
 * Anchor of scale s and ratio r on a level of size S: width S·s/√r, height S·s·√r,
 * centred at ((x + offset) · stride, (y + offset) · stride).
 */
export function generateAnchors(options: AnchorOptions): Anchors {
  const { imageHeight, imageWidth, levels } = options;
  const scales = options.scales ?? RETINANET_SCALES;
  const ratios = options.aspectRatios ?? RETINANET_ASPECT_RATIOS;
  const offset = options.offset ?? 0.5;
  if (!(imageHeight > 0 && imageWidth > 0)) throw new Error('generateAnchors: image size must be > 0');
  if (levels.length === 0 || scales.length === 0 || ratios.length === 0)
    throw new Error('generateAnchors: levels, scales and aspectRatios must not be empty');
  for (const v of [...scales, ...ratios, ...levels.flatMap((l) => [l.stride, l.size])]) {
    if (!(v > 0) || !Number.isFinite(v))
      throw new Error(`generateAnchors: strides, sizes, scales and ratios must be finite and > 0, got ${v}`);
  }
  const a = scales.length * ratios.length;
  const info: Anchors['levels'] = [];
  let total = 0;
  for (const level of levels) {
    const height = Math.ceil(imageHeight / level.stride);
    const width = Math.ceil(imageWidth / level.stride);
    info.push({ stride: level.stride, height, width, start: total, count: height * width * a });
    total += height * width * a;
  }
  const boxes = new Float32Array(total * 4);
  for (const [l, level] of levels.entries()) {
    // Half sizes of the cell's A anchors.
    const half: number[] = [];
    for (const r of ratios) {
      for (const s of scales) half.push((level.size * s) / Math.sqrt(r) / 2, (level.size * s * Math.sqrt(r)) / 2);
    }
    const { height, width, start } = info[l]!;
    let k = start * 4;
    for (let y = 0; y < height; y++) {
      const cy = (y + offset) * level.stride;
      for (let x = 0; x < width; x++) {
        const cx = (x + offset) * level.stride;
        for (let i = 0; i < a; i++) {
          boxes[k++] = cx - half[2 * i]!;
          boxes[k++] = cy - half[2 * i + 1]!;
          boxes[k++] = cx + half[2 * i]!;
          boxes[k++] = cy + half[2 * i + 1]!;
        }
      }
    }
  }
  return { boxes, count: total, anchorsPerCell: a, levels: info };
}
