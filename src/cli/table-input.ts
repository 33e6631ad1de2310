/**
 * `n1kit analyze DIARY.csv` and `n1kit series DATA.csv`: tables as people record them (dates, a
 * treatment column, blank days) straight to a posterior, deviations from the plan as warnings.
 * Node-only (reads files).
 */
import { ValidationError } from '../errors.js';
import {
  type AnalyzeTrialInput,
  type Deviation,
  type TrialAnalysis,
  type TrialDesign,
  type TrialPriors,
  analyzeSeries,
  analyzeTrial,
  parseTable,
  seriesFromTable,
  trialFromTable,
  validateDesign,
} from '../index.js';
import type { Dist } from '../distributions/index.js';
import { validatePopulationPrior } from '../prior/request.js';
import type { McmcOptions } from '../models/types.js';
import { readData, readText } from './io.js';

/** True when a path names a table (CSV / TSV / TXT) rather than a JSON input. */
export function isTablePath(path: string | undefined): path is string {
  return path !== undefined && /\.(csv|tsv|txt)$/i.test(path);
}

/** The column options shared by `analyze` and `series`. */
export interface TableCliOptions {
  value?: string;
  date?: string;
  day?: string;
  treatment?: string;
  trialsColumn?: string;
  exposureColumn?: string;
  washoutDays?: number;
  asRandomised?: boolean;
  design?: string;
  priors?: string;
  prior?: string;
  outcome?: 'normal' | 'binomial' | 'poisson';
  reference?: string;
  better?: 'higher' | 'lower';
}

const bad = (field: string, message: string, value?: unknown): never => {
  throw new ValidationError(`n1kit: \`${field}\` ${message}`, { fn: 'n1kit', field, value });
};

const SCALE_OF: Record<string, string> = { normal: 'difference', binomial: 'logOddsRatio', poisson: 'logRateRatio' };

/**
 * The effect priors of an elicited PopulationPrior file (`{ effects, scale, source }`), keeping
 * the arms of `treatments` other than `reference`; the scale must be the outcome's.
 */
export function populationPriorEffects(path: string, outcome: string, treatments: readonly string[], reference: string): Record<string, Dist> {
  const prior = validatePopulationPrior(readData(path), 'n1kit --prior');
  const want = SCALE_OF[outcome];
  if (prior.scale !== want) {
    bad('prior.scale', `must be '${want}' for a ${outcome} outcome; the prior file is on the '${prior.scale}' scale`, prior.scale);
  }
  const effects: Record<string, Dist> = {};
  for (const t of treatments) if (t !== reference && Object.hasOwn(prior.effects, t)) effects[t] = prior.effects[t] as Dist;
  if (Object.keys(effects).length === 0) {
    bad('prior.effects', `must hold a prior for at least one treatment of the table (${treatments.filter((t) => t !== reference).join(', ')})`, Object.keys(prior.effects));
  }
  return effects;
}

function readPriors(path: string | undefined): Record<string, unknown> {
  if (path === undefined) return {};
  const p = readData(path);
  if (p === null || typeof p !== 'object' || Array.isArray(p)) bad('priors', 'must be a JSON object (the `priors` of analyzeTrial / analyzeSeries)', p);
  return p as Record<string, unknown>;
}

function columns(o: TableCliOptions) {
  return {
    value: o.value ?? 'value',
    ...(o.date !== undefined ? { date: o.date } : {}),
    ...(o.day !== undefined ? { day: o.day } : {}),
    ...(o.treatment !== undefined ? { treatment: o.treatment } : {}),
    ...(o.trialsColumn !== undefined ? { trials: o.trialsColumn } : {}),
    ...(o.exposureColumn !== undefined ? { exposure: o.exposureColumn } : {}),
    ...(o.washoutDays !== undefined ? { washoutDays: o.washoutDays } : {}),
  };
}

function required(o: TableCliOptions): { outcome: 'normal' | 'binomial' | 'poisson'; reference: string; betterIs: 'higher' | 'lower' } {
  if (o.outcome === undefined) bad('outcome', 'is required with a table (--outcome normal|binomial|poisson)');
  if (o.reference === undefined) bad('reference', 'is required with a table: the control arm (e.g. --reference placebo)');
  if (o.better === undefined) bad('better', 'is required with a table (--better higher|lower)');
  return { outcome: o.outcome as 'normal', reference: o.reference as string, betterIs: o.better as 'lower' };
}

/**
 * Deviations as warning lines, consecutive days of the same kind and treatments folded into one
 * ("days 9-11 (2026-03-10 to 2026-03-12): B recorded, A planned").
 */
export function deviationWarnings(deviations: readonly Deviation[], who = ''): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < deviations.length) {
    const d = deviations[i] as Deviation;
    let j = i;
    if (d.kind === 'treatment-differs' || d.kind === 'unplanned-treatment' || d.kind === 'missing-treatment' || d.kind === 'outside-trial') {
      while (j + 1 < deviations.length) {
        const n = deviations[j + 1] as Deviation;
        const p = deviations[j] as Deviation;
        if (n.kind !== d.kind || n.planned !== d.planned || n.recorded !== d.recorded || n.day !== p.day + 1) break;
        j++;
      }
    }
    if (j === i) out.push(`n1kit: warning: ${who}${d.message}`);
    else {
      const e = deviations[j] as Deviation;
      const dates = d.date !== undefined && e.date !== undefined ? ` (${d.date} to ${e.date})` : '';
      const rest = d.message.replace(/^day -?\d+( \(\d{4}-\d{2}-\d{2}\))?: /, '');
      out.push(`n1kit: warning: ${who}days ${d.day} to ${e.day}${dates}: ${rest}`);
    }
    i = j + 1;
  }
  return out;
}

