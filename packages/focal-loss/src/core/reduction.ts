/** How the per-element losses become the returned loss. */
export type Reduction = 'none' | 'sum' | 'mean';

export const REDUCTIONS: readonly Reduction[] = ['none', 'sum', 'mean'];
