/**
 * Browser side of fixtures.test.ts: runs every reference case through the public ops and
 * tf.grad on the asked backend and reports the worst errors. Bundled by harness.ts.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import mainFixtures from '../fixtures/focal-reference.json' with { type: 'json' };
import extraFixtures from '../fixtures/focal-reference-extra.json' with { type: 'json' };
import { lossOf as referenceLossOf } from '../helpers/run_op.js';
import { type FixtureCase, type SuiteReport, checkCase } from './fixture_check.js';
import { useBackend } from '../helpers/use_backend.js';

const lossOf = (c: FixtureCase, logits: tf.Tensor): tf.Tensor => referenceLossOf(tf, c, logits);

const CASES: Array<{ file: string; index: number; c: FixtureCase }> = [
  ...(mainFixtures as { cases: FixtureCase[] }).cases.map((c, index) => ({ file: 'focal-reference.json', index, c })),
  ...(extraFixtures as { cases: FixtureCase[] }).cases.map((c, index) => ({ file: 'focal-reference-extra.json', index, c })),
];

async function runSuite(backend: string): Promise<SuiteReport> {
  await useBackend(backend);
  const fused: Record<string, boolean> = {};
  for (const name of ['FocalLossSigmoid', 'FocalLossSoftmax', 'FocalLossCategorical']) {
    fused[name] = tf.getKernel(name, backend) !== undefined;
  }
  const report: SuiteReport = { backend, cases: 0, failures: [], leakedTensors: 0, fused, worst: { loss: 0, grad: 0 } };
  const before = tf.memory().numTensors;
  for (const { file, index, c } of CASES) {
    const [loss, grad] = tf.tidy(() => {
      const logits = tf.tensor(c.logits, c.shape);
      const value = lossOf(c, logits);
      const gradient = tf.grad((x: tf.Tensor) => tf.sum(lossOf(c, x)))(logits);
      return [value, gradient];
    });
    const [lossValues, gradValues] = await Promise.all([loss.data(), grad.data()]);
    tf.dispose([loss, grad]);
    checkCase(report, `${file} #${index}`, c, lossValues as Float32Array, gradValues as Float32Array);
  }
  report.leakedTensors = tf.memory().numTensors - before;
  return report;
}

(globalThis as unknown as { runFocalSuite: typeof runSuite }).runFocalSuite = runSuite;
