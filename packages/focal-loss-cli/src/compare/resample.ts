/**
 * A run's test resampler (the primary test metric under bootstrap counts of test units, for
 * the verdict) built from plain data, so that a run on a worker thread can send it back:
 * closures cannot cross threads, their inputs can.
 */
import type { CocoGroundTruth, CocoResult } from 'tfjs-retinanet';
import { cocoApResampler } from '../metrics/coco_resample.js';
import { iouResampler } from '../metrics/segmentation.js';

/** See RunRecord.testResample (types.ts). */
export interface TestResample {
  units: number;
  metric(counts: Float64Array): number;
  /** What the resampler was built from ({@link resamplerFrom}), where it can be rebuilt on another thread. */
  input?: ResampleInput;
}

/** Plain data a conv-net task's resampler is built from. */
export type ResampleInput =
  | { kind: 'cocoAp'; gt: CocoGroundTruth; results: CocoResult[] }
  | { kind: 'iou'; predicted: Uint8Array; labels: Int32Array; imagePixels: number; ignoreLabel: number };

/** The resampler of a {@link ResampleInput}, carrying the input. */
export function resamplerFrom(input: ResampleInput): TestResample {
  const resampler =
    input.kind === 'cocoAp'
      ? cocoApResampler(input.gt, input.results)
      : iouResampler(input.predicted, input.labels, input.imagePixels, input.ignoreLabel);
  return { units: resampler.units, metric: (counts) => resampler.metric(counts), input };
}
