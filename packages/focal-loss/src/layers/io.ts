import { dispose, io, Variable, type Optimizer, type Tensor } from '@tensorflow/tfjs-core';
import { loadLayersModel, metrics as layersMetrics, type LayersModel } from '@tensorflow/tfjs-layers';
import type { FocalLossSpec } from './loss_types.js';
import { fromConfig, isFocalLoss, toConfig } from './serialization.js';

/**
 * Key under which {@link saveFocalModel} stores the compile record (losses, metrics, optimizer
 * config) in the saved artifacts' user-defined metadata. {@link loadFocalModel} removes it
 * again, so `model.getUserDefinedMetadata()` shows only your own metadata. The key is
 * reserved: saveFocalModel refuses a compiled model whose own metadata uses it, rather than
 * overwrite that value.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { losses } from 'focal-loss';
 * import { COMPILE_METADATA_KEY, saveFocalModel } from 'focal-loss/layers';
 *
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * model.compile({ optimizer: 'adam', loss: losses.binaryFocalCrossentropy() });
 * await saveFocalModel(model, tf.io.withSaveHandler(async (a) => {
 *   console.log(a.userDefinedMetadata?.[COMPILE_METADATA_KEY]); // { format, version, loss, metrics, optimizer }
 *   return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
 * }));
 * ```
 */
export const COMPILE_METADATA_KEY = 'focalLossCompile';
const FORMAT = 'focal-loss/compile';
const VERSION = 1;

type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;
type Entry = string | FocalLossSpec | { function: string };
type Nested = Entry | Entry[] | { [output: string]: Entry };

/** What `saveFocalModel` stores under {@link COMPILE_METADATA_KEY}. */
interface CompileRecord {
  format: typeof FORMAT;
  version: number;
  loss: Nested | null;
  metrics: Nested | null;
  optimizer: { class_name: string; config: {} } | null;
}

/**
 * Options of {@link loadFocalModel}: tfjs' load options plus functions to resolve by name.
 *
 * @example
 * ```ts
 * const model = await loadFocalModel(handler, { customFunctions: { myLoss } });
 * ```
 */
export interface LoadFocalModelOptions extends io.LoadOptions {
  /**
   * Loss or metric functions the model was compiled with that are neither focal losses, nor
   * tfjs-layers built-in names, nor `tf.metrics` functions, keyed by their function name.
   */
  customFunctions?: Record<string, LossFn>;
}

function encodeEntry(v: unknown, what: string): Entry {
  if (typeof v === 'string') return v;
  if (isFocalLoss(v)) return toConfig(v);
  if (typeof v === 'function' && v.name) return { function: v.name };
  throw new Error(
    `saveFocalModel: cannot store the ${what} ${String(v)}: use a focal loss, a tfjs-layers name ` +
      'or a named function (resolved through loadFocalModel(..., { customFunctions }))',
  );
}

function encode(v: unknown, what: string): Nested | null {
  if (v == null) return null;
  if (Array.isArray(v)) return v.map((e, i) => encodeEntry(e, `${what} [${i}]`));
  if (typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, encodeEntry(e, `${what} '${k}'`)]));
  }
  return encodeEntry(v, what);
}

function decodeEntry(e: Entry, what: string, kind: 'loss' | 'metric', custom: Record<string, LossFn>): string | LossFn {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && 'className' in e) return fromConfig(e);
  if (e && typeof e === 'object' && 'function' in e && typeof e.function === 'string') {
    const name = e.function;
    if (Object.hasOwn(custom, name)) return custom[name];
    const builtIn = (layersMetrics as unknown as Record<string, unknown>)[name];
    if (kind === 'metric' && typeof builtIn === 'function') return builtIn as LossFn;
    throw new Error(
      `loadFocalModel: the model was compiled with the function '${name}' as ${what}; ` +
        `pass it as loadFocalModel(handler, { customFunctions: { ${name} } })`,
    );
  }
  throw new Error(`loadFocalModel: unreadable ${what} entry ${JSON.stringify(e)}`);
}

function decode(v: Nested | null, what: string, kind: 'loss' | 'metric', custom: Record<string, LossFn>): unknown {
  if (v == null) return undefined;
  if (Array.isArray(v)) return v.map((e, i) => decodeEntry(e, `${what} [${i}]`, kind, custom));
  if (typeof v === 'object' && !('className' in v) && !('function' in v)) {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, decodeEntry(e as Entry, `${what} '${k}'`, kind, custom)]));
  }
  return decodeEntry(v as Entry, what, kind, custom);
}

function resolveHandler(kind: 'save' | 'load', target: io.IOHandler | string, options?: io.LoadOptions): io.IOHandler {
  if (typeof target !== 'string') return target;
  const handlers = kind === 'save' ? io.getSaveHandlers(target) : io.getLoadHandlers(target, options);
  if (handlers.length !== 1) {
    const fn = kind === 'save' ? 'saveFocalModel' : 'loadFocalModel';
    throw new Error(
      `${fn}: ${handlers.length === 0 ? 'no' : 'more than one'} IOHandler for '${target}'` +
        ' (pass an IOHandler object, e.g. tf.io.withSaveHandler / tf.io.fromMemory)',
    );
  }
  return handlers[0];
}

