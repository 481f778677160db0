import type { CategoricalOptions } from '../gpu/program_specs.js';

/** Input names of the categorical programs, in the plan's order. */
export function categoricalVariableNames(options: CategoricalOptions, withTotal: boolean): string[] {
  const names = ['logits', 'targets', 'stats'];
  if (options.hasAlpha) names.push('alpha');
  if (options.hasWeights) names.push('weights');
  if (withTotal) names.push('total');
  return names;
}
