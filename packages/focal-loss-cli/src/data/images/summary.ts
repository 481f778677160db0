/**
 * The data summary printed before training and at the top of the report: images per split,
 * objects per image, box sizes against the anchor sizes and the share of true boxes that some
 * anchor covers at IoU ≥ 0.5 (a box no anchor covers can never be a positive: RetinaNet cannot
 * learn it), with the `--image-size` that would cover at least 80 %; for masks, the class
 * pixel frequencies.
 */
import type { Anchors } from 'tfjs-retinanet';
import type { DetectionDataset, ImageBoxSet } from './detection_data.js';
import type { SegmentationDataset } from './segmentation_data.js';

/** Below this share of boxes covered by an anchor at IoU ≥ 0.5, the summary warns. */
export const COVERAGE_WARNING = 0.8;

/** Image sizes the suggestion tries (multiples of 32, as the network needs). */
export const SUGGESTED_SIZES = [64, 96, 128, 160, 192, 256, 320, 384, 448, 512];

/** Best IoU of a box with any anchor. */
function bestAnchorIou(box: ArrayLike<number>, anchors: Float32Array): number {
  const [x1, y1, x2, y2] = [box[0]!, box[1]!, box[2]!, box[3]!];
  const area = (x2 - x1) * (y2 - y1);
  let best = 0;
  for (let a = 0; a < anchors.length; a += 4) {
    const iw = Math.min(x2, anchors[a + 2]!) - Math.max(x1, anchors[a]!);
    if (iw <= 0) continue;
    const ih = Math.min(y2, anchors[a + 3]!) - Math.max(y1, anchors[a + 1]!);
    if (ih <= 0) continue;
    const inter = iw * ih;
    const iou = inter / (area + (anchors[a + 2]! - anchors[a]!) * (anchors[a + 3]! - anchors[a + 1]!) - inter);
    if (iou > best) best = iou;
  }
  return best;
}

/** Share of the boxes (`[x1, y1, x2, y2]` each, in a square of the anchors' side) that some anchor covers at IoU ≥ 0.5. */
export function anchorCoverage(boxes: readonly ArrayLike<number>[], anchors: Anchors): number {
  if (boxes.length === 0) return 1;
  let covered = 0;
  for (const b of boxes) if (bestAnchorIou(b, anchors.boxes) >= 0.5) covered++;
  return covered / boxes.length;
}

/** Every true box of the sets, one array each. */
export function allBoxes(sets: readonly ImageBoxSet[]): Float32Array[] {
  return sets.flatMap((s) => s.boxes.flatMap((b) => Array.from({ length: b.length / 4 }, (_, i) => b.subarray(4 * i, 4 * i + 4))));
}

