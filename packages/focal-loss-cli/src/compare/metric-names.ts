/** Human names of metrics, shared by verdicts, tables and plots. */

const SHORT: Record<string, string> = {
  averagePrecision: 'AP',
  rocAuc: 'ROC-AUC',
  balancedAccuracy: 'bal. acc.',
  macroF1: 'macro-F1',
  rareRecall: 'rare recall',
  ece: 'ECE',
  iou: 'IoU',
  dice: 'Dice',
  'f1@val': 'F1@val',
  'f1@0.5': 'F1@0.5',
};

const LONG: Record<string, string> = {
  averagePrecision: 'average precision (AUPRC)',
  rocAuc: 'ROC-AUC',
  balancedAccuracy: 'balanced accuracy',
  macroF1: 'macro-F1',
  rareRecall: 'recall of the 3 rarest classes',
  ece: 'expected calibration error',
  iou: 'foreground IoU',
  dice: 'Dice',
  AP: 'COCO AP (IoU .50:.95)',
  AP50: 'COCO AP at IoU .50',
};

/** Short name for table headers and verdicts, e.g. "AP". */
export function shortMetricName(name: string): string {
  return SHORT[name] ?? name;
}

/** Long name for legends and axes, e.g. "average precision (AUPRC)". */
export function metricTitle(name: string): string {
  return LONG[name] ?? name;
}
