/**
 * Softmax focal loss shaped like segmentation: [8, C, 64, 64] logits with the class axis 1
 * (NCHW) and the same values transposed to [8, 64, 64, C] (NHWC, class axis last), few to
 * some classes. These are the shapes that take the SIMD kernel four rows at a time
 * (assembly/softmax_columns.ts) or its row kernel; forward + backward through the public op
 * under tf.valueAndGrad, the SIMD path against the JS loop (forced off), cpu and wasm.
 */
import type * as tfNamespace from '@tensorflow/tfjs';
import { softmaxFocalLoss } from '../src/index.js';
import { setFocalLossSimd } from '../src/kernels/simd/index.js';
import { ALPHA, GAMMA, uniform } from './data.js';
import { timeCell } from './measure.js';

export interface LayoutRow {
  backend: string;
  classes: number;
  /** 'NCHW' (class axis 1) or 'NHWC' (class axis last). */
  layout: 'NCHW' | 'NHWC';
  simd: number;
  js: number;
}

const CLASSES = [2, 5, 12, 48];
const [BATCH, HEIGHT, WIDTH] = [8, 64, 64];

/** Elements per second of one forward + backward step on the current backend. */
async function speed(
  tf: typeof tfNamespace,
  logits: tfNamespace.Tensor,
  labels: tfNamespace.Tensor,
  axis: number,
  simd: boolean,
): Promise<number> {
  setFocalLossSimd(simd);
  try {
    const step = tf.valueAndGrad(
      (x: tfNamespace.Tensor) => softmaxFocalLoss(x, labels, { axis, alpha: ALPHA, gamma: GAMMA }) as tfNamespace.Scalar,
    );
    const once = async (): Promise<number> => {
      const { value, grad } = step(logits);
      const [loss] = await Promise.all([value.data(), grad.data()]);
      tf.dispose([value, grad]);
      return loss[0];
    };
    const { seconds } = await timeCell(once, () => performance.now());
    return logits.size / seconds;
  } finally {
    setFocalLossSimd(null);
  }
}

export async function runLayoutCells(
  tf: typeof tfNamespace,
  backends: string[],
  useBackend: (name: string) => Promise<void>,
): Promise<LayoutRow[]> {
  const rows: LayoutRow[] = [];
  for (const backend of backends) {
    await useBackend(backend);
    for (const classes of CLASSES) {
      const size = BATCH * classes * HEIGHT * WIDTH;
      const nchw = tf.tensor(
        Float32Array.from(uniform(size, 19), (u) => (u - 0.5) * 8),
        [BATCH, classes, HEIGHT, WIDTH],
      );
      const nhwc = tf.transpose(nchw, [0, 2, 3, 1]);
      const labels = tf.tensor(
        Int32Array.from(uniform(BATCH * HEIGHT * WIDTH, 23), (u) => Math.min(classes - 1, Math.floor(u * classes))),
        [BATCH, HEIGHT, WIDTH],
        'int32',
      );
      for (const [layout, logits, axis] of [
        ['NCHW', nchw, 1],
        ['NHWC', nhwc, 3],
      ] as const) {
        rows.push({
          backend,
          classes,
          layout,
          simd: await speed(tf, logits, labels, axis, true),
          js: await speed(tf, logits, labels, axis, false),
        });
      }
      tf.dispose([nchw, nhwc, labels]);
    }
  }
  return rows;
}

export function layoutTable(rows: LayoutRow[]): string {
  const lines = [
    '| backend | logits | classes | SIMD M elem/s | JS loop M elem/s | SIMD / JS |',
    '|---------|--------|---------|---------------|------------------|-----------|',
  ];
  for (const r of rows) {
    const shape = r.layout === 'NCHW' ? `[8, ${r.classes}, 64, 64] (axis 1)` : `[8, 64, 64, ${r.classes}] (last)`;
    lines.push(
      `| ${r.backend} | ${shape} | ${r.classes} | ${(r.simd / 1e6).toFixed(1)} | ${(r.js / 1e6).toFixed(1)} | ${(r.simd / r.js).toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}
