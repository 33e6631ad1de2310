/**
 * Plots as data: functions that return Vega-Lite v5 specifications (plain JSON). They need no
 * plotting library at run time; render them with any Vega embed, in a notebook, on Observable,
 * or with `n1kit report` (which uses `vega` and `vega-lite` to write SVG).
 *
 * @packageDocumentation
 */
import { normalQuantileStdKernel as normalQuantileStd } from '../distributions/special.js';
import { isWashoutDay, treatmentOnDay } from '../design/lookup.js';
import type { TrialDesign } from '../design/types.js';
import { denseArray, fail, finite, plainObject } from '../validate.js';
import { checkPlotOptions, PLOT } from './options.js';

/** A Vega-Lite specification: plain, JSON-serialisable data. */
export type VegaLiteSpec = { readonly $schema: string } & { readonly [key: string]: unknown };

/** The Vega-Lite schema the specs are written for. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Options shared by the plot functions. */
export interface PlotOptions {
  /** Chart title. @defaultValue a title that says what is shown */
  readonly title?: string;
  /** Width in pixels. @defaultValue 560 */
  readonly width?: number;
  /** Height in pixels. @defaultValue depends on the chart */
  readonly height?: number;
  /**
   * Treatment labels in the order that fixes their colours, so that one treatment has one
   * colour in every chart of a report. @defaultValue the design's treatments where there is a design
   */
  readonly treatments?: readonly string[];
}

const PALETTE = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d'];
const RUN_IN_COLOR = '#bab0ac';

/**
 * A colour scale that gives each treatment the colour of its position in `order` (so one
 * treatment has one colour in every chart) while listing only the labels in `present`.
 */
function colorScale(o: PlotOptions | undefined, present: readonly string[], fallbackOrder?: readonly string[]): Record<string, unknown> {
  const order = o?.treatments ?? fallbackOrder ?? present;
  const domain = [...order.filter((t) => present.includes(t)), ...present.filter((t) => !order.includes(t))];
  const range = domain.map((t) => {
    if (t === 'run-in') return RUN_IN_COLOR;
    const i = order.indexOf(t);
    return PALETTE[(i >= 0 ? i : order.length + domain.indexOf(t)) % PALETTE.length] as string;
  });
  return { scale: { domain, range } };
}

/** The frame every n1kit chart shares: schema, title, size, font. @internal */
export function frame(fn: string, o: { readonly width?: number; readonly height?: number; readonly title?: string } | undefined, title: string, height: number): VegaLiteSpec {
  const width = finite(fn, 'options.width', o?.width ?? 560);
  const h = finite(fn, 'options.height', o?.height ?? height);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: o?.title ?? title,
    width,
    height: h,
    config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: null } },
  };
}

function checkDesign(fn: string, design: unknown): TrialDesign {
  const d = plainObject(fn, 'design', design) as unknown as TrialDesign;
  if (!Array.isArray(d.periods) || d.periods.length === 0) fail(fn, 'design.periods', 'must be a non-empty array', d.periods);
  return d;
}

/**
 * The trial's schedule as a timeline: one bar per period coloured by treatment, washout days
 * hatched lighter, run-in in grey.
 *
 * @param design - a design from `designTrial`
 * @returns a Vega-Lite spec
 * @throws ValidationError when `design` has no periods
 * @example
 * ```ts
 * const spec = plotSchedule(designTrial({ treatments: ['A', 'B'], blocks: 2, periodDays: 7, seed: 1 }));
 * spec.mark; // undefined: a layered chart, see spec.layer
 * ```
 * @see Satyanarayan et al. (2017), Vega-Lite: A grammar of interactive graphics, IEEE TVCG 23(1).
 */
export function plotSchedule(design: TrialDesign, options?: PlotOptions): VegaLiteSpec {
  checkPlotOptions('plotSchedule', options, PLOT);
  const d = checkDesign('plotSchedule', design);
  const rows: Record<string, unknown>[] = [];
  if (d.runInDays > 0) {
    rows.push({ part: 'run-in', treatment: 'run-in', start: 0, end: d.runInDays, period: '' });
  }
  for (const p of d.periods) {
    const washEnd = p.washoutEndDay + 1;
    if (washEnd > p.startDay) {
      rows.push({ part: 'washout', treatment: p.treatment, start: p.startDay, end: washEnd, period: p.index + 1 });
    }
    rows.push({ part: 'treatment', treatment: p.treatment, start: washEnd, end: p.endDay + 1, period: p.index + 1 });
  }
  return {
    ...frame('plotSchedule', options, 'Trial schedule', 90),
    data: { values: rows },
    layer: [
      {
        mark: { type: 'bar', height: 34, stroke: 'white', strokeWidth: 1 },
        encoding: {
          x: { field: 'start', type: 'quantitative', title: 'Day', axis: { tickMinStep: 1 } },
          x2: { field: 'end' },
          color: {
            field: 'treatment',
            type: 'nominal',
            title: 'Treatment',
            ...colorScale(options, [...new Set(rows.map((r) => r.treatment as string))], d.treatments),
          },
          opacity: {
            field: 'part',
            type: 'ordinal',
            scale: { domain: ['treatment', 'washout', 'run-in'], range: [1, 0.35, 1] },
            title: 'Part',
            // A legend only when there is washout to tell apart.
            ...(rows.some((r) => r.part === 'washout') ? {} : { legend: null }),
          },
          tooltip: [
            { field: 'period', title: 'Period' },
            { field: 'treatment', title: 'Treatment' },
            { field: 'part', title: 'Part' },
            { field: 'start', title: 'First day' },
            { field: 'end', title: 'Day after last' },
          ],
        },
      },
    ],
  };
}

