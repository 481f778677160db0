/** Shapes of the results that `compare` produces and the report renders. */
import type { PrPoint, ReliabilityBin } from '../metrics/index.js';
import type { TestResample } from './resample.js';
import type { LossSetting } from './settings.js';

// The resampler's types live with the code that builds them (resample.ts); kept importable from here.
export type { ResampleInput, TestResample } from './resample.js';

/** Metric name → value. */
export type Metrics = Record<string, number>;

/** One training run: one loss setting, one seed. Every run is kept and reported. */
export interface RunRecord {
  experiment: string;
  setting: LossSetting;
  seed: number;
  epochs: number;
  /** Mean training loss per epoch. */
  trainLoss: number[];
  diverged: boolean;
  seconds: number;
  validation: Metrics;
  test: Metrics;
  /** Test metrics with sample weights that restore the training class prior (classification). */
  testReweighted?: Metrics;
  /** Binary: the F1-maximising threshold chosen on validation. */
  threshold?: number;
  /**
   * The primary test metric recomputed with per-unit bootstrap counts (units: test examples,
   * or scenes), for the verdict's test-set noise. Kept in memory only, not in results.json.
   */
  testResample?: TestResample;
  /** Test-set curves for the plots (binary: PR curve; all: reliability bins; thinned). */
  curves?: {
    pr?: PrPoint[];
    prAtTrainPrior?: PrPoint[];
    reliability?: ReliabilityBin[];
    reliabilityAtTrainPrior?: ReliabilityBin[];
    lossCdf?: LossCdf[];
    /** Detection learning curve: test AP after 1, 2, 4, … epochs and after the last (Adam's constant rate: each point is a shorter run). */
    apBySteps?: { steps: number; test: number }[];
  };
  /** Predictions on the experiment's example scenes ({@link ExperimentResult.examples}); first seed only. */
  examples?: RunExamples;
}

/** Test scenes drawn in the report: the first scenes of the fixed test set, the same for every setting. */
export interface SceneExamples {
  side: number;
  /** Per scene: side × side gray levels 0-255 (row-major), base64. */
  images: string[];
  /** Detection: per scene, the true boxes `[x1, y1, x2, y2]` and their classes. */
  boxes?: ExampleBox[][];
  /** Segmentation: per scene, side × side characters: '1' foreground, '0' background, '.' ignored. */
  masks?: string[];
}

/** A box drawn in the report; `score` for predictions. */
export interface ExampleBox {
  box: number[];
  label: number;
  score?: number;
}

/** One run's predictions on the example scenes. */
export interface RunExamples {
  /** Detection: per scene, the highest-scoring detections (at most 20). */
  boxes?: ExampleBox[][];
  /** Segmentation: per scene, side × side characters: '1' predicted foreground, '0' background. */
  masks?: string[];
}

/**
 * The paper's Figure 4 for one trained model and one γ: the focal loss (without α, which is
 * constant within each group) of its positive and of its negative (anchor, class) pairs,
 * sorted from lowest to highest and summed; `positive[i]` / `negative[i]` is the fraction of
 * the group's total loss carried by its lowest-loss fraction i / (length − 1) of pairs.
 */
export interface LossCdf {
  gamma: number;
  positive: number[];
  negative: number[];
  /** Pairs counted in each group. */
  positives: number;
  negatives: number;
}

/** Which metrics an experiment reports, which one selects the best setting, and whether higher is better. */
export interface MetricSpec {
  /** Selection metric, computed on validation; also the headline test metric. */
  primary: string;
  /** All metrics in display order. */
  names: string[];
  /** Metrics where lower is better (e.g. ECE). */
  lowerIsBetter: string[];
  /** Metric shown for the test set re-weighted to the training prior (classification only). */
  atTrainPrior?: string;
}

/** One experiment (data set x loss grid x seeds). */
export interface ExperimentResult {
  id: string;
  title: string;
  task: 'classification' | 'segmentation' | 'detection';
  kind: 'binary' | 'multiclass' | 'segmentation' | 'detection';
  description: string;
  /** Model and training settings in words, e.g. "MLP 196-64-1, Adam 1e-3, 6 epochs, batch 256". */
  training: string;
  metrics: MetricSpec;
  grid: LossSetting[];
  seeds: number[];
  runs: RunRecord[];
  /** True when every seed is scored on the same test set (built-in tasks); false when each seed splits its own (CSV). */
  sharedTestSet?: boolean;
  /**
   * Label of the baseline setting that verdicts and Δ compare against, where it is not plain
   * cross-entropy (detection: α-balanced cross-entropy, the paper's CE α = .75).
   */
  baseline?: string;
  /** Test scenes drawn in the report with the runs' {@link RunRecord.examples}. */
  examples?: SceneExamples;
  /** Detection: negative anchors per positive anchor in the first seed's training set. */
  anchorImbalance?: number;
  /** Detection ablations: what the experiment varies against the main one, in words. */
  axis?: string;
  /** Detection: a point of the imbalance trend (see report/ablations.ts). */
  imbalanceAxis?: boolean;
  /**
   * The user's images: the trivial baselines' test scores on `metric`, the floor the best
   * setting must reach, and whether it did; `words` (not informative) replace the verdict's.
   */
  chance?: { metric: string; baselines: Record<string, number>; floor: number; informative: boolean; words?: string };
}

/** Mean and sample standard deviation over seeds. */
export interface MeanStd {
  mean: number;
  std: number;
}
