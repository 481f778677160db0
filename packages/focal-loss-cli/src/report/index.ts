/** Writes the report directory: index.html, results.json, summary.md. */
import type { CompareResult } from '../compare/run.js';
import {
  focalLossCurveSpec,
  highlightedSettings,
  lossCdfSpec,
  lossCurvesSpec,
  metricTitle,
  metricVsGammaSpec,
  prCurvesSpec,
  reliabilitySpec,
} from './charts.js';
import { apVsImbalanceSpec, learningCurves, learningCurveSpec } from './ablations.js';
import { indexHtml, summaryMarkdown, type Figure } from './documents.js';
import { renderSvg } from './render.js';
import { detectionGridSvg, sceneGridCaption, segmentationGridSvg } from './scene_grid.js';
import type { PendingReport } from './write.js';

export { prepareReport, type PendingReport } from './write.js';
export { formatTextTable, resultsTable, tableLegend } from './table.js';

/** Renders every figure of every experiment. */
export async function renderFigures(result: CompareResult): Promise<{ perExperiment: Figure[][]; general: Figure[] }> {
  const perExperiment: Figure[][] = [];
  for (const [i, experiment] of result.experiments.entries()) {
    const summary = result.summaries[i]!;
    const figures: Figure[] = [
      {
        caption: `Test ${metricTitle(summary.primary)} against γ for each class weighting (cf. the paper's Table 1b).`,
        svg: await renderSvg(metricVsGammaSpec(experiment, summary)),
      },
      {
        caption: 'Training loss per epoch, mean over seeds. Losses with different γ are on different scales; compare shapes, not heights.',
        svg: await renderSvg(lossCurvesSpec(experiment)),
      },
    ];
    const pr = prCurvesSpec(experiment, summary);
    if (pr)
      figures.push({
        caption:
          'Precision-recall curves on the test set, re-weighted to the training prior (the prior the model will meet if deployed like it was trained): cross-entropy, the selected setting, and γ=2 α=0.25.',
        svg: await renderSvg(pr),
      });
    const reliability = reliabilitySpec(experiment, summary);
    if (reliability)
      figures.push({
        caption:
          'Reliability diagram on the test set (classification: re-weighted to the training prior): points on the dashed diagonal are calibrated.',
        svg: await renderSvg(reliability),
      });
    const cdf = lossCdfSpec(experiment, summary);
    if (cdf) {
      figures.push({
        caption:
          `The paper's Figure 4 on the test scenes: the focal loss of the trained ${cdf.setting.label} model evaluated with each γ, over its positive and its negative (anchor, class) pairs, ` +
          'sorted from lowest to highest and normalised to sum to 1. A curve that stays low and rises at the end means the loss is concentrated on a few hard samples.',
        svg: await renderSvg(cdf.spec),
      });
    }
    // Test scenes with true and predicted boxes / masks: the baseline (cross-entropy, or detection's α-balanced one) and the selected setting.
    const baseline = experiment.grid.find((s) => s.label === experiment.baseline);
    const shown = [...(baseline ? [baseline] : []), ...highlightedSettings(experiment, summary)].filter(
      (s, j, all) => all.findIndex((o) => o.label === s.label) === j,
    );
    const grid =
      experiment.kind === 'detection'
        ? detectionGridSvg(experiment, shown)
        : experiment.kind === 'segmentation'
          ? segmentationGridSvg(experiment, shown)
          : undefined;
    if (grid) figures.push({ caption: sceneGridCaption(experiment), svg: grid });
    perExperiment.push(figures);
  }
  const general = [
    { caption: "Focal loss FL(p_t) = -(1 - p_t)^γ log(p_t) (the paper's Figure 1).", svg: await renderSvg(focalLossCurveSpec()) },
  ];
  return { perExperiment, general };
}

/** Renders and writes all report files into `pending`, then commits it. */
export async function writeReport(result: CompareResult, pending: PendingReport): Promise<void> {
  const { perExperiment, general } = await renderFigures(result);
  const imbalance = apVsImbalanceSpec(result);
  const ablationFigures = [
    ...(await Promise.all(
      learningCurves(result).map(async (curve) => ({
        caption: `Learning curve of ${curve.experiment}: test COCO AP after 1, 2, 4, … epochs (mean ± std over seeds), from which the schedule was chosen.`,
        svg: await renderSvg(learningCurveSpec(curve)),
      })),
    )),
    ...(imbalance
      ? [
          {
            caption:
              'Focal loss γ = 2, α = .25 minus cross-entropy α = .75 (test COCO AP) against the ratio of negative to positive anchors, at the same number of steps (the main experiment and the imbalance ablations; 95 % intervals).',
            svg: await renderSvg(imbalance),
          },
        ]
      : []),
  ];
  pending.write(
    'results.json',
    JSON.stringify(
      result,
      (key, value) => (key === 'testResample' ? undefined : typeof value === 'number' && !Number.isFinite(value) ? null : value),
      2,
    ) + '\n',
  );
  pending.write('summary.md', summaryMarkdown(result));
  pending.write('index.html', indexHtml(result, perExperiment, general, ablationFigures));
  pending.commit();
}