/** One diary entry, as `analyzeTrial` takes it. */
export interface PlotObservation {
  readonly day: number;
  readonly value: number;
}

/**
 * The patient's diary over time: one point per observation coloured by the treatment of its
 * period; washout days drawn faint (they are not analysed by default).
 *
 * @param design - the trial design
 * @param observations - `{ day, value }` entries
 * @returns a Vega-Lite spec
 * @throws ValidationError for observations with non-finite day or value
 */
export function plotOutcomes(
  design: TrialDesign,
  observations: readonly PlotObservation[],
  options?: PlotOptions & { readonly outcome?: string },
): VegaLiteSpec {
  checkPlotOptions('plotOutcomes', options, { ...PLOT, outcome: 'string' });
  const d = checkDesign('plotOutcomes', design);
  denseArray('plotOutcomes', 'observations', observations);
  const rows = observations.map((o, i) => {
    plainObject('plotOutcomes', `observations[${i}]`, o);
    finite('plotOutcomes', `observations[${i}].day`, o.day);
    finite('plotOutcomes', `observations[${i}].value`, o.value);
    return {
      day: o.day,
      value: o.value,
      treatment: treatmentOnDay(d, o.day) ?? 'run-in',
      washout: isWashoutDay(d, o.day) ? 'washout' : 'analysed',
    };
  });
  const bounds = d.periods.map((p) => ({ day: p.startDay }));
  return {
    ...frame('plotOutcomes', options, 'Diary', 220),
    layer: [
      {
        data: { values: bounds },
        mark: { type: 'rule', color: '#bbb', strokeDash: [3, 3] },
        encoding: { x: { field: 'day', type: 'quantitative' } },
      },
      {
        data: { values: rows },
        mark: { type: 'point', size: 40, filled: true },
        encoding: {
          x: { field: 'day', type: 'quantitative', title: 'Day' },
          y: { field: 'value', type: 'quantitative', title: options?.outcome ?? 'Outcome', scale: { zero: false } },
          color: {
            field: 'treatment',
            type: 'nominal',
            title: 'Treatment',
            ...colorScale(options, [...new Set(rows.map((r) => r.treatment))], d.treatments),
          },
          // Washout days (not analysed by default) are drawn faint.
          opacity: { condition: { test: "datum.washout === 'washout'", value: 0.3 }, value: 0.9 },
          tooltip: [
            { field: 'day', title: 'Day' },
            { field: 'value', title: 'Value' },
            { field: 'treatment', title: 'Treatment' },
            { field: 'washout', title: 'Status' },
          ],
        },
      },
    ],
  };
}

/** The part of a trial analysis `plotPosterior` reads (a `TrialAnalysis`). */
export interface PlotPosteriorInput {
  readonly effects: Readonly<Record<string, { readonly mean: number; readonly sd: number }>>;
}

/**
 * Posterior densities of each treatment's effect versus the reference, with a rule at 0 (no
 * effect) and, where given, at the minimal clinically important difference. The densities are
 * normal approximations from each effect's posterior mean and sd (exact for the conjugate
 * normal model).
 *
 * @param analysis - a `TrialAnalysis` (only `effects[t].mean` and `.sd` are read)
 * @param options - `thresholds` per treatment (on the effect's scale, signed as the effect:
 *   e.g. −2 for "2 fewer migraine days"), `unit` for the axis title
 * @returns a Vega-Lite spec
 * @throws ValidationError when an effect's mean or sd is not finite, or sd ≤ 0
 */
