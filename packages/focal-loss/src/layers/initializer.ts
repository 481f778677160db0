import { fill, serialization, type DataType, type Tensor } from '@tensorflow/tfjs-core';
import { initializers } from '@tensorflow/tfjs-layers';
import { checkInRange } from '../core/options.js';

/** tfjs-layers' `Initializer` type (the class itself is not exported by name). */
type Initializer = ReturnType<typeof initializers.ones>;

/**
 * tfjs-layers' `Initializer` base class. tfjs-layers only accepts initializer objects that are
 * `instanceof` it, and exports it through its built-in initializers only, so take it from the
 * prototype chain of one of them.
 */
const InitializerBase = Object.getPrototypeOf(initializers.zeros().constructor) as new () => Initializer;

/** Constructor options of {@link PriorProbability}. */
export interface PriorProbabilityArgs {
  /** Prior probability π of the positive class, in (0, 1). Default 0.01. */
  probability?: number;
}

/**
 * Bias initializer of RetinaNet (Lin et al. 2017, §4.1): every value is
 * `b = -log((1 - π) / π)`, so that a sigmoid output starts at `π` for every anchor/class.
 * With π = 0.01 the many background locations start with a small loss, which keeps the first
 * steps of a dense detector from being swamped by them.
 *
 * Registered with `tf.serialization.registerClass` under the class name `PriorProbability`,
 * so a saved model whose layers use it loads again (importing `focal-loss/layers` registers it).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { PriorProbability } from 'focal-loss/layers';
 *
 * const head = tf.layers.dense({ units: 1, biasInitializer: new PriorProbability({ probability: 0.01 }) });
 * ```
 */
export class PriorProbability extends InitializerBase {
  /** Class name used in serialised model configs. */
  static className = 'PriorProbability';
  /** The prior probability π. */
  readonly probability: number;

  constructor(args: PriorProbabilityArgs = {}) {
    super();
    this.probability = checkInRange('PriorProbability', 'probability', args.probability ?? 0.01, 0, 1, '()');
  }

  /** The bias value `-log((1 - π) / π)` (computed in float64). */
  get bias(): number {
    return -Math.log((1 - this.probability) / this.probability);
  }

  apply(shape: number[], dtype?: DataType): Tensor {
    const dt = dtype ?? 'float32';
    if (dt !== 'float32') throw new Error(`PriorProbability: only float32 is supported, got ${dt}`);
    return fill(shape, this.bias, dt);
  }

  /** The initializer's config, `{ probability }`, as tfjs-layers serialises it. */
  override getConfig(): serialization.ConfigDict {
    return { probability: this.probability };
  }

  /** Rebuilds the initializer from {@link getConfig}'s output (used when a model is loaded). */
  static fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}
serialization.registerClass(PriorProbability);

/**
 * Shorthand for `new PriorProbability({ probability: pi })`: a tfjs-layers bias initializer
 * giving `b = -log((1 - π) / π)`, i.e. an initial sigmoid output of π (RetinaNet's prior).
 *
 * @param pi Prior probability of the positive class, in (0, 1). Default 0.01.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { priorProbabilityInitializer } from 'focal-loss/layers';
 *
 * const model = tf.sequential({
 *   layers: [tf.layers.dense({ units: 1, inputShape: [8], biasInitializer: priorProbabilityInitializer(0.01) })],
 * });
 * const p0 = tf.sigmoid(model.predict(tf.zeros([1, 8])) as tf.Tensor); // ≈ 0.01
 * ```
 */
export function priorProbabilityInitializer(pi = 0.01): PriorProbability {
  return new PriorProbability({ probability: pi });
}
