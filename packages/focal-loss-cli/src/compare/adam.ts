/**
 * Adam (Kingma & Ba 2015, arXiv 1412.6980) as tf.train.adam computes it, one pass over each
 * variable's values in JS instead of a dozen tensor ops. tf.train.adam's update of one variable
 * is about 12 kernel calls (moments, bias corrections, square root, division, assign); for the
 * 22 small variables of compare's RetinaNet that is 260 of the step's 700 calls, and on wasm a
 * call's fixed cost is what a small step spends most of its time on. Here a variable costs
 * two reads, one new tensor and an assign.
 *
 * Per element, with t the step (1, 2, …), g the gradient and the defaults β₁ = 0.9,
 * β₂ = 0.999, ε = the backend's epsilon (1e-7 in float32), as tf.train.adam:
 *   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,
 *   θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
 * The arithmetic is float64 and the moments are stored in float32, so values agree with
 * tf.train.adam's float32 ops to float32 rounding (test/compare/adam.test.ts).
 */
import * as tf from '@tensorflow/tfjs';

/** Adam over a fixed list of variables, updated from their gradients in one JS pass each. */
export class FusedAdam {
  private readonly moments = new Map<tf.Variable, { m: Float32Array; v: Float32Array }>();
  private step = 0;
  private readonly epsilon: number;

  constructor(
    private learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    epsilon?: number,
  ) {
    if (!(learningRate > 0)) throw new Error(`FusedAdam: learningRate must be > 0, not ${learningRate}`);
    this.epsilon = epsilon ?? tf.backend().epsilon();
  }

  /** Sets the step size of the next updates (a schedule). */
  setLearningRate(learningRate: number): void {
    if (!(learningRate > 0)) throw new Error(`FusedAdam.setLearningRate: learningRate must be > 0, not ${learningRate}`);
    this.learningRate = learningRate;
  }

  /**
   * The loss of `f` with its gradients with respect to `variables` applied: the same contract as
   * `optimizer.minimize(f, true, variables)`. The returned scalar is the caller's to dispose.
   */
  minimize(f: () => tf.Scalar, variables: tf.Variable[]): tf.Scalar {
    const { value, grads } = tf.variableGrads(f, variables);
    this.step++;
    const correction1 = 1 - this.beta1 ** this.step;
    const correction2 = 1 - this.beta2 ** this.step;
    for (const variable of variables) {
      const gradient = grads[variable.name];
      if (gradient === undefined) continue;
      const g = gradient.dataSync() as Float32Array;
      const theta = variable.dataSync() as Float32Array;
      let state = this.moments.get(variable);
      if (state === undefined) {
        state = { m: new Float32Array(g.length), v: new Float32Array(g.length) };
        this.moments.set(variable, state);
      }
      const { m, v } = state;
      const next = new Float32Array(g.length);
      for (let i = 0; i < g.length; i++) {
        const gi = g[i]!;
        const mi = this.beta1 * m[i]! + (1 - this.beta1) * gi;
        const vi = this.beta2 * v[i]! + (1 - this.beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        next[i] = theta[i]! - (this.learningRate * (mi / correction1)) / (Math.sqrt(vi / correction2) + this.epsilon);
      }
      const updated = tf.tensor(next, variable.shape, 'float32');
      variable.assign(updated);
      updated.dispose();
    }
    tf.dispose(grads);
    return value;
  }
}
