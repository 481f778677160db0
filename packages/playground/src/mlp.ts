/** The small MLP both losses train: 2 → 16 → 16 → 1, tanh between layers, one logit out, Adam. */
import * as tf from '@tensorflow/tfjs';
import { glorot } from './data.js';

/** Units per layer, input first. */
export const LAYERS = [2, 16, 16, 1];
const LEARNING_RATE = 0.02;

/** Glorot weights drawn from `u` and zero biases, per layer: [w0, b0, w1, b1, …], as Mlp takes them. */
export function initialWeights(u: () => number): Float32Array[] {
  const init: Float32Array[] = [];
  for (let l = 0; l + 1 < LAYERS.length; l++) {
    init.push(glorot(LAYERS[l], LAYERS[l + 1], u), new Float32Array(LAYERS[l + 1]));
  }
  return init;
}

/** A variable holding `initial`'s values; `initial` is disposed (tf.variable copies it and would leave it behind). */
function variableOf(initial: tf.Tensor): tf.Variable {
  const v = tf.variable(initial);
  initial.dispose();
  return v;
}

export class Mlp {
  readonly vars: tf.Variable[];
  readonly optimizer = tf.train.adam(LEARNING_RATE);
  constructor(init: Float32Array[]) {
    this.vars = [];
    for (let l = 0; l + 1 < LAYERS.length; l++) {
      this.vars.push(variableOf(tf.tensor2d(init[2 * l], [LAYERS[l], LAYERS[l + 1]])));
      this.vars.push(variableOf(tf.tensor1d(init[2 * l + 1])));
    }
  }
  logits(x: tf.Tensor): tf.Tensor {
    let h = x;
    const layers = this.vars.length / 2;
    for (let l = 0; l < layers; l++) {
      h = tf.add(tf.matMul(h, this.vars[2 * l]), this.vars[2 * l + 1]);
      if (l + 1 < layers) h = tf.tanh(h);
    }
    return h;
  }
  dispose(): void {
    tf.dispose(this.vars);
    this.optimizer.dispose();
  }
}