/**
 * The optimizer's state as tfjs-layers' `model.save(h, { includeOptimizer: true })` writes it
 * (weights of group 'optimizer', step count first), minus that path's leak: tfjs'
 * `Optimizer.getWeights()` returns the step count as a new scalar that model.save never disposes.
 */
async function optimizerState(optimizer: Optimizer): Promise<{ data: ArrayBuffer; specs: io.WeightsManifestEntry[] }> {
  let weights: Awaited<ReturnType<Optimizer['getWeights']>>;
  try {
    weights = await optimizer.getWeights();
  } catch (err) {
    // tfjs' own message (e.g. Adamax's "getWeights() is not implemented") names neither the
    // call that failed nor a way out.
    throw new Error(
      `saveFocalModel: cannot save the state of the ${optimizer.getClassName()} optimizer ` +
        `(tfjs: ${err instanceof Error ? err.message : String(err)}); save without it with ` +
        'saveFocalModel(model, handler, { includeOptimizer: false }): its class and settings are ' +
        'kept, and the loaded model resumes with fresh optimizer state',
    );
  }
  try {
    return await io.encodeWeights(weights, 'optimizer');
  } finally {
    // Only the step count is made for this call (Optimizer.saveIterations); the other entries
    // are the optimizer's live variables.
    dispose(weights.filter((w) => w.name === 'iter' && !(w.tensor instanceof Variable)).map((w) => w.tensor));
  }
}

/**
 * Saves a compiled tfjs-layers model so that {@link loadFocalModel} restores it ready to
 * resume training: weights, the optimizer's class, config and state, and the losses and
 * metrics it was compiled with — focal losses with all their options, tfjs-layers names,
 * `tf.metrics` functions, other functions by name.
 *
 * `config` is tfjs' save config, except that `includeOptimizer` defaults to true. With
 * `includeOptimizer: false` the optimizer's class and settings are still saved but not its
 * state (moments, step count), so the loaded model resumes with a fresh optimizer; this is the
 * way to save a model trained with Adamax, whose state tfjs cannot save.
 *
 * The compile record goes into the model artifacts' user-defined metadata under
 * `focalLossCompile`; tfjs' own training config is left out of the file (tfjs-layers would
 * store a function loss as `{}`, which plain `tf.loadLayersModel` turns into a model that
 * cannot train). A file saved this way loads with plain `tf.loadLayersModel` too, uncompiled,
 * for inference. Works with any IOHandler or URL scheme registered with tfjs
 * (`localstorage://`, `indexeddb://`, `downloads://`, `file://` with tfjs-node, ...).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { losses } from 'focal-loss';
 * import { saveFocalModel, loadFocalModel } from 'focal-loss/layers';
 *
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * model.compile({ optimizer: tf.train.adam(0.01), loss: losses.binaryFocalCrossentropy({ fromLogits: true }) });
 * let artifacts: tf.io.ModelArtifacts | undefined;
 * await saveFocalModel(model, tf.io.withSaveHandler(async (a) => {
 *   artifacts = a;
 *   return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
 * }));
 * const restored = await loadFocalModel(tf.io.fromMemory(artifacts!)); // compiled, same loss and optimizer state
 * ```
 */
export async function saveFocalModel(
  model: LayersModel,
  handlerOrURL: io.IOHandler | string,
  config: io.SaveConfig = {},
): Promise<io.SaveResult> {
  const handler = resolveHandler('save', handlerOrURL);
  if (handler.save == null) throw new Error('saveFocalModel: the IOHandler has no save method');
  const optimizer = model.optimizer as Optimizer | undefined;
  if (optimizer == null) return model.save(handler, config);
  if (Object.hasOwn(model.getUserDefinedMetadata() ?? {}, COMPILE_METADATA_KEY)) {
    // Storing the record would overwrite the user's value, and loading would then drop it.
    throw new Error(
      `saveFocalModel: the model's user-defined metadata has the key '${COMPILE_METADATA_KEY}', which ` +
        'saveFocalModel uses for the compile record; move that value to another key ' +
        '(model.setUserDefinedMetadata) before saving',
    );
  }
  const record: CompileRecord = {
    format: FORMAT,
    version: VERSION,
    loss: encode(model.loss, 'loss'),
    metrics: encode(model.metrics, 'metric'),
    optimizer: { class_name: optimizer.getClassName(), config: optimizer.getConfig() },
  };
  const state = config.includeOptimizer === false ? null : await optimizerState(optimizer);
  const wrapped: io.IOHandler = {
    save: async (artifacts: io.ModelArtifacts): Promise<io.SaveResult> =>
      handler.save!({
        ...artifacts,
        // Model weights first, then the optimizer's, as tfjs-layers lays them out.
        ...(state === null
          ? {}
          : {
              weightSpecs: [...(artifacts.weightSpecs ?? []), ...state.specs],
              weightData: io.CompositeArrayBuffer.join([...[artifacts.weightData ?? []].flat(), state.data]),
            }),
        userDefinedMetadata: { ...(artifacts.userDefinedMetadata ?? {}), [COMPILE_METADATA_KEY]: record as unknown as {} },
      }),
  };
  // tfjs' includeOptimizer path would write its lossy training config (see above) and leak a
  // tensor; the record and the optimizer state above take its place.
  return model.save(wrapped, { ...config, includeOptimizer: false });
}

