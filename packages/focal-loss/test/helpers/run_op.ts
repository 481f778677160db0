/** Runs a reference case through the public TF.js ops: loss and d loss / d logits. */
import type * as tfType from '@tensorflow/tfjs';
import { categoricalFocalLoss, sigmoidFocalLoss, sigmoidFocalLossStar, softmaxFocalLoss } from '../../src/index.js';
import { lossShapeOf, optionsOf, type ReferenceCase } from './reference_case.js';

export function lossOf(tf: typeof tfType, c: ReferenceCase, logits: tfType.Tensor): tfType.Tensor {
  const options = optionsOf(c);
  const rowShape = lossShapeOf(c);
  if (c.weights != null) options.weights = tf.tensor(c.weights, rowShape);
  switch (c.kind) {
    case 'sigmoid':
      return sigmoidFocalLoss(logits, tf.tensor(c.targets!, c.shape), options);
    case 'star':
      return sigmoidFocalLossStar(logits, tf.tensor(c.targets!, c.shape), options);
    case 'softmax':
      return softmaxFocalLoss(logits, tf.tensor(c.labels!, rowShape, 'int32'), options);
    case 'categorical':
      return categoricalFocalLoss(logits, tf.tensor(c.targets!, c.shape), options);
  }
}

/** Loss values and the gradient of the (summed, for 'none') loss, as plain arrays. */
export function runCase(tf: typeof tfType, c: ReferenceCase): { loss: Float32Array; grad: Float32Array } {
  return tf.tidy(() => {
    const logits = tf.tensor(c.logits, c.shape);
    const loss = lossOf(tf, c, logits);
    const grad = tf.grad((x: tfType.Tensor) => tf.sum(lossOf(tf, c, x)))(logits);
    return { loss: loss.dataSync() as Float32Array, grad: grad.dataSync() as Float32Array };
  });
}
