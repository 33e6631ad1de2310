/**
 * The N-of-1 trial report: one self-contained HTML page for two readers. The patient gets a
 * plain-language verdict with the number that matters, what to do next and what the trial
 * could not tell; the clinician gets the table per arm, prior-versus-posterior charts drawn
 * from the actual posterior, the interval chart, the diary with periods, washouts and
 * deviations, MCMC diagnostics, prior–data conflict in words, the methods and the CENT 2015
 * items that apply. Node-side (the `n1kit report` and `n1kit demo` commands).
 *
 * @packageDocumentation
 */
import type { Dist } from '../distributions/index.js';
import { pdf, quantile } from '../distributions/index.js';
import type { TrialDesign } from '../design/types.js';
import type { PersonalizationUpdate } from '../hybrid/personalize.js';
import type { TrialAnalysis, TrialObservation } from '../models/types.js';
import type { VegaLiteSpec } from '../plot/plots.js';
import {
  type DensityCurve,
  type PlanningPoint,
  type ReferenceLine,
  plotDiary,
  plotForest,
  plotPlanningCurve,
  plotPriorPosterior,
} from '../plot/report-plots.js';
import { renderSvg } from './report.js';

/** A departure from the planned design, as the report lists it. */
export interface ReportDeviation {
  readonly kind: string;
  readonly day?: number;
  readonly date?: string;
  readonly planned?: string | null;
  readonly recorded?: string | null;
}

/** Everything the trial report can show; only `design` and `analysis` are required. */
export interface TrialReportInput {
  /** Page title. @defaultValue 'N-of-1 trial report' */
  readonly title?: string;
  readonly design: TrialDesign;
  /** The diary (as analysed). */
  readonly observations?: readonly TrialObservation[];
  readonly analysis: TrialAnalysis;
  /** Effect priors that were used (link scale), for the prior-versus-posterior charts. */
  readonly priors?: Readonly<Record<string, Dist>>;
  /** The pipeline's update (population prior, diary estimate, conflict, stopping rule). */
  readonly update?: PersonalizationUpdate;
  /** Readable label per treatment id. @defaultValue the id in words ('sleepRegularity' → 'Sleep regularity') */
  readonly labels?: Readonly<Record<string, string>>;
  /** The outcome in words, e.g. `{ name: 'migraine days', unit: 'per 30 days' }`. */
  readonly outcome?: { readonly name: string; readonly unit?: string };
  /** Minimal clinically important difference on the natural scale (a magnitude, e.g. 2). */
  readonly mcid?: number;
  /** P(best) at which the trial stops with a winner. @defaultValue 0.9 */
  readonly confident?: number;
  /** Departures from the plan (from `trialFromTable` with a planned design). */
  readonly deviations?: readonly ReportDeviation[];
  /** A planning run's power curve. */
  readonly planning?: { readonly points: readonly PlanningPoint[]; readonly target?: number; readonly summary?: string };
  /** Further sections (e.g. the population ranking, the schedule), shown after the clinician's charts. */
  readonly context?: readonly { readonly heading: string; readonly text?: readonly string[]; readonly spec?: VegaLiteSpec }[];
}

/** One row of the clinician's table, with the exact numbers shown (for checks and exports). */
export interface ReportArmRow {
  readonly id: string;
  readonly label: string;
  readonly prior?: { readonly mean: number; readonly sd: number };
  readonly diary?: { readonly mean: number; readonly sd: number };
  readonly mean: number;
  readonly interval: readonly [number, number];
  readonly probBetter: number;
  readonly probClinicallyBetter?: number;
  readonly probBest: number;
}

