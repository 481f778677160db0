/**
 * Turns a kernel's attributes into a {@link ConvGeometry}, and decides whether the
 * fast path applies. Anything it does not cover (NCHW, dilation > 1, non-float32)
 * is left to the backend's original kernel, so registering never changes results.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ConvGeometry } from './conv2d_math.js';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

/** Attributes shared by Conv2D, FusedConv2D and both backprop kernels. */
interface ConvAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: string;
  dilations?: number | [number, number];
  dimRoundingMode?: Rounding;
}

function readAttrs(attrs: tf.NamedAttrMap | undefined): ConvAttrs {
  return (attrs ?? {}) as unknown as ConvAttrs;
}

function dilationIsOne(d: number | [number, number] | undefined): boolean {
  if (d === undefined || d === null) return true;
  if (typeof d === 'number') return d === 1;
  return d[0] === 1 && d[1] === 1;
}

/** True when the fast kernels can handle these inputs and attributes. */
export function fastPathApplies(attrs: tf.NamedAttrMap | undefined, inputs: (tf.TensorInfo | undefined)[]): boolean {
  const a = readAttrs(attrs);
  const format = a.dataFormat ?? 'NHWC';
  if (format !== 'NHWC' && format !== 'channelsLast') return false;
  if (!dilationIsOne(a.dilations)) return false;
  return inputs.every((t) => t === undefined || t.dtype === 'float32');
}

/** Geometry of a convolution of `xShape` by `filterShape` under the kernel's attributes. */
export function geometryOf(xShape: number[], filterShape: number[], attrs: tf.NamedAttrMap | undefined): ConvGeometry {
  const a = readAttrs(attrs);
  const info = tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** `[batch, outHeight, outWidth, outChannels]`. */
export function outShapeOf(g: ConvGeometry): number[] {
  return [g.batch, g.outHeight, g.outWidth, g.outChannels];
}

/** `[batch, inHeight, inWidth, inChannels]`. */
export function inShapeOf(g: ConvGeometry): number[] {
  return [g.batch, g.inHeight, g.inWidth, g.inChannels];
}
