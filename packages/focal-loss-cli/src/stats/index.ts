/**
 * focal-loss-cli/stats: the decision rule for "does the best of these settings beat the
 * baseline?", as functions you can apply to your own per-seed scores.
 *
 * @example
 * ```js
 * import { decide, detectableEffect } from 'focal-loss-cli/stats';
 *
 * const { selected, outcome, ci95 } = decide({
 *   baseline: 'ce',
 *   settings: {
 *     ce: { validation: [0.5, 0.52, 0.49], test: [0.5, 0.51, 0.48] },
 *     fl: { validation: [0.56, 0.57, 0.55], test: [0.55, 0.57, 0.54] },
 *   },
 * });
 * console.log(selected, outcome, ci95);
 * console.log(detectableEffect({ settings: 2, seeds: 3, sd: 0.02 }));
 * ```
 * @module focal-loss-cli/stats
 */
export { type Contrast, type Decision, type DecideInput, decide, type Outcome, type SettingScores, type TestVariance } from './decide.js';
export { dunnettCriticalValue } from './dunnett.js';
export { type DetectableEffectInput, detectableEffect } from './power.js';
