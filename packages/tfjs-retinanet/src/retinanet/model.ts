/**
 * A small RetinaNet as plain tf variables (see ../nn/model.ts) and the anchor layout its heads
 * predict for: strides 4 and 8 (and 16, 32), the backbone's feature levels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { generateAnchors, type AnchorLevel, type Anchors } from '../anchors.js';
import { variableFrom, type Model } from '../model.js';

/** The two head outputs of one feature level, anchors in {@link generateAnchors}' order within the level. */
export interface LevelOutputs {
  /** `[B, anchors of the level, K]` class logits. */
  classLogits: tf.Tensor3D;
  /** `[B, anchors of the level, 4]` box deltas. */
  boxDeltas: tf.Tensor3D;
}

/** A RetinaNet: a {@link Model} whose `forward` packs the outputs, and the per-level outputs training reads. */
export interface RetinaNet extends Model {
  /**
   * The heads' outputs level by level (finest first), as training wants them: no concat
   * to pack and no slice to unpack, so the backward pass has neither.
   */
  heads(x: tf.Tensor): LevelOutputs[];
}

/** Positive prior of the classification bias (the paper's π). */
export const PRIOR = 0.01;

/** Where the anchors sit: the canvas, the feature levels and the anchor shapes per cell. */
export interface AnchorLayout {
  /** Canvas side in pixels (square images). */
  side: number;
  /** Feature levels used: 1 (stride 4 only), 2 (strides 4 and 8, FPN top-down), 3 (and 16) or 4 (and 32). */
  levels: 1 | 2 | 3 | 4;
  /** Base anchor size per level in multiples of its stride (RetinaNet: 4; here 2: small objects). */
  anchorSizeInStrides: number;
  /** Anchor scales and aspect ratios (height / width) per cell: A = scales × ratios. */
  scales: number[];
  /** Anchor aspect ratios (height / width) per cell. */
  aspectRatios: number[];
}

/** The anchor levels of a layout: strides 4 (and 8, 16, 32). */
export function detectionLevels(layout: Pick<AnchorLayout, 'levels' | 'anchorSizeInStrides'>): AnchorLevel[] {
  return [4, 8, 16, 32].slice(0, layout.levels).map((stride) => ({ stride, size: stride * layout.anchorSizeInStrides }));
}

/** The anchors of a layout, in the order {@link createRetinaNet}'s output rows follow. */
export function detectionAnchors(layout: AnchorLayout): Anchors {
  return generateAnchors({
    imageHeight: layout.side,
    imageWidth: layout.side,
    levels: detectionLevels(layout),
    scales: layout.scales,
    aspectRatios: layout.aspectRatios,
  });
}

/** Options of {@link createRetinaNet}. */
export interface RetinaNetOptions {
  /** Channels of the first backbone conv (w); the later ones have 2w and 4w, the FPN and heads 2w. */
  width: number;
  /** Feature levels: 1 (stride 4 only) to 4 (strides 4, 8, 16, 32, FPN top-down); as {@link AnchorLayout}'s. */
  levels: 1 | 2 | 3 | 4;
  /** Channels of the input images (default 1: gray; 3: colour). */
  inputChannels?: number;
  /** Anchors per cell (A): scales × aspect ratios of the anchor layout. */
  anchorsPerCell: number;
  /** Number of classes (K), without background. */
  numClasses: number;
  /** Initial probability of every class at every anchor (bias b = -log((1 - π) / π)); null: bias 0. */
  prior: number | null;
  /** FL*'s γ and β: the bias is then (logit(π) − β) / γ, so that the positive's p* = σ(γ x + β) starts at π. */
  star?: {
    /** FL*'s γ. */
    gamma: number;
    /** FL*'s β. */
    beta: number;
  };
  /** Seed of the weights' random initialisation. */
  seed: number;
}

/**
 * A small RetinaNet for NHWC images (1 channel, or `inputChannels`) whose side is divisible by
 * the largest stride: backbone conv3x3(w)-pool-conv3x3(2w)-pool-conv3x3(2w) = C3 (stride 4)
 * -pool-conv3x3(4w) = C4 (stride 8), and with 3-4 levels -pool-conv3x3(4w) = C5 (16), C6 (32);
 * FPN: the top level P = 1x1(C), each finer P = conv3x3(1x1(C) + up(coarser P)) (2 levels:
 * P4 = 1x1(C4), P3 = conv3x3(1x1(C3) + up(P4))); shared heads on every
 * level: classification conv3x3(F)-conv3x3(A·K) with the prior bias, box conv3x3(F)-
 * conv3x3(A·4). `forward` returns `[B, anchors, K + 4]`: the K class logits then the 4 box
 * deltas per anchor, anchors in {@link generateAnchors}' order.
 */
