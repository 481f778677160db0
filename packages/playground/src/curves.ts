/**
 * The focal-loss curves of the page's first two plots: loss and its gradient against p_t for a
 * fixed family of γ and for the slider's γ, computed with the library's sigmoidFocalLoss on the
 * active TF.js backend (read with `await data()`).
 */
import * as tf from '@tensorflow/tfjs';
import { sigmoidFocalLoss } from 'focal-loss';
import { $ } from './dom.js';
import { legend, plot, type Series } from './plot.js';

/** The γ values always drawn (the paper's Figure 1), and their colours. */
const FAMILY = [0, 0.5, 1, 2, 5];
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];
/** p_t from 0.005 to 0.995, and the logits with a target of 1 that give it. */
const PT = Array.from({ length: 199 }, (_, i) => (i + 1) / 200);
const LOGITS = PT.map((p) => Math.log(p / (1 - p)));

export interface Curve {
  gamma: number;
  loss: number[];
  grad: number[];
}

/** What the curves plots show, as `window.playground.curves` reports it. */
export interface CurvesData {
  gamma: number;
  alpha: number | null;
  backend: string;
  pt: number[];
  logits: number[];
  family: Curve[];
  selected: Curve;
}

async function computeCurves(gammas: number[], alpha: number | null): Promise<Curve[]> {
  const out = tf.tidy(() => {
    const x = tf.tensor1d(LOGITS);
    const t = tf.onesLike(x);
    const rows: tf.Tensor[] = [];
    for (const gamma of gammas) {
      const f = (z: tf.Tensor) => sigmoidFocalLoss(z, t, { gamma, alpha, reduction: 'none' });
      rows.push(f(x), tf.grad((z: tf.Tensor) => tf.sum(f(z)))(x));
    }
    return tf.stack(rows);
  });
  const v = await out.data();
  out.dispose();
  const n = LOGITS.length;
  return gammas.map((gamma, i) => ({
    gamma,
    loss: Array.from(v.subarray(2 * i * n, (2 * i + 1) * n)),
    grad: Array.from(v.subarray((2 * i + 1) * n, (2 * i + 2) * n)),
  }));
}

/** Computes and draws the loss and gradient plots for the family and `gamma` (`alpha` null: no α weighting); returns what they show. */
export async function drawCurves(gamma: number, alpha: number | null): Promise<CurvesData> {
  const curves = await computeCurves([...FAMILY, gamma], alpha);
  const family = curves.slice(0, FAMILY.length);
  const selected = curves[FAMILY.length];
  const series = (key: 'loss' | 'grad'): Series[] => [
    ...family.map((c, i) => ({ x: PT, y: c[key], color: COLORS[i], width: 1.5, attrs: { 'data-gamma': String(c.gamma) } })),
    { x: PT, y: selected[key], color: '#000', width: 3, dash: '6 4', attrs: { 'data-gamma': String(gamma), 'data-selected': 'true' } },
  ];
  const lossSvg = $('loss-plot') as unknown as SVGSVGElement;
  const gradSvg = $('grad-plot') as unknown as SVGSVGElement;
  plot(lossSvg, series('loss'), [0, 1], [0, 5], 'probability of the ground truth class p_t');
  const gradMin = Math.min(-0.05, ...curves.flatMap((c) => c.grad));
  plot(gradSvg, series('grad'), [0, 1], [gradMin, 0], 'p_t');
  const items: [string, string][] = [...FAMILY.map((g, i): [string, string] => [`γ = ${g}`, COLORS[i]]), [`γ = ${gamma} (slider)`, '#000']];
  legend(lossSvg, items);
  lossSvg.dataset.gamma = String(gamma);
  gradSvg.dataset.gamma = String(gamma);
  return { gamma, alpha, backend: tf.getBackend(), pt: PT, logits: LOGITS, family, selected };
}
