/** The composite (TF.js ops) form of each element-wise family loss, by op name. */
import { asymmetricComposite } from './asymmetric.js';
import { gaussianComposite } from './gaussian.js';
import { polyComposite } from './poly.js';
import { qualityComposite } from './quality.js';
import type { Composite } from './tf_math.js';
import { varifocalComposite } from './varifocal.js';

export const COMPOSITES: Record<string, Composite> = {
  qualityFocalLoss: qualityComposite,
  varifocalLoss: varifocalComposite,
  gaussianFocalLoss: gaussianComposite,
  polyFocalLoss: polyComposite,
  asymmetricLoss: asymmetricComposite,
};
