/**
 * Runs a focal-loss kernel on the active backend: the fused kernel where one is registered,
 * otherwise the composite of TF.js ops (composite.ts) with the same contract and the same
 * closed-form gradient.
 */
import {
  type NamedAttrMap, type NamedTensorMap, type Tensor, customGrad, engine, getBackend, getKernel,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { compositeFocalKernels } from './composite.js';
import { logitsGradient } from './gradients.js';
import { registerFocalKernels } from './register.js';
import { SIGMOID_FOCAL_LOSS } from './kernel_names.js';

registerFocalKernels();

/** Returns the kernel's loss output; its gradient output is kept by the tape for backprop. */
export function runFocalKernel(kernelName: string, inputs: NamedTensorMap, attrs: NamedAttrMap): Tensor {
  if (getKernel(kernelName, getBackend()) !== undefined) {
    const [loss, grad] = engine().runKernel(kernelName, inputs, attrs) as Tensor[];
    grad.dispose();
    return loss;
  }
  return runComposite(kernelName, inputs, attrs);
}

function runComposite(kernelName: string, inputs: NamedTensorMap, attrs: NamedAttrMap): Tensor {
  const composite = compositeFocalKernels[kernelName];
  if (composite === undefined) {
    throw new Error(`focal-loss: no kernel '${kernelName}' for backend '${getBackend()}' and no composite fallback`);
  }
  const names = Object.keys(inputs);
  const classAxis = kernelName !== SIGMOID_FOCAL_LOSS;
  const withGradient = customGrad((...args: unknown[]) => {
    const tensors = args.slice(0, names.length) as Tensor[];
    const save = args[names.length] as (tensors: Tensor[]) => void;
    const named: NamedTensorMap = {};
    names.forEach((name, i) => { named[name] = tensors[i]; });
    const [loss, grad] = composite(named, attrs);
    save([grad, ...tensors]);
    return {
      value: loss,
      gradFunc: (dy: Tensor, saved: Tensor[]) => [
        logitsGradient(dy, saved[0], attrs, classAxis),
        ...saved.slice(2).map((t) => zerosLike(t)),
      ],
    };
  });
  return (withGradient as (...t: Tensor[]) => Tensor)(...names.map((n) => inputs[n]));
}
