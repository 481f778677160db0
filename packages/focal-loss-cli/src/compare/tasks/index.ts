/**
 * The task table: one entry per `--task`, each with the same shape (task.ts). run.ts plans and
 * reports through it; the scheduler looks a job's task up in it to execute the job, in this
 * thread or on a worker thread. Adding a task is adding its entry here. Detection and
 * segmentation run on the built-in MNIST scenes, or with `--images` on the user's own data (images.ts).
 */
import type { TaskName } from '../config.js';
import { classificationTask } from './classification.js';
import { detectionTask } from './detection.js';
import { imageDetectionTask, imageSegmentationTask, withImages } from './images.js';
import { segmentationTask } from './segmentation.js';
import type { Task } from './task.js';

/** Every task by its `--task` name. */
export const tasks: Record<TaskName, Task> = {
  detection: withImages(detectionTask, imageDetectionTask),
  segmentation: withImages(segmentationTask, imageSegmentationTask),
  classification: classificationTask,
};
