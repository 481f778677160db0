/**
 * How the fused kernels join the gradient tape.
 *
 * Each kernel returns [loss, grad], grad being the gradient of the reduced loss. Registered
 * as a two-output kernel, the engine would allocate a zero upstream gradient for the unused
 * grad output and clone it for saving; instead the kernel runs inside tf.customGrad with
 * the logits as the only taped input, so forward + backward hold at most two
 * gradient-sized tensors. The other inputs reach the tape through FocalLossConstants, a
 * pass-through whose gradient for them is zero and only materialised when asked for.
 * The saved gradient is not itself differentiable (no second order).
 */
import {
  type GradSaveFunc,
  type NamedTensorMap,
  type Tensor,
  clone,
  customGrad,
  engine,
  expandDims,
  getBackend,
  getKernel,
  mul,
  registerGradient,
  registerKernel,
  zeros,
} from '@tensorflow/tfjs-core';
import type { Reduction } from '../core/reduction.js';
import { dataOnCpu } from './cpu_backends.js';
import { FOCAL_LOSS_CONSTANTS, attrMapOf, focalAttrsOf } from './kernel_names.js';

/**
 * dy has the loss's shape: per element (sigmoid), per row (the axis `classAxis` removed), or
 * a scalar. When the loss is the final scalar, dy is 1 and the saved gradient is the answer:
 * a clone shares its data on cpu (checked only where reading dy does not stall a GPU).
 */
export function logitsGradient(dy: Tensor, grad: Tensor, reduction: Reduction, classAxis: number | null): Tensor {
  if (reduction === 'none' && classAxis !== null) return mul(grad, expandDims(dy, classAxis));
  if (dy.size === 1 && dataOnCpu() && dy.dataSync()[0] === 1) return clone(grad);
  return mul(grad, dy);
}

/** Runs `forward` (a fused kernel or its composite) with the logits as the taped input. */
export function withLogitsGradient(
  forward: (logits: Tensor) => Tensor[],
  logits: Tensor,
  reduction: Reduction,
  classAxis: number | null,
): Tensor {
  const focal = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const [x, save] = args as [Tensor, GradSaveFunc];
    const [loss, grad] = forward(x);
    save([grad]);
    return { value: loss, gradFunc: (dy: Tensor, [saved]: Tensor[]) => logitsGradient(dy, saved, reduction, classAxis) };
  });
  return focal(logits);
}

let constantsGradientRegistered = false;

/** Returns the loss, with `constants` on the tape (zero gradient). */
export function attachConstants(loss: Tensor, constants: NamedTensorMap): Tensor {
  const backend = getBackend();
  if (getKernel(FOCAL_LOSS_CONSTANTS, backend) === undefined) {
    // A pass-through works alike on every backend, so it is registered for whichever runs.
    registerKernel({
      kernelName: FOCAL_LOSS_CONSTANTS,
      backendName: backend,
      kernelFunc: ({ inputs }) => engine().runKernel('Identity', { x: inputs.loss as Tensor }) as Tensor,
    });
  }
  if (!constantsGradientRegistered) {
    constantsGradientRegistered = true;
    registerGradient({
      kernelName: FOCAL_LOSS_CONSTANTS,
      gradFunc: (dy, _saved, attrs) => {
        const { shapes } = focalAttrsOf(FOCAL_LOSS_CONSTANTS, attrs);
        const grads: Record<string, () => Tensor> = { loss: () => clone(dy as Tensor) };
        for (const name of Object.keys(shapes)) grads[name] = () => zeros(shapes[name]);
        return grads;
      },
    });
  }
  const shapes: Record<string, number[]> = {};
  for (const name of Object.keys(constants)) shapes[name] = constants[name].shape;
  return engine().runKernel(FOCAL_LOSS_CONSTANTS, { loss, ...constants }, attrMapOf(FOCAL_LOSS_CONSTANTS, { shapes })) as Tensor;
}
