import type { SoftmaxLabelOptions } from '../gpu/program_specs.js';

/** Input names of the softmax loss and grad programs, in the plan's order. */
export function softmaxVariableNames(options: SoftmaxLabelOptions, withCount: boolean): string[] {
  const names = ['logits', 'labels', 'stats'];
  if (options.hasAlpha) names.push('alpha');
  if (options.hasWeights) names.push('weights');
  if (withCount) names.push('count');
  return names;
}
