/**
 * Charts of the trial report: the interval (forest) chart, prior versus posterior per arm, the
 * diary with periods and washouts shaded and deviations marked, and the power curve of a
 * planning run. Each returns a Vega-Lite spec (plain JSON); rendering is the caller's.
 *
 * @packageDocumentation
 */
import { denseArray, fail, finite, plainObject } from '../validate.js';
import type { TrialDesign } from '../design/types.js';
import type { VegaLiteSpec } from './plots.js';
import { frame } from './plots.js';
import { checkPlotOptions, REPORT } from './options.js';

const PALETTE = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d'];

/** Options shared by the report charts. */
export interface ReportPlotOptions {
  /** Chart title. @defaultValue a title that says what is shown */
  readonly title?: string;
  /** Width in pixels. @defaultValue 560 */
  readonly width?: number;
  /** Height in pixels. @defaultValue depends on the chart */
  readonly height?: number;
  /** Readable label per treatment id (`magnesium` → "Magnesium 400 mg"). @defaultValue the id */
  readonly labels?: Readonly<Record<string, string>>;
  /** Treatment ids in the order that fixes their colours. @defaultValue the order of appearance */
  readonly treatments?: readonly string[];
}

const label = (o: ReportPlotOptions | undefined, id: string): string =>
  o?.labels !== undefined && Object.hasOwn(o.labels, id) ? (o.labels[id] as string) : id;

function colorFor(o: ReportPlotOptions | undefined, ids: readonly string[]): { domain: string[]; range: string[] } {
  const order = o?.treatments ?? ids;
  const domain = ids.map((id) => label(o, id));
  const range = ids.map((id, j) => {
    const i = order.indexOf(id);
    return PALETTE[(i >= 0 ? i : order.length + j) % PALETTE.length] as string;
  });
  return { domain, range };
}


/** A labelled vertical reference line (e.g. "no effect" at 0, "MCID" at −2). */
export interface ReferenceLine {
  readonly x: number;
  readonly label: string;
}

function referenceLayers(fn: string, lines: readonly ReferenceLine[] | undefined): Record<string, unknown>[] {
  if (lines === undefined || lines.length === 0) return [];
  const values = lines.map((l, i) => ({ x: finite(fn, `options.lines[${i}].x`, l.x), label: String(l.label) }));
  return [
    {
      data: { values },
      mark: { type: 'rule', strokeDash: [4, 3], color: '#555' },
      encoding: { x: { field: 'x', type: 'quantitative' } },
    },
    {
      data: { values },
      mark: { type: 'text', align: 'left', dx: 3, dy: -4, baseline: 'bottom', fontSize: 10, color: '#333' },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 10 }, text: { field: 'label' } },
    },
  ];
}

/** One row of the forest chart. */
export interface ForestItem {
  readonly id: string;
  readonly mean: number;
  readonly interval: readonly [number, number];
}

/**
 * The interval (forest) chart: each treatment's posterior mean and 95% interval versus the
 * reference, with labelled reference lines.
 *
 * @param items - one entry per treatment
 * @param options - labels, colours, reference lines (`lines`), the axis title (`axis`)
 * @returns a Vega-Lite spec
 * @throws ValidationError for an empty list or a non-finite mean or interval end
 * @example
 * ```ts
 * const spec = plotForest([{ id: 'magnesium', mean: -2.4, interval: [-4.1, -0.6] }], {
 *   lines: [{ x: 0, label: 'no effect' }],
 * });
 * spec.layer; // the interval rules, the points and the labelled reference lines
 * ```
 * @see Lewis & Clarke (2001), Forest plots: trying to see the wood and the trees, BMJ 322:1479.
 */
