/**
 * The segmentation region losses on plain arrays (float64): hand-computed values, a perfect
 * prediction, the reference formulas of MONAI and of the Unified Focal loss code on hand
 * cases, the options, and errors naming op and argument.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { diceLoss, focalTverskyLoss, unifiedFocalLoss } from '../../src/core/index.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${what}: ${a} vs ${b}`);

/** Row-major [B, H, W, C] probabilities from logits: softmax over C. */
function softmaxProbs(logits: number[], classes: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < logits.length / classes; r++) {
    const row = logits.slice(r * classes, (r + 1) * classes);
    const s = row.reduce((a, v) => a + Math.exp(v), 0);
    for (const v of row) out.push(Math.exp(v) / s);
  }
  return out;
}

/** tp, fn, fp per (image, class) from probabilities [B, pixels, C], as loss_functions.py's K.sum over axis [1, 2]. */
function sums(yTrue: number[], yPred: number[], batch: number, classes: number) {
  const pixels = yTrue.length / batch / classes;
  const tp: number[] = [],
    fn: number[] = [],
    fp: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < classes; c++) {
      let a = 0,
        m = 0,
        f = 0;
      for (let k = 0; k < pixels; k++) {
        const i = (b * pixels + k) * classes + c;
        a += yTrue[i] * yPred[i];
        m += yTrue[i] * (1 - yPred[i]);
        f += (1 - yTrue[i]) * yPred[i];
      }
      tp.push(a);
      fn.push(m);
      fp.push(f);
    }
  }
  return { tp, fn, fp };
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const clip = (v: number[]) => v.map((p) => Math.min(Math.max(p, 1e-7), 1 - 1e-7));

test('diceLoss: hand-computed value, perfect prediction 0, a wrong one close to 1', () => {
  // One image, two pixels, one sigmoid channel: p = [1/2, 3/4], t = [1, 0]:
  // TP = 1/2, FP = 3/4, FN = 1/2: 1 - (1 + ε) / (2.25 + ε).
  const eps = 1e-5;
  const { loss } = diceLoss([0, Math.log(3)], [1, 0], [1, 2, 1], { activation: 'sigmoid' });
  close(loss, 1 - (1 + eps) / (2.25 + eps), 1e-15, 'hand value');
  const perfect = diceLoss([1e4, -1e4, -1e4, 1e4], [0, 1], [1, 2, 2]);
  assert.equal(perfect.loss, 0, 'saturated correct logits: FP = FN = 0 exactly');
  const nearlyPerfect = diceLoss([40, -40, -40, 40], [0, 1], [1, 2, 2]).loss;
  // FP = FN = 2 e^-80 per class: the loss is 2·2e^-80 / (2 + 4e^-80) ≈ 2e^-80, kept without cancellation.
  close(nearlyPerfect, 2 * Math.exp(-80), 1e-9, 'nearly perfect, relative');
  const wrong = diceLoss([-1e4, 1e4, 1e4, -1e4], [0, 1], [1, 2, 2]).loss;
  close(wrong, 1 - eps / (2 + eps), 1e-12, 'all wrong');
});

test('focalTverskyLoss and unifiedFocalLoss: hand-computed values', () => {
  // Same two pixels: TP = 1/2, FN = 1/2, FP = 3/4; α .7 on FN, β .3 on FP.
  const eps = 1e-6;
  const ti = (0.5 + eps) / (0.5 + 0.7 * 0.5 + 0.3 * 0.75 + eps);
  close(
    focalTverskyLoss([0, Math.log(3)], [1, 0], [1, 2, 1], { activation: 'sigmoid' }).loss,
    Math.pow(1 - ti, 0.75),
    1e-14,
    'focal Tversky',
  );
  // Unified, sigmoid: background p_0 = 1 - p = [1/2, 1/4], t_0 = [0, 1]; foreground p = [1/2, 3/4], t = [1, 0].
  const e7 = 1e-7;
  const aF = ((1 - 0.6) * Math.pow(0.75, 0.5) * -Math.log(0.25) + 0.6 * -Math.log(0.5)) / 2;
  // Background TP = 1/4, FN = 3/4, FP = 1/2; foreground TP = 1/2, FN = 1/2, FP = 3/4; δ .6 on FN.
  const ti0 = (0.25 + e7) / (0.25 + 0.6 * 0.75 + 0.4 * 0.5 + e7);
  const ti1 = (0.5 + e7) / (0.5 + 0.6 * 0.5 + 0.4 * 0.75 + e7);
  const aFTL = (1 - ti0 + Math.pow(1 - ti1, 0.5)) / 2;
  close(unifiedFocalLoss([0, Math.log(3)], [1, 0], [1, 2, 1], { activation: 'sigmoid' }).loss, 0.5 * aF + 0.5 * aFTL, 1e-14, 'unified');
  close(
    unifiedFocalLoss([0, Math.log(3)], [1, 0], [1, 2, 1], { activation: 'sigmoid', lambda: 1 }).loss,
    aF,
    1e-14,
    'unified λ = 1: the focal part',
  );
  close(
    unifiedFocalLoss([0, Math.log(3)], [1, 0], [1, 2, 1], { activation: 'sigmoid', lambda: 0 }).loss,
    aFTL,
    1e-14,
    'unified λ = 0: the Tversky part',
  );
  // One sigmoid channel and the same problem as two softmax classes [0, x] give the same loss.
  const asTwo = unifiedFocalLoss([0, 0, 0, Math.log(3)], [1, 0], [1, 2, 2]).loss;
  close(asTwo, 0.5 * aF + 0.5 * aFTL, 1e-14, 'softmax over [0, x] with labels');
});

