/**
 * (De)serialisation of the Keras-style losses: `{ className, config }` out of a loss made by
 * the factories, and the loss back from it (what saveFocalModel and loadFocalModel store).
 */
import { FAMILY_FACTORIES } from './family_losses.js';
import { binaryFocalCrossentropy, categoricalFocalCrossentropy, sparseCategoricalFocalCrossentropy } from './keras_losses.js';
import type {
  BinaryFocalCrossentropyConfig,
  CategoricalFocalCrossentropyConfig,
  FamilyClassName,
  FocalLossFunction,
  FocalLossSpec,
  SparseCategoricalFocalCrossentropyConfig,
} from './loss_types.js';

/**
 * True for a function returned by one of this module's factories.
 *
 * @example
 * ```ts
 * import { losses } from 'focal-loss';
 * losses.isFocalLoss(losses.binaryFocalCrossentropy()); // true
 * losses.isFocalLoss((a, b) => a);                       // false
 * ```
 */
export function isFocalLoss(fn: unknown): fn is FocalLossFunction {
  return (
    typeof fn === 'function' &&
    typeof (fn as Partial<FocalLossFunction>).getConfig === 'function' &&
    [
      'BinaryFocalCrossentropy',
      'CategoricalFocalCrossentropy',
      'SparseCategoricalFocalCrossentropy',
      ...Object.keys(FAMILY_FACTORIES),
    ].includes((fn as Partial<FocalLossFunction>).className as string)
  );
}

/**
 * The serialisable `{ className, config }` of a focal loss made by this module.
 *
 * @example
 * ```ts
 * import { losses } from 'focal-loss';
 * const spec = losses.toConfig(losses.binaryFocalCrossentropy({ gamma: 3 }));
 * // { className: 'BinaryFocalCrossentropy', config: { alpha: 0.25, gamma: 3, ... } }
 * const again = losses.fromConfig(JSON.parse(JSON.stringify(spec)));
 * ```
 */
export function toConfig(fn: FocalLossFunction): FocalLossSpec {
  if (!isFocalLoss(fn)) throw new Error('toConfig: not a loss made by focal-loss `losses` factories');
  return { className: fn.className, config: fn.getConfig() as Record<string, unknown> };
}

/**
 * Rebuilds a loss from `{ className, config }` (as written by {@link toConfig}); the config is
 * validated like the factories' options.
 *
 * @example
 * ```ts
 * import { losses } from 'focal-loss';
 * const loss = losses.fromConfig({ className: 'CategoricalFocalCrossentropy', config: { alpha: [1, 2] } });
 * ```
 */
export function fromConfig(spec: FocalLossSpec): FocalLossFunction {
  if (spec === null || typeof spec !== 'object') throw new Error('fromConfig: expected { className, config }');
  const config = (spec.config ?? {}) as Record<string, unknown>;
  switch (spec.className) {
    case 'BinaryFocalCrossentropy':
      return binaryFocalCrossentropy(config as BinaryFocalCrossentropyConfig);
    case 'CategoricalFocalCrossentropy':
      return categoricalFocalCrossentropy(config as CategoricalFocalCrossentropyConfig);
    case 'SparseCategoricalFocalCrossentropy':
      return sparseCategoricalFocalCrossentropy(config as SparseCategoricalFocalCrossentropyConfig);
    default:
      if (Object.hasOwn(FAMILY_FACTORIES, spec.className)) return FAMILY_FACTORIES[spec.className as FamilyClassName](config);
      throw new Error(`fromConfig: unknown focal loss class '${String((spec as { className?: unknown }).className)}'`);
  }
}
