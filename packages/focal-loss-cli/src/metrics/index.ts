export * from './binary.js';
export * from './calibration.js';
export * from './multiclass.js';
export * from './segmentation.js';
export * from './stats.js';
export * from './coco_resample.js';