export function plotForest(
  items: readonly ForestItem[],
  options?: ReportPlotOptions & { readonly lines?: readonly ReferenceLine[]; readonly axis?: string },
): VegaLiteSpec {
  checkPlotOptions('plotForest', options, { ...REPORT, lines: 'lines', axis: 'string' });
  const fn = 'plotForest';
  denseArray(fn, 'items', items, 1);
  const rows = items.map((it, i) => {
    const r = plainObject(fn, `items[${i}]`, it) as unknown as ForestItem;
    if (!Array.isArray(r.interval) || r.interval.length !== 2) fail(fn, `items[${i}].interval`, 'must be [lo, hi]', r.interval);
    return {
      treatment: label(options, r.id),
      mean: finite(fn, `items[${i}].mean`, r.mean),
      lo: finite(fn, `items[${i}].interval[0]`, r.interval[0]),
      hi: finite(fn, `items[${i}].interval[1]`, r.interval[1]),
    };
  });
  const color = colorFor(options, items.map((i) => i.id));
  const x = { type: 'quantitative', title: options?.axis ?? 'Effect versus the reference (95% interval)' };
  return {
    ...frame(fn, options, 'Effects with 95% credible intervals', 40 * rows.length + 30),
    layer: [
      {
        data: { values: rows },
        mark: { type: 'rule', strokeWidth: 3 },
        encoding: {
          y: { field: 'treatment', type: 'nominal', title: null, sort: null },
          x: { field: 'lo', ...x },
          x2: { field: 'hi' },
          color: { field: 'treatment', type: 'nominal', legend: null, scale: color },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          y: { field: 'treatment', type: 'nominal', sort: null },
          x: { field: 'mean', type: 'quantitative' },
          color: { field: 'treatment', type: 'nominal', legend: null, scale: color },
        },
      },
      ...referenceLayers(fn, options?.lines),
    ],
  };
}

/** A density on a grid, as {@link plotPriorPosterior} draws it. */
export interface DensityCurve {
  /** Legend entry, e.g. "prior" or "posterior". */
  readonly name: string;
  readonly x: readonly number[];
  readonly density: readonly number[];
}

/**
 * Prior versus posterior of one treatment's effect: two density curves on one axis, with
 * labelled reference lines and the reported 95% interval drawn as a bar under the curves (so
 * the picture and the numbers agree).
 *
 * @param curves - the densities (e.g. prior and posterior), each on its own grid
 * @param options - `interval` (the reported posterior interval), `lines`, `axis`, title, size
 * @returns a Vega-Lite spec
 * @throws ValidationError for an empty list, grids of unequal length or non-finite values
 * @example
 * ```ts
 * plotPriorPosterior([{ name: 'prior', x: [-1, 0, 1], density: [0.2, 0.4, 0.2] }]).layer;
 * ```
 * @see Gelman et al. (2013), Bayesian Data Analysis, 3rd ed., ch. 2 (prior and posterior).
 */
export function plotPriorPosterior(
  curves: readonly DensityCurve[],
  options?: ReportPlotOptions & {
    readonly interval?: readonly [number, number];
    readonly lines?: readonly ReferenceLine[];
    readonly axis?: string;
  },
): VegaLiteSpec {
  checkPlotOptions('plotPriorPosterior', options, { ...REPORT, interval: 'interval', lines: 'lines', axis: 'string' });
  const fn = 'plotPriorPosterior';
  denseArray(fn, 'curves', curves, 1);
  const rows: { curve: string; x: number; density: number }[] = [];
  curves.forEach((c0, i) => {
    const c = plainObject(fn, `curves[${i}]`, c0) as unknown as DensityCurve;
    denseArray(fn, `curves[${i}].x`, c.x, 2);
    denseArray(fn, `curves[${i}].density`, c.density, 2);
    if (!Array.isArray(c.x) || !Array.isArray(c.density) || c.x.length !== c.density.length || c.x.length < 2) {
      fail(fn, `curves[${i}]`, 'must have x and density arrays of one length ≥ 2', c);
    }
    for (let j = 0; j < c.x.length; j++) {
      rows.push({
        curve: String(c.name),
        x: finite(fn, `curves[${i}].x[${j}]`, c.x[j]),
        density: finite(fn, `curves[${i}].density[${j}]`, c.density[j]),
      });
    }
  });
  const names = curves.map((c) => String(c.name));
  const layer: Record<string, unknown>[] = [
    {
      data: { values: rows },
      mark: { type: 'area', opacity: 0.35, line: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: options?.axis ?? 'Effect versus the reference' },
        y: { field: 'density', type: 'quantitative', title: 'Density', stack: null },
        color: {
          field: 'curve',
          type: 'nominal',
          title: null,
          scale: { domain: names, range: names.map((n, i) => (n === 'prior' ? '#9e9e9e' : (PALETTE[i % PALETTE.length] as string))) },
        },
      },
    },
  ];
  if (options?.interval !== undefined) {
    const [lo, hi] = options.interval;
    layer.push({
      data: { values: [{ lo: finite(fn, 'options.interval[0]', lo), hi: finite(fn, 'options.interval[1]', hi), label: '95% interval' }] },
      mark: { type: 'rule', strokeWidth: 4, color: '#222' },
      // Drawn along the bottom edge, under the curves, clear of the reference-line labels.
      encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' }, y: { value: (options?.height ?? 180) - 2 } },
    });
  }
  layer.push(...referenceLayers(fn, options?.lines));
  return { ...frame(fn, options, 'Prior and posterior', 180), layer };
}

