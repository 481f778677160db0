/**
 * Networks as plain tf variables and ops (no tfjs-layers), so that a loss and its optimiser
 * see exactly the variables we create and a training loop can account for every tensor: the
 * interface every network here implements, and chunked inference. Depends on tfjs only, so
 * that the RetinaNet (src/retinanet) and compare's models can share it.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A model: its trainable variables and a forward pass from inputs to logits. */
export interface Model {
  /** The trainable variables, for an optimiser's `minimize(f, true, variables)`. */
  variables: tf.Variable[];
  /** Logits; call inside tf.tidy or optimizer.minimize. */
  forward(x: tf.Tensor): tf.Tensor;
  /** Disposes the variables. */
  dispose(): void;
}

/** A variable from an initial value that is disposed afterwards (tf.variable keeps its own reference). */
export function variableFrom(make: () => tf.Tensor): tf.Variable {
  const initial = make();
  const variable = tf.variable(initial);
  initial.dispose();
  return variable;
}

/**
 * Runs `model` on `count` inputs in chunks and returns the per-row outputs of `head` (e.g. softmax) as one array.
 *
 * @param model The network to run.
 * @param count Number of inputs.
 * @param chunk Inputs per forward pass.
 * @param makeInput Makes the input batch of rows [start, end).
 * @param head Maps the logits to the outputs kept (e.g. `tf.softmax`).
 * @returns The outputs of all chunks, concatenated.
 */
export function predict(
  model: Model,
  count: number,
  chunk: number,
  makeInput: (start: number, end: number) => tf.Tensor,
  head: (logits: tf.Tensor) => tf.Tensor,
): Float32Array {
  const parts: Float32Array[] = [];
  for (let start = 0; start < count; start += chunk) {
    const end = Math.min(count, start + chunk);
    const out = tf.tidy(() => {
      const x = makeInput(start, end);
      return head(model.forward(x));
    });
    parts.push(out.dataSync() as Float32Array);
    out.dispose();
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const result = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    result.set(p, offset);
    offset += p.length;
  }
  return result;
}
