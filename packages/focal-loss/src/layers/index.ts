/**
 * `focal-loss/layers`: everything that needs `@tensorflow/tfjs-layers` (an optional peer
 * dependency) — save/load/resume helpers, the RetinaNet prior-probability bias initializer,
 * and a small in-memory dataset for `fitDataset` — plus the Keras-style `losses` namespace
 * (also exported by the main entry).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { losses, priorProbabilityInitializer, saveFocalModel, loadFocalModel } from 'focal-loss/layers';
 * ```
 *
 * @module focal-loss/layers
 */
export * as losses from './losses.js';
export type {
  BinaryFocalCrossentropyConfig,
  CategoricalFocalCrossentropyConfig,
  SparseCategoricalFocalCrossentropyConfig,
  FocalLossFunction,
  FocalLossSpec,
  FocalLossClassName,
} from './losses.js';
export { PriorProbability, priorProbabilityInitializer, type PriorProbabilityArgs } from './initializer.js';
export { saveFocalModel, loadFocalModel, COMPILE_METADATA_KEY, type LoadFocalModelOptions } from './io.js';
export { tensorDataset, type TensorDataset, type TensorDatasetOptions, type TensorBatch } from './dataset.js';
