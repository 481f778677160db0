/**
 * Runs a focal-loss kernel on the active backend: the fused kernel where one is registered,
 * otherwise the composite of TF.js ops (composite.ts) with the same contract and the same
 * closed-form gradient. See gradients.ts for how either joins the gradient tape.
 *
 * Inference does not pay for the gradient: when no tape is recording (engine().isTapeOn():
 * outside tf.grad / variableGrads / optimizer.minimize, and inside a kernel or another
 * customGrad's forward, whose inner ops are not taped either), the cpu and wasm fused kernels
 * run with skipGradient and nothing joins the tape. This must be decided here, before
 * customGrad: inside its forward the tape is always off.
 */
import { type NamedTensorMap, type Tensor, engine, getBackend, getKernel } from '@tensorflow/tfjs-core';
import { compositeFocalKernels } from './composite.js';
import { dataOnCpu } from './cpu_backends.js';
import { attachConstants, withLogitsGradient } from './gradients.js';
import { type FocalKernelAttrs, type FocalLossKernelName, SKIP_GRADIENT_ATTR, attrMapOf, classAxisOf } from './kernel_names.js';
import { registerFocalKernels } from './register.js';

registerFocalKernels();

/**
 * Runs the loss kernel `kernelName` with its typed attrs (kernel_names.ts) and returns its
 * loss output, differentiable with respect to `inputs.logits`.
 */
export function runFocalKernel<K extends FocalLossKernelName>(
  kernelName: K,
  inputs: NamedTensorMap,
  typedAttrs: FocalKernelAttrs[K],
): Tensor {
  const attrs = attrMapOf(kernelName, typedAttrs);
  const { logits, ...constants } = inputs;
  if (!engine().isTapeOn() && dataOnCpu() && getKernel(kernelName, getBackend()) !== undefined) {
    const [loss, placeholder] = engine().runKernel(kernelName, inputs, { ...attrs, [SKIP_GRADIENT_ATTR]: true }) as Tensor[];
    placeholder.dispose();
    return loss;
  }
  const forward = (x: Tensor): Tensor[] => {
    const taped = { ...inputs, logits: x };
    if (getKernel(kernelName, getBackend()) !== undefined) {
      return engine().runKernel(kernelName, taped, attrs) as Tensor[];
    }
    const composite = compositeFocalKernels[kernelName];
    if (composite === undefined) {
      throw new Error(`focal-loss: no kernel '${kernelName}' for backend '${getBackend()}' and no composite fallback`);
    }
    return composite(taped, attrs);
  };
  const loss = withLogitsGradient(forward, logits, typedAttrs.reduction, classAxisOf(kernelName, typedAttrs));
  return attachConstants(loss, constants);
}
