/**
 * A user's segmentation data: a folder of images and a folder of masks paired by file stem.
 * A mask's value is the class index of its pixel, 255 (Pascal VOC's convention, or
 * `--ignore-index N`) is ignored; a mask set whose values are only 0 and 255 is binary
 * (0 background, 255 foreground). Decoded once, letterboxed (masks by nearest neighbour, the
 * padding ignored), split by image. Every problem is a {@link DataError} naming the file.
 */
import { DataError, printable } from '../errors.js';
import { decodeImage, decodeMask } from './decode.js';
import { listFolder } from './files.js';
import { letterboxImage, letterboxMask } from './letterbox.js';
import { seededSplit, splitFromFile } from './split.js';

/** Label of ignored pixels after loading (the user's ignore value and the letterbox padding). */
export const IGNORED_PIXEL = -1;

/** Class indices a mask may hold (0 … MAX_CLASS_INDEX), besides the ignore value. */
export const MAX_CLASS_INDEX = 63;

/** Where the user's segmentation data is: plain data, so that a worker thread can load it too. */
export interface SegmentationSource {
  images: string;
  masks: string;
  /** Mask value that is ignored; undefined: 255, and {0, 255} masks are binary. */
  ignoreIndex?: number;
  split?: string;
  side: number;
}

/** Images and their label maps letterboxed into `size`×`size` squares. */
export interface ImageMaskSet {
  count: number;
  size: number;
  channels: 1 | 3;
  /** `[count, size, size, channels]`, values in [0, 1]. */
  images: Float32Array;
  /** `[count, size, size]`: class index, or {@link IGNORED_PIXEL}. */
  labels: Int32Array;
  names: string[];
}

/** A loaded segmentation data set. */
export interface SegmentationDataset {
  classNames: string[];
  /** True for {0, 255} masks: class 1 (foreground) is the mask's 255. */
  binary: boolean;
  train: ImageMaskSet;
  validation: ImageMaskSet;
  test: ImageMaskSet;
  notes: {
    images: number;
    /** Pixels per class over all masks (before letterboxing), and ignored pixels. */
    classPixels: number[];
    ignoredPixels: number;
    sizes: Map<string, number>;
  };
}

/** Loads, checks, letterboxes and splits the user's segmentation data. */
export function loadSegmentationDataset(source: SegmentationSource): SegmentationDataset {
  const images = listFolder(source.images, '--images');
  const masks = listFolder(source.masks, '--masks', ['.png']);
  const maskOf = new Map(masks.map((m) => [m.stem, m]));
  const imageStems = new Set(images.map((f) => f.stem));
  for (const f of images)
    if (!maskOf.has(f.stem))
      throw new DataError(`${printable(f.path)}: no mask '${printable(f.stem)}.png' in --masks ${printable(source.masks)}`);
  for (const m of masks)
    if (!imageStems.has(m.stem))
      throw new DataError(`${printable(m.path)}: no image '${printable(m.stem)}.*' in --images ${printable(source.images)}`);
  const ignore = source.ignoreIndex ?? 255;
  const side = source.side;
  const n = images.length;
  const pixels = new Float32Array(n * side * side * 3);
  const raw = new Int32Array(n * side * side);
  // Pixels per mask value (PNG masks hold at most 16 bits).
  const histogram = new Float64Array(65536);
  const sizes = new Map<string, number>();
  let colour = false;
  images.forEach((f, i) => {
    const image = decodeImage(f.path);
    const maskFile = maskOf.get(f.stem)!;
    const mask = decodeMask(maskFile.path);
    if (mask.width !== image.width || mask.height !== image.height)
      throw new DataError(
        `${printable(maskFile.path)}: mask is ${mask.width}x${mask.height}, its image ${printable(f.name)} is ${image.width}x${image.height}`,
      );
    const own = new Float64Array(65536);
    for (const v of mask.values) own[v]!++;
    for (let v = MAX_CLASS_INDEX + 1; v < 65536; v++) {
      if (own[v]! > 0 && v !== ignore && !(source.ignoreIndex === undefined && v === 255))
        throw new DataError(
          `${printable(maskFile.path)}: mask value ${v} is beyond the classes (class indices 0-${MAX_CLASS_INDEX}; ${ignore} is ignored${source.ignoreIndex === undefined ? '; --ignore-index N to change' : ''})`,
        );
    }
    for (let v = 0; v < 65536; v++) histogram[v]! += own[v]!;
    colour ||= image.channels === 3;
    const key = `${image.width}x${image.height}`;
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
    letterboxImage(image, side, 3, pixels.subarray(i * side * side * 3, (i + 1) * side * side * 3));
    letterboxMask(mask.values, mask.width, mask.height, side, IGNORED_PIXEL, raw.subarray(i * side * side, (i + 1) * side * side));
  });
  const values: number[] = [];
  for (let v = 0; v < 65536; v++) if (histogram[v]! > 0) values.push(v);
  // {0, 255} masks with the default ignore value: binary, 255 the foreground.
  const binary = source.ignoreIndex === undefined && values.every((v) => v === 0 || v === 255) && values.includes(255);
  const classOf = (v: number) => (v === IGNORED_PIXEL ? IGNORED_PIXEL : binary ? (v === 255 ? 1 : 0) : v === ignore ? IGNORED_PIXEL : v);
  const classes = binary ? 2 : Math.max(0, ...values.filter((v) => v !== ignore)) + 1;
  if (classes < 2)
    throw new DataError(
      `--masks ${printable(source.masks)}: every pixel is class 0 or ignored: nothing to segment (values seen: ${values.join(', ')})`,
    );
  const classPixels = new Array<number>(classes).fill(0);
  let ignoredPixels = 0;
  for (const v of values) {
    const c = classOf(v);
    if (c === IGNORED_PIXEL) ignoredPixels += histogram[v]!;
    else classPixels[c]! += histogram[v]!;
  }
  for (let p = 0; p < raw.length; p++) raw[p] = classOf(raw[p]!);
  const channels: 1 | 3 = colour ? 3 : 1;
  if (!colour) for (let p = 0; p < n * side * side; p++) pixels[p] = pixels[3 * p]!;
  const names = images.map((f) => f.name);
  const split = source.split ? splitFromFile(source.split, names) : seededSplit(n, `--images ${printable(source.images)}`);
  const per = side * side;
  const part = (indices: number[]): ImageMaskSet => {
    const images = new Float32Array(indices.length * per * channels);
    const labels = new Int32Array(indices.length * per);
    indices.forEach((k, j) => {
      images.set(pixels.subarray(k * per * channels, (k + 1) * per * channels), j * per * channels);
      labels.set(raw.subarray(k * per, (k + 1) * per), j * per);
    });
    return { count: indices.length, size: side, channels, images, labels, names: indices.map((k) => names[k]!) };
  };
  const classNames = binary ? ['background (0)', 'foreground (255)'] : Array.from({ length: classes }, (_, c) => `class ${c}`);
  return {
    classNames,
    binary,
    train: part(split.train),
    validation: part(split.validation),
    test: part(split.test),
    notes: { images: n, classPixels, ignoredPixels, sizes },
  };
}
