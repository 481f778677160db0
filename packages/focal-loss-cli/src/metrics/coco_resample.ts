/**
 * COCO AP under a bootstrap resample of the test images, for the verdict's test-set noise
 * (see compare/decision.ts).
 */
import { COCO_IOU_THRESHOLDS, COCO_RECALL_THRESHOLDS } from 'tfjs-retinanet';
import type { CocoGroundTruth, CocoResult } from 'tfjs-retinanet';

/**
 * COCO AP (IoU .50:.95, area all, 100 detections) recomputed for a bootstrap resample of the
 * images: image i counted `counts[i]` times. This is exactly what `evaluateCoco` gives on
 * ground truth and detections with every image repeated `counts[i]` times: COCO matches
 * within an image, so the matches are computed once (pycocotools' greedy rule; the scenes
 * have no crowd regions and area range "all" ignores nothing) and each resample only
 * re-accumulates the precision-recall curves with image weights.
 */
export function cocoApResampler(
  gt: CocoGroundTruth,
  results: readonly CocoResult[],
): { units: number; metric(counts: ArrayLike<number>): number } {
  const T = COCO_IOU_THRESHOLDS.length;
  const R = COCO_RECALL_THRESHOLDS.length;
  const EPS = 2 ** -52;
  const imageIds = gt.images.map((im) => im.id).sort((a, b) => a - b);
  const categoryIds = gt.categories.map((c) => c.id).sort((a, b) => a - b);
  const key = (imageId: number, categoryId: number) => `${imageId}/${categoryId}`;
  const group = <V extends { image_id: number; category_id: number }>(items: readonly V[]) => {
    const map = new Map<string, V[]>();
    for (const item of items) {
      const k = key(item.image_id, item.category_id);
      const list = map.get(k);
      if (list) list.push(item);
      else map.set(k, [item]);
    }
    return map;
  };
  const gtBy = group(gt.annotations);
  const dtBy = group(results);
  // Per category: ground-truth count per image; detections in pycocotools' ranking order with their image and matches.
  const perCategory = categoryIds.map((categoryId) => {
    const gtPerImage = new Float64Array(imageIds.length);
    const dets: { image: number; score: number; matched: Uint8Array }[] = [];
    for (const [i, imageId] of imageIds.entries()) {
      const gts = (gtBy.get(key(imageId, categoryId)) ?? []).map((a) => a.bbox);
      gtPerImage[i] = gts.length;
      const all = dtBy.get(key(imageId, categoryId)) ?? [];
      const order = all
        .map((_, j) => j)
        .sort((a, b) => all[b]!.score - all[a]!.score)
        .slice(0, 100);
      const taken = Array.from({ length: T }, () => new Uint8Array(gts.length));
      for (const j of order) {
        const d = all[j]!.bbox;
        const matched = new Uint8Array(T);
        const ious = gts.map((g) => {
          const iw = Math.min(d[0]! + d[2]!, g[0]! + g[2]!) - Math.max(d[0]!, g[0]!);
          if (iw <= 0) return 0;
          const ih = Math.min(d[1]! + d[3]!, g[1]! + g[3]!) - Math.max(d[1]!, g[1]!);
          if (ih <= 0) return 0;
          const inter = iw * ih;
          return inter / (d[2]! * d[3]! + g[2]! * g[3]! - inter);
        });
        for (let t = 0; t < T; t++) {
          let best = Math.min(COCO_IOU_THRESHOLDS[t]!, 1 - 1e-10);
          let m = -1;
          for (let g = 0; g < gts.length; g++) {
            if (taken[t]![g] || ious[g]! < best) continue;
            best = ious[g]!;
            m = g;
          }
          if (m >= 0) {
            taken[t]![m] = 1;
            matched[t] = 1;
          }
        }
        dets.push({ image: i, score: all[j]!.score, matched });
      }
    }
    // Stable sort by decreasing score over the concatenation in image order, as pycocotools.
    const ranked = dets.map((_, j) => j).sort((a, b) => dets[b]!.score - dets[a]!.score);
    const image = Int32Array.from(ranked, (j) => dets[j]!.image);
    // matched[t * nd + j]
    const matched = new Uint8Array(T * ranked.length);
    ranked.forEach((j, r) => {
      for (let t = 0; t < T; t++) matched[t * ranked.length + r] = dets[j]!.matched[t]!;
    });
    return { gtPerImage, image, matched };
  });
  const maxDets = Math.max(1, ...perCategory.map((c) => c.image.length));
  const pr = new Float64Array(maxDets);
  const rc = new Float64Array(maxDets);
  return {
    units: imageIds.length,
    metric(counts: ArrayLike<number>): number {
      let sum = 0;
      let defined = 0;
      for (const { gtPerImage, image, matched } of perCategory) {
        let numGt = 0;
        for (let i = 0; i < gtPerImage.length; i++) numGt += gtPerImage[i]! * counts[i]!;
        if (numGt === 0) continue;
        const nd = image.length;
        for (let t = 0; t < T; t++) {
          let tp = 0;
          let fp = 0;
          const row = t * nd;
          for (let j = 0; j < nd; j++) {
            const c = counts[image[j]!]!;
            if (matched[row + j]) tp += c;
            else fp += c;
            rc[j] = tp / numGt;
            pr[j] = tp / (fp + tp + EPS);
          }
          for (let j = nd - 1; j > 0; j--) if (pr[j]! > pr[j - 1]!) pr[j - 1] = pr[j]!;
          let j = 0;
          for (let r = 0; r < R; r++) {
            while (j < nd && rc[j]! < COCO_RECALL_THRESHOLDS[r]!) j++;
            sum += j < nd ? pr[j]! : 0;
          }
          defined += R;
        }
      }
      return defined === 0 ? -1 : sum / defined;
    },
  };
}
