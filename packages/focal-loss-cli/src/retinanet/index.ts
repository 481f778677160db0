/**
 * A small RetinaNet on plain tf variables: the network and its anchor layout, the per-anchor
 * targets, the loss and inference. Depends on src/detection (anchors, assignment, decoding,
 * COCO evaluation), src/nn and the focal-loss package only; nothing of compare, the report or
 * the MNIST scenes, so that it can move into a package of its own with src/detection.
 */
export { createRetinaNet, detectionAnchors, detectionLevels, PRIOR, type AnchorLayout, type RetinaNetOptions } from './model.js';
export { anchorRatioWords, detectionTargets, targetRowWidth, type DetectionTargets, type GroundTruthBoxes } from './targets.js';
export { detectionLoss, type FocalParameters } from './loss.js';
export { cocoMetrics, detectScenes, imageTensor, type ImageSet, type RetinaNetDetectOptions } from './inference.js';