/** The rendered report. */
export interface TrialReport {
  readonly html: string;
  /** Each chart's SVG, by its figure id. */
  readonly svgs: Record<string, string>;
  /** The verdict sentences shown to the patient. */
  readonly verdict: readonly string[];
  readonly rows: readonly ReportArmRow[];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (p: number): string => `${Math.round(100 * p)}%`;
/** A probability for the table: rounded, but never shown as a certain 100% or 0%. */
const pctTable = (p: number): string => (p > 0.995 && p < 1 ? '>99%' : p < 0.005 && p > 0 ? '<1%' : pct(p));
/** A probability in words for the patient: never "100%" or "0%" for what is merely likely. */
const chance = (p: number): string => {
  const text = p > 0.995 ? 'more than 99%' : p < 0.005 ? 'less than 1%' : pct(p);
  return `${/^(8|11%|18%)/.test(text) ? 'an' : 'a'} ${text} chance`;
};
const num = (x: number): string => (Math.abs(x) < 0.005 ? '0' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2));

/** 'sleepRegularity' → 'Sleep regularity'; 'placebo' → 'Placebo'. */
export function humanize(id: string): string {
  const words = id
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.length === 0 ? id : words[0]?.toUpperCase() + words.slice(1);
}

/** A label map covering every treatment: given labels first, words from the id otherwise. */
export function labelMap(treatments: readonly string[], given?: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const t of treatments) out[t] = given !== undefined && Object.hasOwn(given, t) ? (given[t] as string) : humanize(t);
  return out;
}

/** Gaussian kernel density estimate on a grid (Silverman's rule-of-thumb bandwidth). */
export function kernelDensity(draws: readonly number[], grid: readonly number[]): number[] {
  const n = draws.length;
  let m = 0;
  for (const v of draws) m += v;
  m /= n;
  let ss = 0;
  for (const v of draws) ss += (v - m) ** 2;
  const sd = Math.sqrt(ss / Math.max(1, n - 1));
  const sorted = [...draws].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))))] as number;
  const iqr = q(0.75) - q(0.25);
  const spread = Math.min(sd, iqr > 0 ? iqr / 1.34 : sd);
  const h = Math.max(0.9 * (spread > 0 ? spread : 1e-6) * n ** -0.2, 1e-9);
  const c = 1 / (n * h * Math.sqrt(2 * Math.PI));
  return grid.map((x) => {
    let s = 0;
    for (const v of draws) {
      const z = (x - v) / h;
      if (z < 8 && z > -8) s += Math.exp(-0.5 * z * z);
    }
    return s * c;
  });
}

const linspace = (lo: number, hi: number, k: number): number[] => Array.from({ length: k }, (_, i) => lo + ((hi - lo) * i) / (k - 1));

/** The effect's scale in words and how to read it on the natural scale. */
function scaleOf(a: TrialAnalysis): { axis: string; ratio?: string } {
  if (a.outcome === 'binomial') return { axis: 'log odds ratio versus the reference', ratio: 'odds ratio' };
  if (a.outcome === 'poisson') return { axis: 'log rate ratio versus the reference', ratio: 'rate ratio' };
  return { axis: 'difference versus the reference' };
}

/** The rows of the clinician's table, from the analysis (and the pipeline's update, when given). */
export function reportRows(input: TrialReportInput, labels: Readonly<Record<string, string>>): ReportArmRow[] {
  const a = input.analysis;
  return Object.entries(a.effects).map(([id, e]) => {
    const c = input.update?.candidates[id];
    const pr = input.priors?.[id];
    let prior: { mean: number; sd: number } | undefined = c?.prior;
    if (prior === undefined && pr !== undefined && pr.family === 'normal') prior = { mean: pr.mean, sd: pr.sd };
    return {
      id,
      label: labels[id] ?? id,
      ...(prior !== undefined ? { prior } : {}),
      ...(c !== undefined ? { diary: c.data } : {}),
      mean: e.mean,
      interval: e.interval,
      probBetter: e.probBetter,
      ...(e.probClinicallyBetter !== undefined ? { probClinicallyBetter: e.probClinicallyBetter } : {}),
      probBest: a.probBest[id] ?? 0,
    };
  });
}