/** A diary entry, as {@link plotDiary} reads it. */
export interface DiaryPoint {
  readonly day: number;
  readonly value: number;
}

/** A departure from the plan, as {@link plotDiary} marks it. */
export interface DiaryDeviation {
  readonly kind: string;
  readonly day?: number;
}

/**
 * The diary over time with each period shaded in its treatment's colour, washout days shaded
 * grey (not analysed by default) and deviations from the plan marked with a red tick.
 *
 * @param design - the trial design (periods with start, end and washout days)
 * @param observations - `{ day, value }` entries
 * @param options - labels, colours, `deviations`, `outcome` (axis title)
 * @returns a Vega-Lite spec
 * @throws ValidationError for a design without periods or non-finite observations
 * @example
 * ```ts
 * const design = designTrial({ treatments: ['A', 'B'], blocks: 1, periodDays: 7, washoutDays: 2, seed: 1 });
 * plotDiary(design, [{ day: 3, value: 1 }]).layer.length; // shading, washout, points
 * ```
 * @see Vohra et al. (2015), CENT 2015, BMJ 350:h1738 (item 17: results for each period).
 */
export function plotDiary(
  design: TrialDesign,
  observations: readonly DiaryPoint[],
  options?: ReportPlotOptions & { readonly deviations?: readonly DiaryDeviation[]; readonly outcome?: string },
): VegaLiteSpec {
  checkPlotOptions('plotDiary', options, { ...REPORT, deviations: 'array', outcome: 'string' });
  const fn = 'plotDiary';
  const d = plainObject(fn, 'design', design) as unknown as TrialDesign;
  if (!Array.isArray(d.periods) || d.periods.length === 0) fail(fn, 'design.periods', 'must be a non-empty array', d.periods);
  denseArray(fn, 'design.periods', d.periods, 1);
  denseArray(fn, 'observations', observations);
  d.periods.forEach((p, i) => {
    plainObject(fn, `design.periods[${i}]`, p);
  });
  const periods = d.periods.map((p) => ({ start: p.startDay - 0.5, end: p.endDay + 0.5, treatment: label(options, p.treatment) }));
  const washouts = d.periods
    .filter((p) => p.washoutEndDay >= p.startDay)
    .map((p) => ({ start: p.startDay - 0.5, end: p.washoutEndDay + 0.5, what: 'washout' }));
  const points = observations.map((o0, i) => {
    const o = plainObject(fn, `observations[${i}]`, o0) as unknown as DiaryPoint;
    return {
    day: finite(fn, `observations[${i}].day`, o.day),
    value: finite(fn, `observations[${i}].value`, o.value),
    };
  });
  const devs = (options?.deviations === undefined ? [] : denseArray(fn, 'options.deviations', options.deviations))
    .filter((x): x is DiaryDeviation => typeof x === 'object' && x !== null)
    .filter((x) => typeof x.day === 'number' && Number.isFinite(x.day))
    .map((x) => ({ day: x.day as number, kind: String(x.kind) }));
  const ids = [...new Set(d.periods.map((p) => p.treatment))];
  const color = colorFor({ ...options, treatments: options?.treatments ?? d.treatments }, ids);
  const x = { type: 'quantitative', title: 'Day', scale: { domain: [0, d.totalDays] } };
  const layer: Record<string, unknown>[] = [
    {
      data: { values: periods },
      mark: { type: 'rect', opacity: 0.18 },
      encoding: {
        x: { field: 'start', ...x },
        x2: { field: 'end' },
        color: { field: 'treatment', type: 'nominal', title: 'Period', scale: color },
      },
    },
  ];
  if (washouts.length > 0) {
    layer.push({
      data: { values: washouts },
      mark: { type: 'rect', color: '#bdbdbd', opacity: 0.5 },
      encoding: { x: { field: 'start', type: 'quantitative' }, x2: { field: 'end' } },
    });
  }
  if (points.length > 0) {
    layer.push({
      data: { values: points },
      mark: { type: 'point', filled: true, size: 28, color: '#222' },
      encoding: {
        x: { field: 'day', type: 'quantitative' },
        y: { field: 'value', type: 'quantitative', title: options?.outcome ?? 'Outcome', scale: { zero: false } },
      },
    });
  }
  if (devs.length > 0) {
    layer.push({
      data: { values: devs },
      mark: { type: 'tick', color: '#d62728', thickness: 2, orient: 'vertical' },
      encoding: { x: { field: 'day', type: 'quantitative' }, tooltip: [{ field: 'kind', title: 'Deviation' }] },
    });
  }
  return { ...frame(fn, options, 'Diary: periods shaded, washout grey, deviations red', 220), layer };
}