/**
 * MONAI, monai/losses/dice.py, DiceLoss.forward (reducing the spatial axes only, per image
 * and class, then torch.mean over batch and channels):
 *
 *     intersection = torch.sum(target * input, dim=reduce_axis)
 *     denominator = ground_o + pred_o
 *     f = 1.0 - (2.0 * intersection + smooth) / (denominator + smooth)
 *
 * (newer versions: smooth_nr in the numerator, smooth_dr in the denominator, both 1e-5.)
 */
test('diceLoss equals MONAI DiceLoss(softmax=True, to_onehot_y=True) on hand cases', () => {
  const shape = [2, 2, 2, 3];
  const logits = [0.5, -1, 2, 0.3, 1, -2, 3, 2, 1, 0, -1, 0.7, -0.2, 0.4, 1.1, 2.5, -0.5, 0, 1, 1, -3, 0.8, 0.1, -0.9];
  const labels = [2, 0, 0, 1, 2, 0, 1, 1];
  const probs = softmaxProbs(logits, 3);
  const oneHot = labels.flatMap((l) => [0, 1, 2].map((c) => (c === l ? 1 : 0)));
  const { tp, fn, fp } = sums(oneHot, probs, 2, 3);
  const monai = mean(tp.map((a, j) => 1 - (2 * a + 1e-5) / (2 * a + fn[j] + fp[j] + 1e-5)));
  close(diceLoss(logits, labels, shape).loss, monai, 1e-13, 'mean');
  const none = diceLoss(logits, labels, shape, { reduction: 'none' }).loss;
  assert.equal(none.length, 6, '[batch, classes] as MONAI reduction="none"');
  // include_background=False: the channel 0 dropped.
  const noBackground = mean(tp.map((a, j) => 1 - (2 * a + 1e-5) / (2 * a + fn[j] + fp[j] + 1e-5)).filter((_, j) => j % 3 !== 0));
  close(diceLoss(logits, labels, shape, { includeBackground: false }).loss, noBackground, 1e-13, 'includeBackground false');
});

/**
 * The Unified Focal loss code, github.com/mlyg/unified-focal-loss, loss_functions.py (commit
 * 411c9c5), for 2D inputs [B, H, W, C] of probabilities, K.epsilon() = 1e-7:
 *
 *   focal_tversky_loss(delta=0.7, gamma=0.75, smooth=0.000001):
 *       y_pred = K.clip(y_pred, epsilon, 1. - epsilon)
 *       tp = K.sum(y_true * y_pred, axis=[1, 2]); fn = K.sum(y_true * (1-y_pred), ...); fp = K.sum((1-y_true) * y_pred, ...)
 *       tversky_class = (tp + smooth)/(tp + delta*fn + (1-delta)*fp + smooth)
 *       focal_tversky_loss = K.mean(K.pow((1-tversky_class), gamma))
 *
 *   asymmetric_focal_loss(delta, gamma):
 *       cross_entropy = -y_true * K.log(y_pred)
 *       back_ce = (1 - delta) * K.pow(1 - y_pred[:,:,:,0], gamma) * cross_entropy[:,:,:,0]
 *       fore_ce = delta * cross_entropy[:,:,:,1]
 *       loss = K.mean(K.sum(tf.stack([back_ce, fore_ce],axis=-1),axis=-1))
 *
 *   asymmetric_focal_tversky_loss(delta, gamma):
 *       dice_class = (tp + epsilon)/(tp + delta*fn + (1-delta)*fp + epsilon)
 *       back_dice = (1-dice_class[:,0])
 *       fore_dice = (1-dice_class[:,1]) * K.pow(1-dice_class[:,1], -gamma)
 *       loss = K.mean(tf.stack([back_dice,fore_dice],axis=-1))
 *
 *   asym_unified_focal_loss(weight=0.5, delta=0.6, gamma=0.5):
 *       return (weight * asymmetric_ftl) + ((1-weight) * asymmetric_fl)
 *
 * written out below on probabilities (the clip is inactive for these logits). Note the code's
 * `weight` multiplies the Tversky part, where the paper's λ (ours) multiplies the focal part.
 */