/** The patient's verdict in plain words: what the trial found, what to do next, what it could not tell. */
export function reportVerdict(input: TrialReportInput, labels: Readonly<Record<string, string>>): string[] {
  const a = input.analysis;
  const confident = input.confident ?? 0.9;
  const outcome = input.outcome?.name ?? 'the outcome';
  const unit = input.outcome?.unit ? ` ${input.outcome.unit}` : '';
  const lower = a.betterIs === 'lower';
  const ranked = Object.entries(a.probBest).sort((x, y) => y[1] - x[1]);
  const [bestId, bestP] = ranked[0] as [string, number];
  const out: string[] = [];
  const best = a.effects[bestId];
  if (best === undefined) {
    out.push(
      `None of the treatments beat ${labels[a.reference] ?? a.reference}: it is the most likely best (P(best) = ${pct(bestP)}).`,
    );
  } else {
    const helps = lower ? best.mean < 0 : best.mean > 0;
    const verb = lower ? (helps ? 'cuts' : 'raises') : helps ? 'raises' : 'lowers';
    const name = labels[bestId] ?? bestId;
    let first: string;
    if (a.outcome === 'normal') {
      first = `${name} probably ${verb} ${outcome} by about ${num(Math.abs(best.mean))}${unit} (95% interval ${num(best.interval[0])} to ${num(best.interval[1])})`;
    } else {
      const r = scaleOf(a).ratio as string;
      first = `${name} probably ${verb} the ${a.outcome === 'binomial' ? 'odds' : 'rate'} of ${outcome}: ${r} about ${num(Math.exp(best.mean))} (95% interval ${num(Math.exp(best.interval[0]))} to ${num(Math.exp(best.interval[1]))})`;
    }
    const parts = [first];
    if (best.probClinicallyBetter !== undefined && input.mcid !== undefined) {
      parts.push(`there is ${chance(best.probClinicallyBetter)} it ${lower ? 'cuts' : 'raises'} ${outcome} by at least ${num(input.mcid)}${unit}`);
    }
    parts.push(`${parts.length > 1 ? 'and ' : 'there is '}${chance(best.probBetter)} it helps at all`);
    out.push(`${parts[0]}; ${parts.slice(1).join(', ')}.`);
    out.push(`Of all the options tried, it has ${chance(bestP)} of being the best (the trial stops with a winner at ${pct(confident)}).`);
  }
  // What to do next: the stopping rule.
  const stop = input.update?.stop;
  const trialOver = stop?.reason === 'complete' || (input.observations !== undefined && a.data.lastDay >= input.design.totalDays - 1);
  if (bestP >= confident) {
    out.push(`Next: the trial can stop; ${labels[bestId] ?? bestId} is the treatment to keep.`);
  } else if (trialOver) {
    out.push(
      `Next: the planned trial is over without a clear winner (${pct(bestP)} is short of ${pct(confident)}): extend it by another block of periods, or choose on other grounds such as side effects and cost.`,
    );
  } else {
    out.push(`Next: continue the trial as planned; no treatment is clearly best yet (${pct(bestP)} of ${pct(confident)} needed).`);
  }
  const unclear = Object.entries(a.effects)
    .filter(([, e]) => e.interval[0] < 0 && e.interval[1] > 0)
    .map(([id]) => labels[id] ?? id);
  if (unclear.length > 0) {
    out.push(`What the trial could not tell: whether ${unclear.join(' and ')} ${unclear.length > 1 ? 'make' : 'makes'} any difference at all (the 95% interval includes no effect).`);
  }
  if (input.update?.conflict) {
    out.push('Your diary disagrees with what is typical for people like you; the analysis leaned on your own data.');
  }
  return out;
}