/** One design of a planning grid, as {@link plotPlanningCurve} reads it. */
export interface PlanningPoint {
  /** Trial length in days. */
  readonly days: number;
  /** Simulated probability that the decision rule succeeds. */
  readonly power: number;
  /** Its Monte Carlo standard error. */
  readonly mcse?: number;
  /** Which series the point belongs to (e.g. "LFM prior", "vague prior"). @defaultValue 'power' */
  readonly series?: string;
}

/**
 * The power curve of a planning run: simulated power against trial length, with ±2 Monte
 * Carlo standard errors and a labelled target line.
 *
 * @param points - the simulated designs
 * @param options - `target` power (e.g. 0.8), title, size
 * @returns a Vega-Lite spec
 * @throws ValidationError for an empty list, a power outside [0, 1] or non-finite days
 * @example
 * ```ts
 * plotPlanningCurve([{ days: 84, power: 0.62 }, { days: 168, power: 0.83 }], { target: 0.8 }).layer;
 * ```
 * @see Percha et al. (2019), Designing robust N-of-1 studies for precision medicine, JMIR 21(4):e12641.
 */
export function plotPlanningCurve(
  points: readonly PlanningPoint[],
  options?: ReportPlotOptions & { readonly target?: number },
): VegaLiteSpec {
  checkPlotOptions('plotPlanningCurve', options, { ...REPORT, target: 'number' });
  const fn = 'plotPlanningCurve';
  denseArray(fn, 'points', points, 1);
  const rows = points.map((p0, i) => {
    const p = plainObject(fn, `points[${i}]`, p0) as unknown as PlanningPoint;
    const power = finite(fn, `points[${i}].power`, p.power);
    if (power < 0 || power > 1) fail(fn, `points[${i}].power`, 'must be in [0, 1]', power);
    const se = p.mcse === undefined ? 0 : finite(fn, `points[${i}].mcse`, p.mcse);
    return {
      days: finite(fn, `points[${i}].days`, p.days),
      power,
      lo: Math.max(0, power - 2 * se),
      hi: Math.min(1, power + 2 * se),
      series: p.series ?? 'power',
    };
  });
  const y = { type: 'quantitative', title: 'Power', scale: { domain: [0, 1] } };
  const layer: Record<string, unknown>[] = [
    {
      data: { values: rows },
      mark: { type: 'rule' },
      encoding: { x: { field: 'days', type: 'quantitative' }, y: { field: 'lo', ...y }, y2: { field: 'hi' }, color: { field: 'series', type: 'nominal', title: null } },
    },
    {
      data: { values: rows },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'days', type: 'quantitative', title: 'Trial length (days)' },
        y: { field: 'power', type: 'quantitative' },
        color: { field: 'series', type: 'nominal', title: null },
      },
    },
  ];
  if (options?.target !== undefined) {
    const t = finite(fn, 'options.target', options.target);
    layer.push(
      { data: { values: [{ y: t }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
      {
        data: { values: [{ y: t, label: `target ${Math.round(100 * t)}%` }] },
        mark: { type: 'text', align: 'left', dx: 3, dy: -4, fontSize: 10 },
        encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
      },
    );
  }
  return { ...frame(fn, options, 'Planning: power by trial length', 220), layer };
}
