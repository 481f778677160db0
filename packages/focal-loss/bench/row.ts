/** One line of the benchmark table and the ratios between lines of the same run. */
import type { BenchData } from './data.js';
import type { Implementation } from './implementations.js';
import type { CellResult } from './measure.js';

export type Loss = 'sigmoid' | 'softmax';
/**
 * fused-js / fused-fwd / fused-js-fwd: the fused op with the SIMD path forced off / forward
 * only / both;
 * simd-kernel, mem-pass: see simd_cells.ts.
 */
export type Impl = Implementation | 'js-floor' | 'torchvision' | 'fused-js' | 'fused-fwd' | 'fused-js-fwd' | 'simd-kernel' | 'mem-pass';

export interface Row {
  loss: Loss;
  elements: number;
  shape: number[];
  backend: string;
  implementation: Impl;
  elementsPerSecond: number;
  runs: number;
  /** Speed over the composite on the same backend (null where there is none). */
  speedupOverComposite: number | null;
  /** Speed relative to the plain JS loop (1 = as fast, 0.8 = the loop is 1.25x faster). */
  speedVsJsFloor: number;
  peakExtraBytes: number | null;
  peakExtraOverLogitsBytes: number | null;
  lossRelativeError: number;
  note?: string;
}

export function makeRow(
  loss: Loss,
  data: BenchData,
  backend: string,
  implementation: Impl,
  cell: CellResult,
  exactLoss: number,
  note?: string,
): Row {
  const n = data.logits.length;
  return {
    loss,
    elements: n,
    shape: [...data.shape],
    backend,
    implementation,
    elementsPerSecond: n / cell.seconds,
    runs: cell.runs,
    speedupOverComposite: null,
    speedVsJsFloor: NaN,
    peakExtraBytes: cell.peakExtraBytes,
    peakExtraOverLogitsBytes: cell.peakExtraBytes === null ? null : cell.peakExtraBytes / (4 * n),
    lossRelativeError: Math.abs(cell.loss - exactLoss) / Math.abs(exactLoss),
    ...(note ? { note } : {}),
  };
}

/** Fills the ratio columns from the composite and JS-floor rows of the same size. */
export function fillRatios(rows: Row[]): void {
  for (const row of rows) {
    const same = rows.filter((r) => r.loss === row.loss && r.elements === row.elements);
    const floor = same.find((r) => r.implementation === 'js-floor');
    const composite = same.find((r) => r.implementation === 'composite' && r.backend === row.backend);
    row.speedVsJsFloor = floor ? row.elementsPerSecond / floor.elementsPerSecond : NaN;
    row.speedupOverComposite = composite ? row.elementsPerSecond / composite.elementsPerSecond : null;
  }
}