const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 && x > 0 ? 1 : 0)} %`;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** What the detection summary computes, for the report and the tests. */
export interface DetectionSummary {
  lines: string[];
  coverage: number;
  /** The smallest tried `--image-size` whose coverage reaches {@link COVERAGE_WARNING}, where the current one does not. */
  suggestedSize?: number;
}

/**
 * The detection data summary. `anchorsAt(side)` gives the anchors of the network at an image
 * size (for the suggestion); `side` is the current one.
 */
export function detectionSummary(
  data: DetectionDataset,
  side: number,
  anchorsAt: (side: number) => Anchors,
  anchorWords: string,
): DetectionSummary {
  const { notes } = data;
  const sets = [data.train, data.validation, data.test];
  const boxes = allBoxes(sets);
  const perImage = sets.flatMap((s) => s.classes.map((c) => c.length));
  const perClass = data.classNames.map((_, k) =>
    sets.reduce((n, s) => n + s.classes.reduce((m, c) => m + c.filter((v) => v === k).length, 0), 0),
  );
  const sides = boxes.map((b) => Math.sqrt((b[2]! - b[0]!) * (b[3]! - b[1]!))).sort((a, b) => a - b);
  const coverage = anchorCoverage(boxes, anchorsAt(side));
  const sizes = [...notes.sizes.entries()].sort((a, b) => b[1] - a[1]);
  const lines = [
    `${notes.images} images (${data.train.count} train / ${data.validation.count} validation / ${data.test.count} test), ` +
      `${data.train.channels === 3 ? 'colour' : 'gray'}, ${sizes.length === 1 ? sizes[0]![0] : `${sizes.length} sizes, most often ${sizes[0]![0]}`}, letterboxed to ${side}x${side}; ` +
      `${notes.format === 'voc' ? 'Pascal VOC' : 'COCO'} annotations.`,
    `${boxes.length} objects in ${data.classNames.length} class${data.classNames.length === 1 ? '' : 'es'} (${data.classNames.map((n, k) => `${n}: ${perClass[k]}`).join(', ')}); ` +
      `${Math.min(...perImage)}-${Math.max(...perImage)} per image (mean ${(boxes.length / Math.max(1, perImage.length)).toFixed(2)}); ` +
      `${notes.withoutObjects} image${notes.withoutObjects === 1 ? '' : 's'} without objects (negatives)` +
      `${notes.withoutAnnotation > 0 ? (notes.format === 'voc' ? `, ${notes.withoutAnnotation} of them without an annotation file` : `; ${notes.withoutAnnotation} images not in the COCO file were left out`) : ''}` +
      `${notes.ignored > 0 ? `; ${notes.ignored} ${notes.format === 'voc' ? 'difficult' : 'crowd'} regions ignored` : ''}` +
      `${notes.clipped > 0 ? `; ${notes.clipped} box${notes.clipped === 1 ? '' : 'es'} reached outside the image and were clipped` : ''}` +
      `${notes.sizeMismatch > 0 ? `; ${notes.sizeMismatch} VOC <size> entries disagree with the image (the image was trusted)` : ''}.`,
    `Box sizes at ${side} px (square root of the area): median ${quantile(sides, 0.5).toFixed(0)}, 10-90 % ${quantile(sides, 0.1).toFixed(0)}-${quantile(sides, 0.9).toFixed(0)}, ` +
      `range ${sides[0]?.toFixed(0)}-${sides.at(-1)?.toFixed(0)}; anchors ${anchorWords}. ` +
      `${pct(coverage)} of the boxes have an anchor at IoU ≥ 0.5.`,
  ];
  let suggestedSize: number | undefined;
  if (coverage < COVERAGE_WARNING) {
    const tried = SUGGESTED_SIZES.filter((s) => s !== side).map((s) => {
      const scaled = boxes.map((b) => Float32Array.from(b, (v) => (v * s) / side));
      return { s, c: anchorCoverage(scaled, anchorsAt(s)) };
    });
    const good = tried.find((t) => t.c >= COVERAGE_WARNING);
    const best = tried.reduce((a, b) => (b.c > a.c ? b : a));
    suggestedSize = good?.s;
    lines.push(
      `Warning: only ${pct(coverage)} of the boxes have an anchor at IoU ≥ 0.5: the others can never be positives. ` +
        (good
          ? `--image-size ${good.s} would cover ${pct(good.c)}.`
          : `No --image-size from ${SUGGESTED_SIZES[0]} to ${SUGGESTED_SIZES.at(-1)} covers 80 % (best: ${best.s}, ${pct(best.c)}).`),
    );
  }
  return { lines, coverage, ...(suggestedSize === undefined ? {} : { suggestedSize }) };
}

/** The segmentation data summary. */
export function segmentationSummary(data: SegmentationDataset, side: number): string[] {
  const { notes } = data;
  const total = notes.classPixels.reduce((a, b) => a + b, 0);
  const sizes = [...notes.sizes.entries()].sort((a, b) => b[1] - a[1]);
  return [
    `${notes.images} images (${data.train.count} train / ${data.validation.count} validation / ${data.test.count} test), ` +
      `${data.train.channels === 3 ? 'colour' : 'gray'}, ${sizes.length === 1 ? sizes[0]![0] : `${sizes.length} sizes, most often ${sizes[0]![0]}`}, letterboxed to ${side}x${side} (masks by nearest neighbour).`,
    data.binary
      ? 'Masks hold only the values 0 and 255: binary segmentation, 255 = foreground (class 1), 0 = background (class 0).'
      : `Masks hold class indices 0-${data.classNames.length - 1}; ${notes.ignoredPixels > 0 ? 'the ignore value marks pixels left out of training and metrics' : 'no ignored pixels'}.`,
    `Class pixel frequencies: ${data.classNames.map((n, k) => `${n} ${pct(notes.classPixels[k]! / Math.max(1, total))}`).join(', ')}` +
      `${notes.ignoredPixels > 0 ? `; ignored ${pct(notes.ignoredPixels / (total + notes.ignoredPixels))} of all pixels` : ''}.`,
  ];
}