/**
 * Loads a model saved by {@link saveFocalModel} and compiles it again with the saved losses,
 * metrics and optimizer (class, config and state: Adam's moments and step count), so that
 * `fit` / `fitDataset` continue where training stopped. A model saved without the record
 * (plain `model.save`) is returned as `tf.loadLayersModel` returns it.
 *
 * Importing `focal-loss/layers` also registers {@link PriorProbability}, so models whose layers
 * use it load.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { losses } from 'focal-loss';
 * import { saveFocalModel, loadFocalModel } from 'focal-loss/layers';
 *
 * const xs = tf.randomNormal([32, 2]);
 * const ys = tf.cast(tf.greater(xs.slice([0, 0], [32, 1]), 0.5), 'float32');
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * model.compile({ optimizer: tf.train.adam(0.05), loss: losses.binaryFocalCrossentropy({ fromLogits: true }) });
 * await model.fit(xs, ys, { epochs: 2, verbose: 0 });
 * // In the browser 'localstorage://demo' (or 'indexeddb://...'); here, anywhere, in memory:
 * let saved;
 * await saveFocalModel(model, tf.io.withSaveHandler(async (artifacts) => {
 *   saved = artifacts;
 *   return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
 * }));
 * const restored = await loadFocalModel(tf.io.fromMemory(saved));
 * await restored.fit(xs, ys, { epochs: 2, verbose: 0 }); // same loss, options and Adam state
 * ```
 */
export async function loadFocalModel(handlerOrURL: io.IOHandler | string, options: LoadFocalModelOptions = {}): Promise<LayersModel> {
  const { customFunctions = {}, ...loadOptions } = options;
  const handler = resolveHandler('load', handlerOrURL, loadOptions);
  if (handler.load == null) throw new Error('loadFocalModel: the IOHandler has no load method');
  // The losses and metrics to compile with, resolved while reading the artifacts: a record
  // that cannot be resolved then fails before tfjs builds the model and allocates its weights.
  let compileArgs: { loss: unknown; metrics: unknown } | null = null;
  const wrapped: io.IOHandler = {
    load: async (): Promise<io.ModelArtifacts> => {
      const artifacts = await handler.load!();
      const meta = artifacts.userDefinedMetadata;
      const stored = meta?.[COMPILE_METADATA_KEY] as CompileRecord | undefined;
      // Without our format tag the value is the user's own (saved by plain model.save or with
      // an uncompiled model): it stays in the metadata.
      if (stored == null || typeof stored !== 'object' || stored.format !== FORMAT) return artifacts;
      if (typeof stored.version !== 'number' || stored.version > VERSION) {
        throw new Error(
          `loadFocalModel: unsupported compile record ${JSON.stringify({ format: stored.format, version: stored.version })}` +
            ` (this version reads ${FORMAT} v${VERSION})`,
        );
      }
      const { [COMPILE_METADATA_KEY]: _record, ...rest } = meta!;
      void _record;
      const out: io.ModelArtifacts = { ...artifacts };
      if (Object.keys(rest).length > 0) out.userDefinedMetadata = rest;
      else delete out.userDefinedMetadata;
      // Let tfjs-layers build the optimizer and load its state; the placeholder loss is
      // replaced right after loading.
      if (stored.optimizer != null) {
        compileArgs = {
          loss: decode(stored.loss, 'loss', 'loss', customFunctions),
          metrics: decode(stored.metrics, 'metric', 'metric', customFunctions),
        };
        out.trainingConfig = { loss: 'mean_squared_error', metrics: [], optimizer_config: stored.optimizer };
      }
      return out;
    },
  };
  const model = await loadLayersModel(wrapped, loadOptions);
  const args = compileArgs as { loss: unknown; metrics: unknown } | null;
  if (args !== null) {
    // compile() with an optimizer object marks it as not owned by the model; this one was
    // created by the loader, so let model.dispose() dispose it as tfjs-layers would.
    const ownOptimizer = (): void => {
      const m = model as unknown as { isOptimizerOwned?: boolean };
      if (typeof m.isOptimizerOwned === 'boolean') m.isOptimizerOwned = true;
    };
    try {
      model.compile({
        optimizer: model.optimizer,
        loss: args.loss as LossFn,
        ...(args.metrics === undefined ? {} : { metrics: args.metrics as LossFn[] }),
      });
    } catch (err) {
      // E.g. a loss dict naming an output the model lacks: the caller never gets the model,
      // so its weights and optimizer state are released here.
      ownOptimizer();
      model.dispose();
      throw err;
    }
    ownOptimizer();
  }
  return model;
}
