import type { DistributionGradSpec, DistributionLossSpec, RowLayout } from '../gpu/program_specs.js';
import { flatProgram } from './flat_program.js';
import { WGSL_MATH, wgslKahanWindow, wgslRowLayout } from './wgsl_snippets.js';
import type { WebGPUProgram } from './webgpu_types.js';

/** DFL row terms from the softmax row stats: as the GLSL (../webgl/distribution_program.ts). */
function wgslDistributionTerms(layout: RowLayout, hasWeights: boolean): string {
  return `
  ${wgslRowLayout(layout)}
  struct DflRow { bad : bool, l : i32, wl : f32, wr : f32, mx : f32, rest : f32, w : f32, };
  fn dflRow(r : i32) -> DflRow {
    let y = f32(targets[r]);
    let mx = stats[r];
    let rest = stats[ROWS + r];
    var d = DflRow(false, 0, 0.0, 0.0, mx, rest, ${hasWeights ? 'f32(weights[r])' : '1.0'});
    if (isnan(mx) || isnan(rest) || !(y >= 0.0 && y <= f32(CLASSES - 1))) { d.bad = true; return d; }
    let lf = min(floor(y), f32(CLASSES - 2));
    d.l = i32(lf);
    d.wl = lf + 1.0 - y;
    d.wr = y - lf;
    return d;
  }
  fn binNll(k : i32, mx : f32, rest : f32) -> f32 {
    let x = f32(logits[k]);
    return select(mx - x, 0.0, x == mx) + log1pNonNeg(rest);
  }
  fn dflLoss(r : i32) -> f32 {
    let d = dflRow(r);
    if (d.bad) { return uniforms.NAN; }
    let base = r * CLASSES;
    let sum = weighted(d.wl, binNll(base + d.l, d.mx, d.rest)) + weighted(d.wr, binNll(base + d.l + 1, d.mx, d.rest));
    return weighted(d.w, sum);
  }
`;
}

function variableNames(hasWeights: boolean): string[] {
  return hasWeights ? ['logits', 'targets', 'stats', 'weights'] : ['logits', 'targets', 'stats'];
}

/** DFL per row (window 1) or summed over windows of rows. */
export function distributionLossProgram(spec: DistributionLossSpec, outputSize: number): WebGPUProgram {
  const { rows, classes, window, hasWeights } = spec;
  return flatProgram(
    `dfl_loss_${rows}_${classes}_${window}_${hasWeights}`,
    variableNames(hasWeights),
    outputSize,
    WGSL_MATH + wgslDistributionTerms(spec, hasWeights),
    `let start = index * ${window};
     ${wgslKahanWindow('dflLoss(k)', window, 'ROWS')}
     setOutputAtIndex(index, sum);`,
  );
}

/** Gradient of the reduced DFL, one logit per thread, times uScale. */
export function distributionGradProgram(spec: DistributionGradSpec): WebGPUProgram {
  const { rows, classes, hasWeights } = spec;
  return flatProgram(
    `dfl_grad_${rows}_${classes}_${hasWeights}`,
    variableNames(hasWeights),
    rows * classes,
    WGSL_MATH + wgslDistributionTerms(spec, hasWeights),
    `let r = index / CLASSES;
     let j = index - r * CLASSES;
     let d = dflRow(r);
     if (d.bad) { setOutputAtIndex(index, uniforms.NAN); return; }
     let g = select(d.w * uniforms.uScale, 0.0, d.w == 0.0);
     if (g == 0.0) { setOutputAtIndex(index, 0.0); return; }
     let binWeight = select(select(0.0, d.wr, j == d.l + 1), d.wl, j == d.l);
     let x = f32(logits[index]);
     let s = 1.0 + d.rest;
     let grad = select(exp(x - d.mx) / s - binWeight, (1.0 - binWeight) - d.rest / s, x == d.mx);
     setOutputAtIndex(index, grad * g);`,
  );
}
