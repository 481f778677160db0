/**
 * The task table: one entry per `--task`, each with the same shape (task.ts). run.ts plans and
 * reports through it; the scheduler looks a job's task up in it to execute the job, in this
 * thread or on a worker thread. Adding a task is adding its entry here.
 */
import type { TaskName } from '../config.js';
import { classificationTask } from './classification.js';
import { detectionTask } from './detection.js';
import { segmentationTask } from './segmentation.js';
import type { Task } from './task.js';

/** Every task by its `--task` name. */
export const tasks: Record<TaskName, Task> = {
  detection: detectionTask,
  segmentation: segmentationTask,
  classification: classificationTask,
};