export function plotPosterior(
  analysis: PlotPosteriorInput,
  options?: PlotOptions & { readonly thresholds?: Readonly<Record<string, number>>; readonly unit?: string },
): VegaLiteSpec {
  checkPlotOptions('plotPosterior', options, { ...PLOT, thresholds: 'numbers', unit: 'string' });
  const a = plainObject('plotPosterior', 'analysis', analysis);
  const effects = plainObject('plotPosterior', 'analysis.effects', a.effects) as PlotPosteriorInput['effects'];
  const names = Object.keys(effects);
  if (names.length === 0) fail('plotPosterior', 'analysis.effects', 'must have at least one treatment', effects);
  const rows: Record<string, unknown>[] = [];
  const rules: Record<string, unknown>[] = [{ x: 0, label: 'no effect', treatment: '' }];
  const z = normalQuantileStd(0.9995);
  for (const t of names) {
    const e = effects[t] as { mean: number; sd: number };
    const m = finite('plotPosterior', `analysis.effects.${t}.mean`, e.mean);
    const s = finite('plotPosterior', `analysis.effects.${t}.sd`, e.sd);
    if (!(s > 0)) fail('plotPosterior', `analysis.effects.${t}.sd`, 'must be > 0', s);
    for (let i = 0; i <= 120; i++) {
      const x = m - z * s + (2 * z * s * i) / 120;
      const density = Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
      rows.push({ treatment: t, x, density });
    }
    const th = options?.thresholds?.[t];
    if (th !== undefined) rules.push({ x: finite('plotPosterior', `thresholds.${t}`, th), label: `MCID ${t}`, treatment: t });
  }
  return {
    ...frame('plotPosterior', options, 'Posterior effect versus the reference', 220),
    layer: [
      {
        data: { values: rows },
        mark: { type: 'area', opacity: 0.45, line: true },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: options?.unit ? `Effect (${options.unit})` : 'Effect' },
          y: { field: 'density', type: 'quantitative', title: 'Posterior density', stack: null },
          color: { field: 'treatment', type: 'nominal', title: 'Treatment', ...colorScale(options, names) },
        },
      },
      {
        data: { values: rules },
        mark: { type: 'rule', strokeDash: [4, 3], color: '#444' },
        encoding: { x: { field: 'x', type: 'quantitative' }, tooltip: [{ field: 'label' }] },
      },
    ],
  };
}

/** One ranked candidate, as `plotRanking` reads it. */
export interface PlotRankingItem {
  readonly id: string;
  readonly label?: string;
  /** P(this candidate is the best), the paper's σ. */
  readonly probBest: number;
  readonly mean?: number;
  readonly interval?: readonly [number, number];
}

/**
 * The LFM ranking: P(best) per candidate as horizontal bars, with an optional rule at the
 * validation threshold τ.
 *
 * @param ranking - an array of candidates, or an object with a `candidates` array
 * @param options - `threshold`: draw τ (e.g. the `include` level of `planValidation`)
 * @returns a Vega-Lite spec
 * @throws ValidationError when a probability is outside [0, 1]
 */
export function plotRanking(
  ranking: readonly PlotRankingItem[] | { readonly candidates: readonly PlotRankingItem[] },
  options?: PlotOptions & { readonly threshold?: number },
): VegaLiteSpec {
  checkPlotOptions('plotRanking', options, { ...PLOT, threshold: 'number' });
  const items = Array.isArray(ranking) ? ranking : plainObject('plotRanking', 'ranking', ranking).candidates;
  if (!Array.isArray(items) || items.length === 0) fail('plotRanking', 'ranking', 'must hold at least one candidate', ranking);
  denseArray('plotRanking', 'ranking', items);
  const rows = (items as readonly PlotRankingItem[]).map((c, i) => {
    plainObject('plotRanking', `ranking[${i}]`, c);
    const p = c.probBest;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) fail('plotRanking', `ranking[${i}].probBest`, 'must be a probability in [0, 1]', p);
    return { candidate: c.label ?? c.id, probBest: p, mean: c.mean ?? null };
  });
  const layer: Record<string, unknown>[] = [
    {
      data: { values: rows },
      mark: { type: 'bar', color: '#4c78a8' },
      encoding: {
        y: { field: 'candidate', type: 'nominal', sort: '-x', title: null },
        x: { field: 'probBest', type: 'quantitative', title: 'P(best)', scale: { domain: [0, 1] } },
        tooltip: [
          { field: 'candidate', title: 'Candidate' },
          { field: 'probBest', title: 'P(best)', format: '.2f' },
          { field: 'mean', title: 'Expected effect', format: '.2f' },
        ],
      },
    },
  ];
  if (options?.threshold !== undefined) {
    layer.push({
      data: { values: [{ x: finite('plotRanking', 'threshold', options.threshold) }] },
      mark: { type: 'rule', color: '#e45756', strokeDash: [4, 3] },
      encoding: { x: { field: 'x', type: 'quantitative' } },
    });
  }
  return { ...frame('plotRanking', options, 'LFM ranking: probability of being the best', 30 * rows.length + 20), layer };
}
