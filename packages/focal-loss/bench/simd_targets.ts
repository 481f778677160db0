/** The SIMD kernels' targets and reported ratios, checked on the rows of one run (10^6 elements). */
import type { Loss, Row } from './row.js';
import type { TargetLine } from './targets.js';

const N = 1e6;

export function checkSimdTargets(rows: Row[], losses: Loss[]): TargetLine[] {
  const lines: TargetLine[] = [];
  const add = (target: string, met: boolean | null, measured: string): void => void lines.push({ target, met, measured });
  const at = (loss: Loss, pick: (r: Row) => boolean): Row | undefined => rows.find((r) => r.loss === loss && r.elements === N && pick(r));
  const speed = (r: Row | undefined): number => r?.elementsPerSecond ?? NaN;
  const ratio = (a: Row | undefined, b: Row | undefined): string =>
    a && b
      ? `${(speed(a) / speed(b)).toFixed(2)}x (${(speed(a) / 1e6).toFixed(1)} vs ${(speed(b) / 1e6).toFixed(1)} M elem/s)`
      : 'not measured';
  const verdict = (a: Row | undefined, b: Row | undefined, goal: number): boolean | null => (a && b ? speed(a) / speed(b) >= goal : null);
  for (const loss of losses) {
    const floor = at(loss, (r) => r.implementation === 'js-floor');
    const kernel = at(loss, (r) => r.implementation === 'simd-kernel');
    const cpu = at(loss, (r) => r.backend === 'cpu' && r.implementation === 'fused');
    const wasm = at(loss, (r) => r.backend === 'wasm' && r.implementation === 'fused');
    for (const [name, row] of [
      ['SIMD kernel (no TF.js)', kernel],
      ['cpu fused op (SIMD)', cpu],
      ['wasm fused op (SIMD)', wasm],
    ] as const) {
      add(`${loss}, ${name} >= 4x the best plain JS loop (1e6, fwd+bwd)`, verdict(row, floor, 4), ratio(row, floor));
    }
    for (const backend of ['cpu', 'wasm']) {
      const simd = at(loss, (r) => r.backend === backend && r.implementation === 'fused');
      const js = at(loss, (r) => r.backend === backend && r.implementation === 'fused-js');
      const fwd = at(loss, (r) => r.backend === backend && r.implementation === 'fused-fwd');
      const jsFwd = at(loss, (r) => r.backend === backend && r.implementation === 'fused-js-fwd');
      add(`${loss}, ${backend} fused: SIMD path over the JS path (reported)`, null, ratio(simd, js));
      add(`${loss}, ${backend} fused forward only (no tape) over forward + backward (reported)`, null, ratio(fwd, simd));
      add(`${loss}, ${backend} fused, JS path: forward only over forward + backward (reported)`, null, ratio(jsFwd, js));
    }
    if (loss !== 'sigmoid') continue;
    const torchDefault = at(loss, (r) => r.implementation === 'torchvision' && r.backend.includes('default'));
    const torchAll = at(loss, (r) => r.implementation === 'torchvision' && r.backend.includes('all cores'));
    for (const [name, row] of [
      ['SIMD kernel', kernel],
      ['cpu fused op (SIMD)', cpu],
    ] as const) {
      add(
        `sigmoid, ${name}, 1 thread, >= 1.5x ${torchDefault?.backend ?? 'torchvision (default threads)'} (1e6)`,
        verdict(row, torchDefault, 1.5),
        ratio(row, torchDefault),
      );
      add(
        `sigmoid, ${name}, 1 thread, >= 1x ${torchAll?.backend ?? 'torchvision (all cores)'} (1e6)`,
        verdict(row, torchAll, 1),
        ratio(row, torchAll),
      );
    }
    const memory = at(loss, (r) => r.implementation === 'mem-pass');
    for (const [name, row] of [
      ['SIMD kernel', kernel],
      ['cpu fused op (SIMD)', cpu],
    ] as const) {
      add(
        `sigmoid, ${name} time / read-8-write-4 pass time (reported; 1 = at the memory floor)`,
        null,
        row && memory ? `${(speed(memory) / speed(row)).toFixed(2)}x (pass: ${(speed(memory) / 1e6).toFixed(0)} M elem/s)` : 'not measured',
      );
    }
  }
  return lines;
}