export function createRetinaNet(options: RetinaNetOptions): RetinaNet {
  const { width: w, anchorsPerCell: A, numClasses: K, seed } = options;
  const f = 2 * w;
  const he = (k: number, inC: number, outC: number, s: number) => ({
    w: variableFrom(() => tf.randomNormal([k, k, inC, outC], 0, Math.sqrt(2 / (k * k * inC)), 'float32', seed + s)),
    b: variableFrom(() => tf.zeros([outC])),
  });
  const c1 = he(3, options.inputChannels ?? 1, w, 1);
  const c2 = he(3, w, 2 * w, 2);
  const c3 = he(3, 2 * w, 2 * w, 3);
  const c4 = he(3, 2 * w, 4 * w, 4);
  const l3 = he(1, 2 * w, f, 5);
  const l4 = he(1, 4 * w, f, 6);
  const s3 = he(3, f, f, 7);
  const clsHidden = he(3, f, f, 8);
  const boxHidden = he(3, f, f, 9);
  // The paper's prior bias b = -log((1 - π) / π): a sigmoid output starts at π (focal-loss's priorProbabilityInitializer).
  const priorBias = (pi: number) => -Math.log((1 - pi) / pi);
  const clsOut = {
    w: variableFrom(() => tf.randomNormal([3, 3, f, A * K], 0, 0.01, 'float32', seed + 10)),
    b: variableFrom(() =>
      options.prior === null
        ? tf.zeros([A * K])
        : options.star
          ? tf.fill([A * K], (Math.log(options.prior / (1 - options.prior)) - options.star.beta) / options.star.gamma)
          : tf.fill([A * K], priorBias(options.prior), 'float32'),
    ),
  };
  const boxOut = {
    w: variableFrom(() => tf.randomNormal([3, 3, f, A * 4], 0, 0.01, 'float32', seed + 11)),
    b: variableFrom(() => tf.zeros([A * 4])),
  };
  // Levels 3 and 4 (strides 16, 32): their backbone stage, lateral 1x1 and the smoothing conv of the level below.
  const deeper = [3, 4]
    .filter((level) => options.levels >= level)
    .map((level) => ({ c: he(3, 4 * w, 4 * w, 8 + 4 * level), l: he(1, 4 * w, f, 9 + 4 * level), s: he(3, f, f, 10 + 4 * level) }));
  const layers = [c1, c2, c3, c4, l3, l4, s3, clsHidden, boxHidden, clsOut, boxOut, ...deeper.flatMap((d) => [d.c, d.l, d.s])];
  const variables = layers.flatMap((l) => [l.w, l.b]);
  // The bias fused into the convolution (one XNNPACK kernel on wasm instead of conv then a
  // broadcast add); tf.fused.conv2d fuses an activation only outside of training, so ReLU is apart.
  const conv = (x: tf.Tensor4D, l: { w: tf.Variable; b: tf.Variable }, relu = true): tf.Tensor4D => {
    const y = tf.fused.conv2d({ x, filter: l.w as tf.Tensor4D, strides: 1, pad: 'same', bias: l.b });
    return relu ? tf.relu(y) : y;
  };
  const pool = (x: tf.Tensor4D) => tf.maxPool(x, 2, 2, 'same');
  const head = (p: tf.Tensor4D): LevelOutputs => {
    const [b, h, wd] = p.shape;
    return {
      classLogits: tf.reshape(conv(conv(p, clsHidden), clsOut, false), [b, h * wd * A, K]),
      boxDeltas: tf.reshape(conv(conv(p, boxHidden), boxOut, false), [b, h * wd * A, 4]),
    };
  };
  // The first layer unfused: tf.fused.conv2d's gradient would also compute one for the image.
  const first = (x: tf.Tensor4D) => tf.relu(tf.add(tf.conv2d(x, c1.w as tf.Tensor4D, 1, 'same'), c1.b)) as tf.Tensor4D;
  const heads = (input: tf.Tensor): LevelOutputs[] => {
    const x = input as tf.Tensor4D;
    const f3 = conv(pool(conv(pool(first(x)), c2)), c3); // stride 4
    if (options.levels === 1) return [head(conv(conv(f3, l3, false), s3))];
    const f4 = conv(pool(f3), c4); // stride 8
    // Backbone features and their lateral, smoothing convs, finest first; the top level is not smoothed.
    const features: tf.Tensor4D[] = [f3, f4];
    for (const d of deeper) features.push(conv(pool(features.at(-1)!), d.c)); // strides 16, 32
    const lateral = [l3, l4, ...deeper.map((d) => d.l)];
    const smooth = [s3, ...deeper.map((d) => d.s)];
    const top = features.length - 1;
    const pyramid: tf.Tensor4D[] = [conv(features[top]!, lateral[top]!, false)];
    for (let level = top - 1; level >= 0; level--) {
      const finer = features[level]!;
      const up = tf.image.resizeNearestNeighbor(pyramid[0]!, [finer.shape[1], finer.shape[2]]);
      pyramid.unshift(conv(tf.add(conv(finer, lateral[level]!, false), up) as tf.Tensor4D, smooth[level]!));
    }
    return pyramid.map(head);
  };
  return {
    variables,
    heads,
    forward: (input) =>
      tf.concat(
        heads(input).map((l) => tf.concat([l.classLogits, l.boxDeltas], 2)),
        1,
      ),
    dispose: () => variables.forEach((v) => v.dispose()),
  };
}
