/**
 * The foundation ops used by the Keras-style losses, behind one import so that the layers
 * code does not depend on where the ops live inside the package. Imported from the op
 * modules rather than from '../index.js' so that the main entry can re-export `losses`
 * without an import cycle.
 */
export { sigmoidFocalLoss } from '../ops/sigmoid_focal_loss.js';
export { softmaxFocalLoss } from '../ops/softmax_focal_loss.js';
export { categoricalFocalLoss } from '../ops/categorical_focal_loss.js';
export { qualityFocalLoss, varifocalLoss, gaussianFocalLoss, polyFocalLoss, asymmetricLoss, type FamilyOp } from '../ops/family.js';