function priorPosteriorCurves(input: TrialReportInput, id: string): { curves: DensityCurve[]; note: string } {
  const a = input.analysis;
  const e = a.effects[id] as TrialAnalysis['effects'][string];
  const draws = a.draws?.effects[id];
  const prior = input.priors?.[id] ?? input.update?.candidates[id]?.robustPrior;
  const width = Math.max(e.interval[1] - e.interval[0], 1e-6);
  let lo = e.interval[0] - 0.6 * width;
  let hi = e.interval[1] + 0.6 * width;
  if (prior !== undefined) {
    // Show the prior's bulk too, but never so wide that the posterior becomes a spike.
    const plo = quantile(prior, 0.02);
    const phi = quantile(prior, 0.98);
    lo = Math.max(Math.min(lo, plo), e.mean - 4 * width);
    hi = Math.min(Math.max(hi, phi), e.mean + 4 * width);
  }
  const grid = linspace(lo, hi, 161);
  const curves: DensityCurve[] = [];
  if (prior !== undefined) curves.push({ name: 'prior', x: grid, density: grid.map((x) => pdf(prior, x)) });
  let note: string;
  if (draws !== undefined && draws.length > 1) {
    curves.push({ name: 'posterior', x: grid, density: kernelDensity(draws, grid) });
    note = `Posterior drawn as a kernel density estimate of ${draws.length} posterior draws.`;
  } else if (a.method === 'exact') {
    curves.push({ name: 'posterior', x: grid, density: grid.map((x) => pdf({ family: 'normal', mean: e.mean, sd: e.sd }, x)) });
    note = 'Posterior drawn exactly (normal model with known variance: the posterior is normal).';
  } else {
    curves.push({ name: 'posterior', x: grid, density: grid.map((x) => pdf({ family: 'normal', mean: e.mean, sd: e.sd }, x)) });
    note = 'Posterior drawn as a normal approximation from its mean and sd, because the posterior draws were not saved; the bar shows the exact 95% interval.';
  }
  if (prior === undefined) note += ' The prior is not shown (not given to the report).';
  return { curves, note };
}

function referenceLines(input: TrialReportInput): ReferenceLine[] {
  const lines: ReferenceLine[] = [{ x: 0, label: 'no effect' }];
  if (input.mcid !== undefined && input.analysis.outcome === 'normal') {
    lines.push({ x: input.analysis.betterIs === 'lower' ? -input.mcid : input.mcid, label: `MCID ${num(input.analysis.betterIs === 'lower' ? -input.mcid : input.mcid)}` });
  }
  return lines;
}

