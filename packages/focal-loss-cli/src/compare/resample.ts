/**
 * A run's test resampler (the primary test metric under bootstrap counts of test units, for
 * the verdict) built from plain data, so that a run on a worker thread can send it back:
 * closures cannot cross threads, their inputs can.
 */
import { cocoApResampler } from '../metrics/coco_resample.js';
import { iouResampler } from '../metrics/segmentation.js';
import type { ResampleInput, TestResample } from './types.js';

/** The resampler of a {@link ResampleInput}, carrying the input. */
export function resamplerFrom(input: ResampleInput): TestResample {
  const resampler = input.kind === 'cocoAp' ? cocoApResampler(input.gt, input.results) : iouResampler(input.predicted, input.labels, input.imagePixels, input.ignoreLabel);
  return { units: resampler.units, metric: (counts) => resampler.metric(counts), input };
}
