import type { CategoricalOptions, RowLayout } from '../gpu/program_specs.js';

/** Input names of the categorical programs, in the plan's order. */
export function categoricalVariableNames(options: CategoricalOptions, withTotal: boolean): string[] {
  const names = ['logits', 'targets', 'stats'];
  if (options.hasAlpha) names.push('alpha');
  if (options.hasWeights) names.push('weights');
  if (withTotal) names.push('total');
  return names;
}

/** The part of the shader key that the layout and options decide. */
export function categoricalKey(spec: CategoricalOptions & RowLayout): string {
  return `${spec.rows}_${spec.classes}_${spec.inner}_${spec.hasAlpha}_${spec.hasWeights}`;
}