function mlygFocalTversky(
  yTrue: number[],
  yPred: number[],
  batch: number,
  classes: number,
  delta = 0.7,
  gamma = 0.75,
  smooth = 1e-6,
): number {
  const { tp, fn, fp } = sums(yTrue, clip(yPred), batch, classes);
  return mean(tp.map((a, j) => Math.pow(1 - (a + smooth) / (a + delta * fn[j] + (1 - delta) * fp[j] + smooth), gamma)));
}

function mlygAsymUnified(yTrue: number[], yPredRaw: number[], batch: number, weight = 0.5, delta = 0.6, gamma = 0.5): number {
  const yPred = clip(yPredRaw);
  const e = 1e-7;
  const { tp, fn, fp } = sums(yTrue, yPred, batch, 2);
  const dice = tp.map((a, j) => (a + e) / (a + delta * fn[j] + (1 - delta) * fp[j] + e));
  const ftl = mean(dice.map((d, j) => (j % 2 === 0 ? 1 - d : (1 - d) * Math.pow(1 - d, -gamma))));
  const perPixel: number[] = [];
  for (let i = 0; i < yTrue.length; i += 2) {
    const back = (1 - delta) * Math.pow(1 - yPred[i], gamma) * -yTrue[i] * Math.log(yPred[i]);
    const fore = delta * -yTrue[i + 1] * Math.log(yPred[i + 1]);
    perPixel.push(back + fore);
  }
  return weight * ftl + (1 - weight) * mean(perPixel);
}

test('focalTverskyLoss and unifiedFocalLoss equal the Unified Focal loss code (loss_functions.py) on hand cases', () => {
  const shape = [2, 2, 3, 2];
  const logits = [0.5, -1, 2, 0.3, 1, -2, 3, 2, 1, 0, -1, 0.7, -0.2, 0.4, 1.1, 2.5, -0.5, 0, 1, 1, -3, 0.8, 0.1, -0.9];
  const labels = [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0];
  const probs = softmaxProbs(logits, 2);
  const oneHot = labels.flatMap((l) => [l === 0 ? 1 : 0, l === 1 ? 1 : 0]);
  close(focalTverskyLoss(logits, labels, shape).loss, mlygFocalTversky(oneHot, probs, 2, 2), 1e-12, 'focal_tversky_loss');
  close(
    focalTverskyLoss(logits, oneHot, shape, { alpha: 0.4, gamma: 2 }).loss,
    mlygFocalTversky(oneHot, probs, 2, 2, 0.4, 2),
    1e-12,
    'focal_tversky_loss(delta=0.4, gamma=2), one-hot masks',
  );
  close(unifiedFocalLoss(logits, labels, shape).loss, mlygAsymUnified(oneHot, probs, 2), 1e-12, 'asym_unified_focal_loss()');
  // The code's weight = 1 - λ.
  close(
    unifiedFocalLoss(logits, labels, shape, { lambda: 0.7, delta: 0.7, gamma: 0.2 }).loss,
    mlygAsymUnified(oneHot, probs, 2, 0.3, 0.7, 0.2),
    1e-12,
    'asym_unified_focal_loss(weight=0.3, delta=0.7, gamma=0.2)',
  );
  // One sigmoid channel: the code's two channels are [1 - p, p].
  const x = [0.3, -2, 1.5, 0.2, -0.7, 2.2];
  const t = [1, 0, 1, 0, 0, 1];
  const twoChannel = x.flatMap((v) => [1 - sigmoid(v), sigmoid(v)]);
  const twoTargets = t.flatMap((v) => [1 - v, v]);
  close(
    unifiedFocalLoss(x, t, [2, 3, 1], { activation: 'sigmoid' }).loss,
    mlygAsymUnified(twoTargets, twoChannel, 2),
    1e-12,
    'sigmoid binary',
  );
});

