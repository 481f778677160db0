/**
 * Keras-style focal losses for `model.compile({ loss })` in tfjs-layers.
 *
 * This module needs only `@tensorflow/tfjs-core`: it is re-exported from the main entry as the
 * `losses` namespace (`import { losses } from 'focal-loss'`). The save/load helpers and the
 * prior-probability initializer, which need tfjs-layers, live in `focal-loss/layers`.
 *
 * Every factory returns a plain function `(yTrue, yPred) => perSampleLoss` that tfjs-layers
 * accepts as a loss or a metric. It returns one value per sample (the prediction's shape
 * without `axis`); tfjs-layers then takes the batch mean, which is Keras'
 * `sum_over_batch_size` reduction. The function also carries, as non-enumerable properties,
 * `className` and `getConfig()`, so that {@link fromConfig} can rebuild it (this is what
 * `saveFocalModel` / `loadFocalModel` in `focal-loss/layers` store).
 *
 * This module is the namespace itself: each part lives in its own file (loss_types.ts,
 * loss_function.ts, keras_losses.ts, family_losses.ts, serialization.ts).
 *
 * @packageDocumentation
 */

export type {
  BinaryFocalCrossentropyConfig,
  CategoricalFocalCrossentropyConfig,
  SparseCategoricalFocalCrossentropyConfig,
  FocalLossClassName,
  FamilyClassName,
  FocalLossFunction,
  FocalLossSpec,
  FamilyLossConfig,
} from './loss_types.js';
export { EPSILON } from './loss_function.js';
export { binaryFocalCrossentropy, categoricalFocalCrossentropy, sparseCategoricalFocalCrossentropy } from './keras_losses.js';
export { qualityFocalLoss, varifocalLoss, gaussianFocalLoss, polyFocalLoss, asymmetricLoss } from './family_losses.js';
export { isFocalLoss, toConfig, fromConfig } from './serialization.js';
