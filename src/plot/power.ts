import type { TrialPlan } from '../simulate/plan.js';
import { fail, plainObject } from '../validate.js';
import type { PlotOptions, VegaLiteSpec } from './plots.js';
import { type PlanningPoint, plotPlanningCurve } from './report-plots.js';
import { checkPlotOptions, PLOT } from './options.js';

/**
 * A power curve of a {@link TrialPlan} as a Vega-Lite spec: power against trial length for
 * each period length (lines), ± 2 Monte Carlo standard errors (bars), the target power (rule).
 *
 * @param plan - the output of `planTrial`
 * @param options - title and size
 * @returns the Vega-Lite spec (plain JSON)
 * @throws ValidationError for something that is not a trial plan
 * @example
 * ```ts
 * const spec = plotPowerCurve(await planTrial(input));
 * ```
 * @see https://vega.github.io/vega-lite/ ; Percha et al. (2019), JMIR 21(4):e12641 (power by design)
 */
export function plotPowerCurve(plan: TrialPlan, options?: PlotOptions): VegaLiteSpec {
  checkPlotOptions('plotPowerCurve', options, PLOT);
  return plotPlanningCurve(planningPoints(plan), {
    title: options?.title ?? `Power for ${plan.arm} by trial length (target ${(100 * plan.targetPower).toFixed(0)}%)`,
    target: plan.targetPower,
    ...(options?.width !== undefined ? { width: options.width } : {}),
    height: options?.height ?? 300,
  });
}

/**
 * The grid of a {@link TrialPlan} as the points of a power curve: one series per period length.
 *
 * @param plan - the output of `planTrial`
 * @returns `{ days, power, mcse, series }` per design of the grid
 * @throws ValidationError for something that is not a trial plan
 * @example
 * ```ts
 * planningPoints({ kind: 'n1kit.trialPlan', grid: [{ totalDays: 84, power: 0.6, mcse: 0.02, periodDays: 14, washoutDays: 0 }] } as never);
 * // returns [{ days: 84, power: 0.6, mcse: 0.02, series: '14 days' }]
 * ```
 */
export function planningPoints(plan: TrialPlan): PlanningPoint[] {
  const p = plainObject('planningPoints', 'plan', plan);
  if (p.kind !== 'n1kit.trialPlan' || !Array.isArray(p.grid)) fail('planningPoints', 'plan', 'must be the output of planTrial', p.kind);
  return plan.grid.map((r) => ({
    days: r.totalDays,
    power: r.power,
    mcse: r.mcse,
    series: `${r.periodDays} days${r.washoutDays > 0 ? ` (${r.washoutDays} washout)` : ''}`,
  }));
}