function methodsText(input: TrialReportInput): string {
  const a = input.analysis;
  const d = input.design;
  const model =
    a.outcome === 'normal'
      ? 'a normal linear model (daily value = intercept + treatment effect + error)'
      : a.outcome === 'binomial'
        ? 'a logistic model for the daily yes/no outcome (Pólya-Gamma Gibbs sampling, Polson, Scott & Windle 2013)'
        : 'a Poisson log-linear model with exposure offset';
  const fit =
    a.method === 'exact'
      ? 'The posterior is in closed form (conjugate normal model with known variance).'
      : `The posterior was sampled by MCMC (${a.diagnostics?.chains ?? '?'} chains of ${a.diagnostics?.draws ?? '?'} draws after ${a.diagnostics?.warmup ?? '?'} warm-up), checked with rank-normalised split R-hat and bulk and tail effective sample sizes (Vehtari et al. 2021).`;
  return [
    `Design: ${d.periods.length} periods of ${d.periodDays} days (${d.randomization} randomisation${d.washoutDays > 0 ? `, ${d.washoutDays} washout days at the start of each period, not analysed` : ''}${d.runInDays > 0 ? `, ${d.runInDays} run-in days` : ''}).`,
    `Analysis: ${model}, effects versus ${input.labels?.[a.reference] ?? humanize(a.reference)}, as treated. ${fit}`,
    input.update !== undefined
      ? 'Prior: the population prior from the language model, robustified with a weakly informative component (Schmidli et al. 2014) so that a wrong population prior cannot mislead; prior–data conflict by Box’s prior-predictive p-value (Box 1980).'
      : 'Prior: as given to the analysis.',
    'Reporting follows the CONSORT extension for N-of-1 trials (CENT 2015, Vohra et al., BMJ 350:h1738). Methods: Schmid & Yang (2022), Bayesian models for N-of-1 trials, Harvard Data Science Review.',
  ].join(' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[], cls = ''): string {
  return `<div class="scroll"><table${cls ? ` class="${cls}"` : ''}><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.join('')}</tr>`)
    .join('')}</tbody></table></div>`;
}

/** A table cell showing `text`, carrying the exact number in `data-value` (checked by the tests). */
const cell = (text: string, value?: number, name?: string): string =>
  `<td${value !== undefined ? ` data-value="${value}"` : ''}${name ? ` data-field="${name}"` : ''}>${esc(text)}</td>`;

/**
 * Builds the trial report: one self-contained HTML page (inline SVG and CSS, no script, no
 * external resource) that a patient and a clinician can read on a phone or a desktop.
 *
 * @param input - see {@link TrialReportInput}
 * @returns the HTML, each chart's SVG, the verdict sentences and the table rows
 * @see Vohra et al. (2015), CONSORT extension for reporting N-of-1 trials (CENT 2015), BMJ 350:h1738.
 */
export async function buildTrialReport(input: TrialReportInput): Promise<TrialReport> {
  const a = input.analysis;
  const d = input.design;
  const labels = labelMap(d.treatments, input.labels);
  const rows = reportRows(input, labels);
  const verdict = reportVerdict(input, labels);
  const scale = scaleOf(a);
  const svgs: Record<string, string> = {};
  let figures = 0;
  const figure = async (spec: VegaLiteSpec, caption: string): Promise<string> => {
    const id = `chart-${++figures}`;
    const svg = await renderSvg(spec);
    svgs[id] = svg;
    return `<figure class="chart" id="${id}">${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
  };
  const parts: string[] = [];
  // For the patient.
  parts.push(`<section class="verdict"><h2>For the patient: what the trial found</h2>${verdict.map((s) => `<p>${esc(s)}</p>`).join('')}</section>`);
  // For the clinician.
  parts.push('<section><h2>For the clinician: effects per arm</h2>');
  const mcidHead = input.mcid !== undefined ? `P(≥ ${num(input.mcid)})` : 'P(≥ MCID)';
  parts.push(
    table(
      ['Treatment', 'Prior', 'Diary alone', 'Posterior mean', '95% interval', 'P(better)', mcidHead, 'P(best)'],
      [
        ...rows.map((r) => [
          `<td>${esc(r.label)}</td>`,
          r.prior ? cell(`${num(r.prior.mean)} ± ${num(r.prior.sd)}`, r.prior.mean, 'prior') : cell('—'),
          r.diary ? cell(`${num(r.diary.mean)} ± ${num(r.diary.sd)}`, r.diary.mean, 'diary') : cell('—'),
          cell(num(r.mean), r.mean, 'mean'),
          `<td data-field="interval" data-lo="${r.interval[0]}" data-hi="${r.interval[1]}">${esc(`${num(r.interval[0])} to ${num(r.interval[1])}`)}</td>`,
          cell(pctTable(r.probBetter), r.probBetter, 'probBetter'),
          r.probClinicallyBetter !== undefined ? cell(pctTable(r.probClinicallyBetter), r.probClinicallyBetter, 'probClinicallyBetter') : cell('—'),
          cell(pctTable(r.probBest), r.probBest, 'probBest'),
        ]),
        [
          `<td>${esc(labels[a.reference] ?? a.reference)} (reference)</td>`,
          cell('—'),
          cell('—'),
          cell('0'),
          cell('—'),
          cell('—'),
          cell('—'),
          cell(pctTable(a.probBest[a.reference] ?? 0), a.probBest[a.reference] ?? 0, 'probBest'),
        ],
      ],
      'arms',
    ),
  );
  parts.push(
    `<p class="note">Effects are on the ${esc(scale.axis)} scale${scale.ratio ? ` (exponentiate for the ${scale.ratio})` : ''}; “better” means ${a.betterIs} is better.${input.mcid !== undefined ? ` ${esc(mcidHead)} is the probability of a clinically important difference of at least ${num(input.mcid)} on the outcome’s natural scale${input.outcome?.unit ? ` (${esc(input.outcome.name)} ${esc(input.outcome.unit)})` : ''}.` : ''}</p>`,
  );
  parts.push(
    await figure(
      plotForest(rows.map((r) => ({ id: r.id, mean: r.mean, interval: r.interval })), { labels, treatments: d.treatments, lines: referenceLines(input), axis: scale.axis }),
      'Posterior mean and 95% credible interval of each treatment versus the reference.',
    ),
  );
  parts.push('</section>');
  parts.push('<section><h2>Prior and posterior, per arm</h2>');
  for (const r of rows) {
    const { curves, note } = priorPosteriorCurves(input, r.id);
    parts.push(
      await figure(
        plotPriorPosterior(curves, { title: r.label, interval: r.interval, lines: referenceLines(input), axis: scale.axis, height: 150 }),
        note,
      ),
    );
  }
  parts.push('</section>');
  if (input.observations !== undefined && input.observations.length > 0) {
    parts.push('<section><h2>The diary</h2>');
    parts.push(
      await figure(
        plotDiary(d, input.observations, { labels, treatments: d.treatments, deviations: input.deviations, outcome: input.outcome?.name ?? 'Outcome' }),
        `Each period shaded in its treatment’s colour${d.washoutDays > 0 ? '; washout days grey (not analysed)' : ''}${input.deviations?.length ? '; deviations from the plan as red ticks' : ''}.`,
      ),
    );
    parts.push('</section>');
  }
  parts.push('<section><h2>Deviations from the plan</h2>');
  if (input.deviations === undefined) parts.push('<p>No planned design was compared with the diary.</p>');
  else if (input.deviations.length === 0) parts.push('<p>None: the diary follows the plan.</p>');
  else {
    parts.push(
      table(
        ['Kind', 'Day', 'Date', 'Planned', 'Recorded'],
        input.deviations.map((x) => [
          cell(x.kind),
          cell(x.day === undefined ? '—' : String(x.day)),
          cell(x.date ?? '—'),
          cell(x.planned == null ? '—' : (labels[x.planned] ?? x.planned)),
          cell(x.recorded == null ? '—' : (labels[x.recorded] ?? x.recorded)),
        ]),
      ),
    );
    parts.push('<p class="note">The analysis is as treated: each day counts for the treatment actually recorded.</p>');
  }
  parts.push('</section>');
  parts.push('<section><h2>Diagnostics</h2>');
  if (a.diagnostics === undefined) parts.push('<p>Exact posterior: no sampler, nothing to diagnose.</p>');
  else {
    const dg = a.diagnostics;
    parts.push(
      `<p class="${dg.converged ? 'ok' : 'warn'}">${dg.converged ? 'The sampler converged' : `The sampler did NOT converge: ${esc(dg.reasons.join('; '))}. Treat the numbers with caution and rerun with more draws`} (${dg.chains} chains × ${dg.draws} draws).</p>`,
    );
    parts.push(
      table(
        ['Parameter', 'R-hat', 'Bulk ESS', 'Tail ESS'],
        Object.entries(dg.parameters).map(([p, v]) => [
          cell(p),
          cell(Number.isFinite(v.rhat) ? v.rhat.toFixed(3) : '—', Number.isFinite(v.rhat) ? v.rhat : undefined, 'rhat'),
          cell(Math.round(v.essBulk).toString(), v.essBulk, 'essBulk'),
          cell(Math.round(v.essTail).toString(), v.essTail, 'essTail'),
        ]),
      ),
    );
  }
  const conflicts = input.update ? Object.entries(input.update.candidates) : [];
  if (conflicts.length > 0) {
    parts.push('<h3>Prior–data conflict</h3><ul>');
    for (const [id, c] of conflicts) {
      const words = c.conflict.conflict
        ? `conflict: the diary is unlikely under the population prior (p = ${c.conflict.pValue.toFixed(3)}); the weight of the robust component rose from ${pct(c.conflict.robustWeight.prior)} to ${pct(c.conflict.robustWeight.posterior)}, so the patient’s own data dominate.`
        : `no conflict: the diary is consistent with the population prior (p = ${c.conflict.pValue.toFixed(2)}).`;
      parts.push(`<li>${esc(labels[id] ?? id)}: ${esc(words)}</li>`);
    }
    parts.push('</ul>');
  }
  parts.push('</section>');
  if (input.planning !== undefined && input.planning.points.length > 0) {
    parts.push('<section><h2>Planning</h2>');
    if (input.planning.summary) parts.push(`<p>${esc(input.planning.summary)}</p>`);
    parts.push(
      await figure(
        plotPlanningCurve(input.planning.points, input.planning.target !== undefined ? { target: input.planning.target } : {}),
        'Simulated power of the decision rule by trial length (bars: ±2 Monte Carlo standard errors).',
      ),
    );
    parts.push('</section>');
  }
  for (const c of input.context ?? []) {
    parts.push(`<section><h2>${esc(c.heading)}</h2>${(c.text ?? []).map((t) => `<p>${esc(t)}</p>`).join('')}`);
    if (c.spec) parts.push(await figure(c.spec, c.heading));
    parts.push('</section>');
  }
  parts.push(`<section><h2>Methods</h2><p>${esc(methodsText(input))}</p></section>`);
  const used = a.data.used;
  const cent: [string, string][] = [
    ['Trial design', `Randomised N-of-1 crossover: ${d.periods.length} periods of ${d.periodDays} days, ${d.treatments.length} treatments`],
    ['Run-in and washout', `${d.runInDays} run-in days; ${d.washoutDays} washout days per period`],
    ['Interventions', d.treatments.map((t) => labels[t]).join(', ')],
    ['Outcome', `${input.outcome?.name ?? 'outcome'}${input.outcome?.unit ? ` (${input.outcome.unit})` : ''}; ${a.outcome} model; ${a.betterIs} is better`],
    ['Randomisation', `${d.randomization}, seed ${String(d.seed)}`],
    ['Statistical methods', a.method === 'exact' ? 'Bayesian, closed-form posterior' : 'Bayesian, MCMC with convergence diagnostics'],
    ['Numbers analysed', `${used} observations (dropped: ${a.data.droppedWashout} washout, ${a.data.droppedRunIn} run-in); per arm ${Object.entries(a.data.perArm).map(([k, v]) => `${labels[k] ?? k} ${v}`).join(', ')}`],
    ['Deviations', input.deviations === undefined ? 'not assessed' : String(input.deviations.length)],
    ['Outcomes and estimation', 'Posterior means, 95% credible intervals and probabilities per arm (table above)'],
  ];
  parts.push(`<section><h2>CENT 2015 items</h2>${table(['Item', 'This trial'], cent.map(([k, v]) => [cell(k), cell(v)]))}</section>`);
  const title = input.title ?? 'N-of-1 trial report';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;max-width:820px;margin:1.5rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}h3{font-size:1rem}
.verdict{background:#f4f8fb;border-left:4px solid #4c78a8;padding:.2rem 1rem}.verdict p{font-size:1.05rem}
.scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem}
td,th{border-bottom:1px solid #eee;padding:.25rem .5rem;text-align:left;vertical-align:top}table.arms td,table.arms th{text-align:right;white-space:nowrap}table.arms td:first-child,table.arms th:first-child{text-align:left}td:first-child,th:first-child{text-align:left}
figure.chart{margin:1rem 0}figure.chart svg{max-width:100%;height:auto;display:block}figcaption{font-size:.85rem;color:#555}
.note{font-size:.88rem;color:#555}.warn{color:#b00020;font-weight:bold}.ok{color:#2e7d32}footer{margin-top:3rem;color:#777;font-size:.85rem}
</style></head><body>
<h1>${esc(title)}</h1>
${parts.join('\n')}
<footer>Made by n1kit. Every chart is inline SVG; this file needs no network.</footer>
</body></html>
`;
  return { html, svgs, verdict, rows };
}