test('options: perImage false pools the batch; classWeights; ignoreIndex; reduction none', () => {
  const logits = [2, -1, 0.5, 0.5, -1, 3, 0, 0];
  const labels = [0, 1, 1, 0];
  // perImage false with [2, 2, 2] equals perImage true on the same pixels as one [1, 4, 2] image.
  close(diceLoss(logits, labels, [2, 2, 2], { perImage: false }).loss, diceLoss(logits, labels, [1, 4, 2]).loss, 1e-15, 'batch pooling');
  assert.equal(diceLoss(logits, labels, [2, 2, 2], { perImage: false, reduction: 'none' }).loss.length, 2, '[1, classes]');
  assert.equal(unifiedFocalLoss(logits, labels, [2, 2, 2], { perImage: false, reduction: 'none' }).loss.length, 1, '[1]');
  const none = diceLoss(logits, labels, [2, 2, 2], { reduction: 'none' }).loss;
  const weighted = diceLoss(logits, labels, [2, 2, 2], { classWeights: [0.5, 2], reduction: 'sum' }).loss;
  close(weighted, 0.5 * none[0] + 2 * none[1] + 0.5 * none[2] + 2 * none[3], 1e-15, 'classWeights');
  // An ignored pixel counts nowhere: the same as leaving it out.
  for (const f of [diceLoss, focalTverskyLoss, unifiedFocalLoss] as const) {
    const withIgnored = f([...logits, 9, -9], [...labels, 255], [1, 5, 2], { ignoreIndex: 255 }).loss;
    close(withIgnored, f(logits, labels, [1, 4, 2]).loss, 1e-14, `${f.name} ignoreIndex`);
  }
});

test('region losses: errors name the op and the argument', () => {
  const cases: Array<[() => unknown, RegExp]> = [
    [() => diceLoss([1, 2], [0], [2]), /diceLoss: logits must have rank >= 2 \(\[batch, \.\.\.spatial, classes\]\), got shape \[2\]/],
    [
      () => diceLoss([1, 2], [1, 0], [1, 2], { activation: 'relu' as never }),
      /diceLoss: activation must be 'softmax' or 'sigmoid', got "relu"/,
    ],
    [
      () => diceLoss([1, 2], [1, 0, 1], [1, 2]),
      /diceLoss: targets \(3 values\) must have the logits' shape \[1, 2\] or, for integer labels, \[1\]/,
    ],
    [() => diceLoss([1], [1], [1, 1]), /diceLoss: activation 'softmax' needs at least 2 classes/],
    [() => diceLoss([1, 2], [2], [1, 2]), /diceLoss: targets\[0\] = 2 is not an integer in \[0, 2\)/],
    [() => diceLoss([1, 2], [1.5, 0], [1, 2]), /diceLoss: targets\[0\] = 1.5 is not in \[0, 1\]/],
    [() => diceLoss([1, 2], [1, 0], [1, 2], { ignoreIndex: 255 }), /diceLoss: ignoreIndex applies to integer labels/],
    [() => diceLoss([1, 2], [1], [1, 2], { smooth: 0 }), /diceLoss: smooth must be a finite number > 0, got 0/],
    [() => diceLoss([1, 2], [1], [1, 2], { classWeights: [1] }), /diceLoss: classWeights has 1 entries but the logits have 2 classes/],
    [() => diceLoss([1, 2], [1], [1, 2], { perImage: 1 as never }), /diceLoss: perImage must be true or false, got 1/],
    [
      () => diceLoss([1], [1], [1, 1], { activation: 'sigmoid', includeBackground: false }),
      /diceLoss: includeBackground false drops class 0, but the logits have only 1 class/,
    ],
    [() => diceLoss([1, 2], [1], [1, 2], { gamma: 2 } as never), /diceLoss: unknown option 'gamma'/],
    [() => focalTverskyLoss([1, 2], [1], [1, 2], { gamma: 0 }), /focalTverskyLoss: gamma must be > 0/],
    [() => focalTverskyLoss([1, 2], [1], [1, 2], { alpha: -1 }), /focalTverskyLoss: alpha must be a finite number >= 0, got -1/],
    [() => unifiedFocalLoss([1, 2], [1], [1, 2], { gamma: 1.5 }), /unifiedFocalLoss: gamma must be a number in \[0, 1\], got 1.5/],
    [() => unifiedFocalLoss([1, 2], [1], [1, 2], { lambda: 2 }), /unifiedFocalLoss: lambda must be a number in \[0, 1\], got 2/],
    [
      () => unifiedFocalLoss([1, 2], [1, 0], [1, 1, 2], { activation: 'sigmoid' }),
      /unifiedFocalLoss: activation 'sigmoid' is for binary segmentation with one channel/,
    ],
  ];
  for (const [call, message] of cases) assert.throws(call, message);
});
