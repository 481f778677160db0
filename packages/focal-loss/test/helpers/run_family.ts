/** Runs a focal-family reference case through the public TF.js ops: loss and d (sum loss) / d logits. */
import type * as tfType from '@tensorflow/tfjs';
import * as ops from '../../src/index.js';
import { FAMILY_OPS, type FamilyCase, familyOptionsOf } from './family_cases.js';

type Op = (logits: tfType.Tensor, targets: tfType.Tensor, options?: Record<string, unknown>) => tfType.Tensor;

export function familyOp(c: FamilyCase): Op {
  return (ops as unknown as Record<string, Op>)[FAMILY_OPS[c.kind]!];
}

export function runFamilyCase(
  tf: typeof tfType,
  c: FamilyCase,
  extra: Record<string, unknown> = {},
): { loss: Float32Array; grad: Float32Array } {
  const op = familyOp(c);
  const options = { ...familyOptionsOf(c), ...extra };
  return tf.tidy(() => {
    const logits = tf.tensor(c.logits, c.shape);
    const targets = tf.tensor(c.targets, c.shape);
    const loss = op(logits, targets, options);
    const grad = tf.grad((x: tfType.Tensor) => tf.sum(op(x, targets, options)))(logits);
    return { loss: loss.dataSync() as Float32Array, grad: grad.dataSync() as Float32Array };
  });
}
