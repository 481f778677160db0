/**
 * RetinaNet for TensorFlow.js: the building blocks of a dense one-stage detector, a small
 * RetinaNet built on them, and COCO's bbox evaluation, as torchvision keeps `retinanet.py`
 * beside `anchor_utils.py` and `_utils.py`. The building blocks are framework-free: they work
 * on plain arrays and typed arrays, so that a model's outputs enter as `await tensor.data()`
 * and targets leave as typed arrays for `tf.tensor`.
 *
 * - {@link generateAnchors}: anchors per level, scales × aspect ratios per cell.
 * - {@link encodeBoxes} / {@link decodeBoxes}: (dx, dy, dw, dh) box coding.
 * - {@link iouMatrix}, {@link assignAnchors}, {@link oneHotTargets}: RetinaNet's assignment
 *   (IoU ≥ 0.5 positive, < 0.4 negative, between ignored; each box claims its best anchor).
 * - {@link decodeDetections}, {@link nonMaxSuppression}: RetinaNet inference (score > 0.05,
 *   top 1000 per level, per-class NMS at 0.5, 100 detections).
 * - {@link evaluateCoco}, {@link formatCocoSummary}: pycocotools' COCOeval for bbox.
 * - {@link createRetinaNet}, {@link detectionTargets}, {@link detectionLoss},
 *   {@link detectScenes}: a small RetinaNet (backbone, FPN, shared heads with the prior bias)
 *   on plain tf variables, its per-anchor targets, the focal loss normalised by positives plus
 *   smooth L1, and inference to a COCO results list; {@link batchTargets} and
 *   {@link retinaNetLoss}: the same loss level by level, as training runs it fastest.
 *
 * @module tfjs-retinanet
 */
export { boxArea, boxCount, boxIou, iouMatrix, xywhToXyxy, xyxyToXywh, type Boxes } from './boxes.js';
export {
  generateAnchors,
  RETINANET_ASPECT_RATIOS,
  RETINANET_SCALES,
  type AnchorLevel,
  type AnchorOptions,
  type Anchors,
} from './anchors.js';
export { decodeBoxes, DEFAULT_BOX_CLAMP, encodeBoxes, type BoxCoderOptions } from './box_coder.js';
export { assignAnchors, BACKGROUND, IGNORE, oneHotTargets, type AnchorTargets, type AssignOptions } from './assign.js';
export {
  batchedNonMaxSuppression,
  decodeDetections,
  nonMaxSuppression,
  type DetectOptions,
  type Detections,
  type LevelSpan,
} from './postprocess.js';
export {
  checkCocoGroundTruth,
  checkCocoResults,
  type CheckedGroundTruth,
  type CocoAnnotation,
  type CocoCategory,
  type CocoGroundTruth,
  type CocoId,
  type CocoImage,
  type CocoResult,
  type DtRecord,
  type GtRecord,
} from './coco_format.js';
export {
  COCO_AREA_RANGES,
  COCO_IOU_THRESHOLDS,
  COCO_MAX_DETS,
  COCO_RECALL_THRESHOLDS,
  COCO_STAT_NAMES,
  evaluateChecked,
  evaluateCoco,
  formatCocoSummary,
  formatFixed3,
  summarizeCoco,
  type CocoEvaluation,
  type CocoStatName,
} from './coco_eval.js';
export { CocoFormatError } from './errors.js';
export { predict, variableFrom, type Model } from './model.js';
export {
  createRetinaNet,
  detectionAnchors,
  detectionLevels,
  PRIOR,
  type AnchorLayout,
  type LevelOutputs,
  type RetinaNet,
  type RetinaNetOptions,
} from './retinanet/model.js';
export {
  anchorRatioWords,
  batchTargets,
  detectionTargets,
  targetRowWidth,
  type BatchTargets,
  type DetectionTargets,
  type GroundTruthBoxes,
  type LevelTargets,
} from './retinanet/targets.js';
export { batchTargetTensors, detectionLoss, retinaNetLoss, type FocalParameters } from './retinanet/loss.js';
export { cocoMetrics, detectScenes, imageTensor, type ImageSet, type RetinaNetDetectOptions } from './retinanet/inference.js';
