/**
 * Attr that runFocalKernel adds for the cpu and wasm fused kernels when no gradient tape is
 * recording: the kernel may then skip the gradient and return an empty placeholder for it.
 * (GPU kernels never receive it.)
 */
export const SKIP_GRADIENT_ATTR = 'skipGradient';
