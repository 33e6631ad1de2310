import type { TrialPlan } from '../simulate/plan.js';
import { fail, plainObject } from '../validate.js';
import { type PlotOptions, VEGA_LITE_SCHEMA, type VegaLiteSpec } from './plots.js';

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
  const p = plainObject('plotPowerCurve', 'plan', plan);
  if (p.kind !== 'n1kit.trialPlan' || !Array.isArray(p.grid)) fail('plotPowerCurve', 'plan', 'must be the output of planTrial', p.kind);
  const values = plan.grid.map((r) => ({
    days: r.totalDays,
    blocks: r.blocks,
    power: r.power,
    lo: Math.max(0, r.power - 2 * r.mcse),
    hi: Math.min(1, r.power + 2 * r.mcse),
    period: `${r.periodDays} days${r.washoutDays > 0 ? ` (${r.washoutDays} washout)` : ''}`,
  }));
  const x = { field: 'days', type: 'quantitative', title: 'trial length (days)' };
  const color = { field: 'period', type: 'nominal', title: 'period' };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options?.title ?? `Power for ${plan.arm} by trial length (target ${(100 * plan.targetPower).toFixed(0)}%)`,
    width: options?.width ?? 560,
    height: options?.height ?? 300,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: { x, y: { field: 'power', type: 'quantitative', title: 'P(success)', scale: { domain: [0, 1] } }, color, tooltip: [{ field: 'blocks' }, { field: 'power', format: '.3f' }] },
      },
      { data: { values }, mark: 'rule', encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
      { data: { values: [{ target: plan.targetPower }] }, mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { field: 'target', type: 'quantitative' } } },
    ],
  };
}
