/** `n1kit report`: the trial report (verdict, table, charts, diagnostics, methods) as one HTML file. */
import type { Command } from 'commander';
import { ValidationError } from '../errors.js';
import type { Dist } from '../distributions/index.js';
import { validateDist } from '../distributions/index.js';
import { validateDesign } from '../design/index.js';
import type { TrialAnalysis, TrialObservation } from '../models/types.js';
import { plotOutcomes, plotSchedule } from '../plot/index.js';
import type { PlanningPoint } from '../plot/report-plots.js';
import { planningPoints } from '../plot/power.js';
import type { TrialPlan } from '../simulate/plan.js';
import { readData, writeAtomic } from './io.js';
import { type ReportSection, renderReport } from './report.js';
import { type ReportDeviation, buildTrialReport } from './trial-report.js';

const bad = (field: string, message: string, value?: unknown): never => {
  throw new ValidationError(`n1kit report: \`${field}\` ${message}`, { fn: 'n1kit report', field, value });
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `--label id=Text` (repeatable) and `--labels file.json` merged into one map. */
function labelsFrom(file: string | undefined, pairs: readonly string[] | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = Object.create(null);
  if (file !== undefined) {
    const raw = readData(file);
    if (!isRecord(raw)) bad('labels', 'must be a JSON object of id → label', raw);
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof v !== 'string') bad(`labels.${k}`, 'must be a string', v);
      out[k] = v as string;
    }
  }
  for (const p of pairs ?? []) {
    const i = p.indexOf('=');
    if (i <= 0) bad('label', 'must look like id=Label', p);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Effect priors: `{ effects: { arm: Dist } }` (analyzeTrial's `priors`) or a PopulationPrior `{ effects }`. */
function priorsFrom(file: string | undefined): Record<string, Dist> | undefined {
  if (file === undefined) return undefined;
  const raw = readData(file);
  const effects = isRecord(raw) && isRecord(raw.effects) ? raw.effects : undefined;
  if (effects === undefined) bad('priors', 'must be a JSON object with an `effects` record (arm → distribution)', raw);
  const out: Record<string, Dist> = Object.create(null);
  for (const [k, v] of Object.entries(effects as Record<string, unknown>)) out[k] = validateDist(v, 'n1kit report', `priors.effects.${k}`);
  return out;
}

/** A planning run: an array of `{ days, power, mcse? }`, or an object with such `points`. */
function planningFrom(file: string | undefined): { points: PlanningPoint[]; target?: number; summary?: string } | undefined {
  if (file === undefined) return undefined;
  const raw = readData(file);
  if (isRecord(raw) && raw.kind === 'n1kit.trialPlan') {
    // The output of `n1kit plan --json` / planTrial.
    const plan = raw as unknown as TrialPlan;
    return { points: planningPoints(plan), target: plan.targetPower, summary: plan.summary };
  }
  const points = Array.isArray(raw) ? raw : isRecord(raw) && Array.isArray(raw.points) ? raw.points : undefined;
  if (points === undefined) bad('planning', 'must be an array of { days, power, mcse? } or an object with `points`', raw);
  const o = isRecord(raw) ? raw : {};
  return {
    points: points as PlanningPoint[],
    ...(typeof o.target === 'number' ? { target: o.target } : {}),
    ...(typeof o.summary === 'string' ? { summary: o.summary } : {}),
  };
}

function observationsFrom(file: string): TrialObservation[] {
  const raw = readData(file);
  if (Array.isArray(raw)) return raw as TrialObservation[];
  if (isRecord(raw) && Array.isArray(raw.observations)) return raw.observations as TrialObservation[];
  return bad('observations', 'must be a diary CSV or a JSON array of { day, value }', file);
}

const numberOpt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n)) bad(name, `must be a number; got ${JSON.stringify(v)}`, v);
  return n;
};
const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Registers `n1kit report`. */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('the trial report for patient and clinician (verdict, table, charts, diagnostics, methods) as one self-contained HTML file')
    .requiredOption('--design <file>', 'design JSON')
    .option('--observations <file>', 'diary CSV or JSON')
    .option('--analysis <file>', 'analysis JSON (from n1kit analyze --json --out)')
    .option('--priors <file>', 'the effect priors used ({ effects: { arm: Dist } }), drawn against the posterior')
    .option('--labels <file>', 'JSON object of treatment id → readable label')
    .option('--label <id=Label>', 'a readable label (repeatable)', collect)
    .option('--mcid <number>', 'minimal clinically important difference (natural scale)', numberOpt('mcid'))
    .option('--outcome-name <text>', "the outcome in words (e.g. 'migraine days')")
    .option('--unit <text>', "the outcome's unit (e.g. 'per 30 days')")
    .option('--confident <p>', 'P(best) at which the trial stops with a winner', numberOpt('confident'), 0.9)
    .option('--deviations <file>', 'deviations JSON (default: the analysis JSON’s `deviations`)')
    .option('--planning <file>', 'the plan of n1kit plan --json, or planning points JSON ({ points: [{ days, power, mcse }], target })')
    .requiredOption('--out <file>', 'HTML file to write')
    .option('--title <text>', 'report title', 'N-of-1 trial report')
    .action(async (o) => {
      const design = validateDesign(readData(o.design), 'n1kit report');
      const observations = o.observations ? observationsFrom(o.observations) : undefined;
      if (!o.analysis) {
        const sections: ReportSection[] = [{ heading: 'Schedule', spec: plotSchedule(design) }];
        if (observations) sections.push({ heading: 'Diary', spec: plotOutcomes(design, observations) });
        const { html } = await renderReport(o.title, sections);
        writeAtomic(o.out, html);
        process.stdout.write(`wrote ${o.out} (schedule${observations ? ' and diary' : ''}; give --analysis for the full report)\n`);
        return;
      }
      const analysis = readData(o.analysis) as TrialAnalysis & { deviations?: ReportDeviation[] };
      if (!isRecord(analysis) || !isRecord(analysis.effects) || !isRecord(analysis.probBest)) {
        bad('analysis', 'must be the JSON of n1kit analyze (effects, probBest, ...)', o.analysis);
      }
      const deviations = o.deviations ? (readData(o.deviations) as ReportDeviation[]) : analysis.deviations;
      if (deviations !== undefined && !Array.isArray(deviations)) bad('deviations', 'must be a JSON array', deviations);
      const labels = labelsFrom(o.labels, o.label);
      const priors = priorsFrom(o.priors);
      const planning = planningFrom(o.planning);
      const report = await buildTrialReport({
        title: o.title,
        design,
        analysis,
        confident: o.confident,
        ...(observations ? { observations } : {}),
        ...(priors ? { priors } : {}),
        ...(labels ? { labels } : {}),
        ...(o.mcid !== undefined ? { mcid: o.mcid } : {}),
        ...(o.outcomeName ? { outcome: { name: o.outcomeName, ...(o.unit ? { unit: o.unit } : {}) } } : {}),
        ...(deviations ? { deviations } : {}),
        ...(planning ? { planning } : {}),
      });
      writeAtomic(o.out, report.html);
      process.stdout.write(`wrote ${o.out} (${Object.keys(report.svgs).length} charts)\n${report.verdict.join('\n')}\n`);
    });
}
