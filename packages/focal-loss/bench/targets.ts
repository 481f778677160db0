/** The benchmark's speed, memory and accuracy targets, checked on the rows of one run. */
import type { Impl, Loss, Row } from './row.js';

/** Bytes of scalar tensors tolerated on top of two logits-sized buffers: a handful of float32s. */
const SCALAR_ALLOWANCE_BYTES = 64;

export interface TargetLine {
  target: string;
  /** null: not measured in this run. */
  met: boolean | null;
  measured: string;
}

export function checkTargets(rows: Row[], losses: Loss[]): TargetLine[] {
  const find = (loss: Loss, backend: string, impl: Impl): Row | undefined =>
    rows.find((r) => r.loss === loss && r.elements === 1e6 && r.backend === backend && r.implementation === impl);
  const lines: TargetLine[] = [];
  const add = (target: string, met: boolean | null, measured: string): void => {
    lines.push({ target, met, measured });
  };
  for (const loss of losses) {
    const cpu = find(loss, 'cpu', 'fused');
    const wasm = find(loss, 'wasm', 'fused');
    if (cpu?.speedupOverComposite != null) {
      const speedup = cpu.speedupOverComposite;
      add(`${loss}, cpu fused >= 20x the composite (1e6)`, speedup >= 20, `${speedup.toFixed(1)}x`);
      const floorOverFused = 1 / cpu.speedVsJsFloor;
      add(
        `${loss}, cpu fused within 1.25x of the JS floor (1e6)`,
        floorOverFused <= 1.25,
        `the JS floor runs at ${floorOverFused.toFixed(2)}x the fused speed`,
      );
    }
    if (wasm?.speedupOverComposite != null) {
      const speedup = wasm.speedupOverComposite;
      add(`${loss}, wasm fused >= 2x the composite (1e6)`, speedup >= 2, `${speedup.toFixed(1)}x`);
    }
    const fusedAt = (n: number): Row[] => rows.filter((r) => r.loss === loss && r.elements === n && r.implementation === 'fused');
    for (const r of fusedAt(1e6)) {
      if (r.peakExtraOverLogitsBytes === null) continue;
      // The target counts logits-sized buffers; the few 4-byte scalars alive at the peak
      // (the loss, its upstream gradient) are allowed for, and the exact bytes printed.
      const logitsBytes = 4 * r.elements;
      add(
        `${loss}, ${r.backend} fused peak extra memory <= 2x the logits' bytes (+ scalars) (1e6)`,
        r.peakExtraBytes !== null && r.peakExtraBytes <= 2 * logitsBytes + SCALAR_ALLOWANCE_BYTES,
        `${r.peakExtraOverLogitsBytes.toFixed(4)}x (${r.peakExtraBytes} bytes, logits ${logitsBytes})`,
      );
    }
    const big = fusedAt(1e7);
    if (big.length === 0) {
      add(`${loss}, loss relative error <= 1e-6 at 1e7 on every backend`, null, 'not measured (1e7 is in the full run only)');
    }
    for (const r of big) {
      add(
        `${loss}, ${r.backend} fused loss relative error <= 1e-6 (1e7)`,
        r.lossRelativeError <= 1e-6,
        r.lossRelativeError.toExponential(2),
      );
    }
  }
  return lines;
}

export function formatTarget(line: TargetLine): string {
  const verdict = line.met === null ? 'n/a   ' : line.met ? 'met   ' : 'MISSED';
  return `${verdict}  ${line.target}: ${line.measured}`;
}
