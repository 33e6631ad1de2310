export * from './plots.js';
export { plotDiary, plotForest, plotPlanningCurve, plotPriorPosterior } from './report-plots.js';
export type { DensityCurve, DiaryDeviation, DiaryPoint, ForestItem, PlanningPoint, ReferenceLine, ReportPlotOptions } from './report-plots.js';
export * from './power.js';
