import { gather, keep, tensor1d, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { checkInteger, checkKnownOptions } from '../core/options.js';
import { mulberry32 } from '../core/random.js';

/** Options of {@link tensorDataset}. */
export interface TensorDatasetOptions {
  /** Samples per batch (the last batch may be smaller). Default 32. */
  batchSize?: number;
  /** Reshuffle the samples at the start of every pass. Default true. */
  shuffle?: boolean;
  /** Seed of the shuffle, for reproducible runs; without it, `Math.random` is used. */
  seed?: number;
}

/** What {@link tensorDataset} yields: one batch for `fitDataset` / `evaluateDataset`. */
export interface TensorBatch {
  /** The batch's inputs, in the structure the dataset was given (a tensor, an array, or a map by input name). */
  xs: Tensor | Tensor[] | Record<string, Tensor>;
  /** The batch's targets, in the structure the dataset was given. */
  ys: Tensor | Tensor[] | Record<string, Tensor>;
}

/**
 * A dataset in the shape tfjs-layers' `fitDataset` / `evaluateDataset` read
 * (`size` and an async `iterator()`), made from in-memory tensors, with no dependency on
 * tfjs-data.
 */
export interface TensorDataset {
  /** Number of batches in one pass. */
  readonly size: number;
  /** A fresh pass over the data (reshuffled when `shuffle` is on). */
  iterator(): Promise<{
    /** The next batch, or `{ done: true }` at the end of the pass. */
    next(): Promise<IteratorResult<TensorBatch>>;
  }>;
}

type Structure = Tensor | Tensor[] | Record<string, Tensor>;

function leaves(s: Structure): Tensor[] {
  if (Array.isArray(s)) return s;
  if (isTensorLike(s)) return [s];
  return Object.values(s);
}

function isTensorLike(s: unknown): s is Tensor {
  return s !== null && typeof s === 'object' && 'dataId' in s && 'shape' in s;
}

function mapStructure(s: Structure, f: (t: Tensor) => Tensor): Structure {
  if (Array.isArray(s)) return s.map(f);
  if (isTensorLike(s)) return f(s);
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, f(v)]));
}

/**
 * Batches of in-memory tensors for `model.fitDataset` / `model.evaluateDataset`.
 *
 * This is the documented way to train with integer (sparse) targets and
 * `losses.sparseCategoricalFocalCrossentropy`: tfjs-layers' `model.fit(x, y)` rejects targets
 * of shape `[N]` or `[N, 1]` for every loss except its own `sparseCategoricalCrossentropy`,
 * while `fitDataset` passes them to the loss unchanged. `x` and `y` may be tensors, arrays of
 * tensors or dicts keyed by input/output name (multi-input / multi-output models); all must
 * have the same first dimension. The input tensors are not disposed; each batch is a fresh
 * copy that tfjs-layers disposes after the step.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { losses } from 'focal-loss';
 * import { tensorDataset } from 'focal-loss/layers';
 *
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
 * model.compile({ optimizer: 'adam', loss: losses.sparseCategoricalFocalCrossentropy({ fromLogits: true }) });
 * const x = tf.randomNormal([100, 4]);
 * const labels = tf.randomUniform([100], 0, 3, 'int32');
 * await model.fitDataset(tensorDataset(x, labels, { batchSize: 20, seed: 1 }), { epochs: 3, verbose: 0 });
 * const [loss] = [await model.evaluateDataset(tensorDataset(x, labels, { shuffle: false }), {})].flat();
 * ```
 */
export function tensorDataset(x: Structure, y: Structure, options: TensorDatasetOptions = {}): TensorDataset {
  const F = 'tensorDataset';
  checkKnownOptions(F, options, ['batchSize', 'shuffle', 'seed']);
  const batchSize = checkInteger(F, 'batchSize', options.batchSize ?? 32, 1);
  const shuffle = options.shuffle ?? true;
  const all = [...leaves(x), ...leaves(y)];
  if (all.length === 0) throw new Error(`${F}: x and y must hold at least one tensor each`);
  const n = all[0].shape[0];
  for (const t of all) {
    if (t.rank === 0 || t.shape[0] !== n) {
      throw new Error(`${F}: every tensor needs the same first (sample) dimension ${n}, got shape [${t.shape}]`);
    }
  }
  const random = options.seed === undefined ? Math.random : mulberry32(options.seed);
  const size = Math.ceil(n / batchSize);
  return {
    size,
    async iterator() {
      const order = Array.from({ length: n }, (_, i) => i);
      if (shuffle) {
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [order[i], order[j]] = [order[j], order[i]];
        }
      }
      let start = 0;
      return {
        async next(): Promise<IteratorResult<TensorBatch>> {
          if (start >= n) return { done: true, value: undefined };
          const idx = order.slice(start, start + batchSize);
          start += batchSize;
          const value = tidy(() => {
            const indices = tensor1d(idx, 'int32');
            const take = (t: Tensor): Tensor => keep(gather(t, indices));
            return { xs: mapStructure(x, take), ys: mapStructure(y, take) };
          });
          return { done: false, value };
        },
      };
    },
  };
}