/** `n1kit analyze DIARY.csv ...`: returns the JSON result (analysis, deviations, design). */
export function analyzeTableCli(
  path: string,
  o: TableCliOptions,
  extra: Pick<AnalyzeTrialInput, 'thresholds' | 'model' | 'mcmc'>,
  run: (input: AnalyzeTrialInput) => TrialAnalysis = analyzeTrial,
): { result: TrialAnalysis & { deviations: Deviation[]; analysisPopulation: string; design: TrialDesign }; analysis: TrialAnalysis; warnings: string[] } {
  const rows = parseTable(readText(path));
  const plan = o.design === undefined ? undefined : validateDesign(readData(o.design) as TrialDesign);
  const req = required(o);
  const t = trialFromTable(rows, { ...columns(o), ...(plan === undefined ? {} : { design: plan }), ...(o.asRandomised ? { asTreated: false } : {}) });
  const priors = readPriors(o.priors) as TrialPriors;
  if (o.prior !== undefined) {
    priors.effects = { ...populationPriorEffects(o.prior, req.outcome, t.design.treatments, req.reference), ...(priors.effects ?? {}) };
  }
  const input: AnalyzeTrialInput = {
    design: t.design,
    observations: t.observations,
    ...req,
    ...(Object.keys(priors).length > 0 ? { priors } : {}),
    ...extra,
  };
  const analysis = run(input);
  const { draws: _d, ...rest } = analysis as TrialAnalysis & { draws?: unknown };
  const warnings = deviationWarnings(t.deviations);
  return {
    result: { ...(rest as TrialAnalysis), analysisPopulation: t.analysis, deviations: t.deviations, design: t.design },
    analysis,
    warnings,
  };
}

/** `n1kit series DATA.csv ...`: returns the analyzeSeries result with the deviations per patient. */
export function seriesTableCli(
  path: string,
  o: TableCliOptions & { patient?: string },
  mcmc: McmcOptions | undefined,
  run: (input: Parameters<typeof analyzeSeries>[0]) => ReturnType<typeof analyzeSeries> = analyzeSeries,
): { result: ReturnType<typeof analyzeSeries> & { deviations: Record<string, Deviation[]> }; warnings: string[]; notes: string[] } {
  const rows = parseTable(readText(path));
  const plan = o.design === undefined ? undefined : validateDesign(readData(o.design) as TrialDesign);
  const req = required(o);
  const { trials } = seriesFromTable(rows, {
    ...columns(o),
    ...(o.patient !== undefined ? { patient: o.patient } : {}),
    ...(plan === undefined ? {} : { design: plan }),
    ...(o.asRandomised ? { asTreated: false } : {}),
  });
  const priors = readPriors(o.priors) as Record<string, unknown>;
  const arms = [...new Set(trials.flatMap((t) => t.design.treatments))];
  if (!arms.includes(req.reference)) bad('reference', `must be one of the table's treatments (${arms.join(', ')})`, req.reference);
  const notes: string[] = [];
  let population = (priors.populationEffects ?? {}) as Record<string, Dist>;
  if (o.prior !== undefined) population = { ...populationPriorEffects(o.prior, req.outcome, arms, req.reference), ...population };
  const missing = arms.filter((a) => a !== req.reference && !Object.hasOwn(population, a));
  if (missing.length > 0) {
    // A weakly informative default, stated on stderr: 2.5 outcome sds (normal) or 2.5 on the link scale.
    let sd = 2.5;
    if (req.outcome === 'normal') {
      const ys = trials.flatMap((t) => t.observations.map((ob) => ob.value));
      const m = ys.reduce((s, y) => s + y, 0) / ys.length;
      const s = Math.sqrt(ys.reduce((a, y) => a + (y - m) ** 2, 0) / Math.max(1, ys.length - 1));
      sd = 2.5 * (s > 0 ? s : 1);
    }
    for (const a of missing) population = { ...population, [a]: { family: 'normal', mean: 0, sd } };
    notes.push(`n1kit: note: no population prior for ${missing.join(', ')}: using N(0, ${sd.toPrecision(3)}) (give --prior or --priors to choose)`);
  }
  const input = {
    trials: trials.map((t) => ({ id: t.id, design: t.design, observations: t.observations })),
    ...req,
    priors: { ...priors, populationEffects: population },
    ...(mcmc === undefined ? {} : { mcmc }),
  } as Parameters<typeof analyzeSeries>[0];
  const result = run(input);
  const deviations = Object.fromEntries(trials.map((t) => [t.id, t.deviations]));
  const warnings = trials.flatMap((t) => deviationWarnings(t.deviations, `patient ${t.id}: `));
  return { result: { ...result, deviations }, warnings, notes };
}

/** Parses the JSON `--priors` file for the JSON input forms. */
export function priorsFromFile(path: string | undefined): Record<string, unknown> | undefined {
  return path === undefined ? undefined : readPriors(path);
}

