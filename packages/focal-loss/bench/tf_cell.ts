/** One TF.js benchmark cell (backend already set): time, peak memory and loss of a step. */
import type * as tfNamespace from '@tensorflow/tfjs';
import type { BenchData } from './data.js';
import { type Implementation, makeStep } from './implementations.js';
import { type CellResult, timeCell } from './measure.js';

export async function runTfCell(tf: typeof tfNamespace, data: BenchData, implementation: Implementation): Promise<CellResult> {
  const logits = tf.tensor(data.logits, data.shape);
  const target = data.kind === 'sigmoid' ? tf.tensor(data.targets, data.shape) : tf.tensor1d(data.labels, 'int32');
  const step = makeStep(tf, data.kind, implementation);
  const once = async (): Promise<number> => {
    const [loss, grad] = step(logits, target);
    const [lossValue] = await Promise.all([loss.data(), grad.data()]);
    tf.dispose([loss, grad]);
    return lossValue[0];
  };
  try {
    const timing = await timeCell(once, () => performance.now());
    const before = tf.memory().numBytes;
    const info = await tf.profile(async () => {
      const [loss, grad] = step(logits, target);
      await Promise.all([loss.data(), grad.data()]);
      tf.dispose([loss, grad]);
    });
    return { ...timing, peakExtraBytes: info.peakBytes - before };
  } finally {
    tf.dispose([logits, target]);
  }
}
