/**
 * What the benchmark compares, written against a `tf` namespace so that the same code runs
 * in Node (cpu, wasm) and in Chromium (webgl, webgpu):
 *   fused     - the library's public ops (fused kernel where the backend has one), tf.valueAndGrad
 *   composite - the focal loss a user would write by hand (Keras-style: sigmoid/softmax, log,
 *               pow, clipped probabilities), gradient by autodiff
 * Each returns a forward + backward step: (logits, targets/labels) -> [mean loss, d loss / d logits].
 */
import type * as tfNamespace from '@tensorflow/tfjs';
import { sigmoidFocalLoss, softmaxFocalLoss } from '../src/index.js';
import { ALPHA, GAMMA } from './data.js';

type TF = typeof tfNamespace;
type Tensor = tfNamespace.Tensor;
export type Step = (logits: Tensor, target: Tensor) => [Tensor, Tensor];
export type Implementation = 'fused' | 'composite';

const EPSILON = 1e-7;

function sigmoidComposite(tf: TF, logits: Tensor, targets: Tensor): Tensor {
  const p = tf.sigmoid(logits);
  const pt = tf.add(tf.mul(targets, p), tf.mul(tf.sub(1, targets), tf.sub(1, p)));
  const alphaT = tf.add(tf.mul(targets, ALPHA), tf.mul(tf.sub(1, targets), 1 - ALPHA));
  const ce = tf.neg(tf.log(tf.clipByValue(pt, EPSILON, 1 - EPSILON)));
  return tf.mean(tf.mul(tf.mul(alphaT, tf.pow(tf.sub(1, pt), GAMMA)), ce));
}

function softmaxComposite(tf: TF, logits: Tensor, labels: Tensor): Tensor {
  const classes = logits.shape[1] as number;
  const p = tf.softmax(logits);
  const pt = tf.sum(tf.mul(p, tf.oneHot(labels, classes)), 1);
  const ce = tf.neg(tf.log(tf.clipByValue(pt, EPSILON, 1 - EPSILON)));
  return tf.mean(tf.mul(tf.mul(ALPHA, tf.pow(tf.sub(1, pt), GAMMA)), ce));
}

/** A forward + backward step for one loss and implementation. */
export function makeStep(tf: TF, loss: 'sigmoid' | 'softmax', implementation: Implementation): Step {
  const lossOf =
    implementation === 'fused'
      ? loss === 'sigmoid'
        ? (x: Tensor, t: Tensor) => sigmoidFocalLoss(x, t, { alpha: ALPHA, gamma: GAMMA, reduction: 'mean' })
        : (x: Tensor, y: Tensor) => softmaxFocalLoss(x, y, { alpha: ALPHA, gamma: GAMMA, reduction: 'mean' })
      : loss === 'sigmoid'
        ? (x: Tensor, t: Tensor) => sigmoidComposite(tf, x, t)
        : (x: Tensor, y: Tensor) => softmaxComposite(tf, x, y);
  return (logits, target) => {
    const { value, grad } = tf.valueAndGrad((x: Tensor) => lossOf(x, target) as tfNamespace.Scalar)(logits);
    return [value, grad];
  };
}
