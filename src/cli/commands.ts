/** The sub-commands of `n1kit`. Each parses, calls the library, prints. */
import { type Command, Option } from 'commander';
import { ValidationError } from '../errors.js';
import {
  type AnalyzeTrialInput,
  type TrialAnalysis,
  analyzeSeries,
  analyzeTrial,
  designSummary,
  designToCsv,
  designToICalendar,
  designTrial,
  migrainePriorRequest,
  openAICompatiblePriorProvider,
  plotOutcomes,
  plotPosterior,
  plotSchedule,
  staticPriorProvider,
  validateDesign,
} from '../index.js';
import type { McmcOptions } from '../models/types.js';
import type { PriorProvider, PriorRequest } from '../prior/index.js';
import type { TrialDesign } from '../design/types.js';
import { fmt, parseJson, readData, readText, table, writeAtomic } from './io.js';
import { type ReportSection, renderReport } from './report.js';
import { runDemo } from './demo.js';
import { progressCallback } from './progress.js';
import { registerSimulateCommands } from './simulate.js';

const bad = (field: string, message: string, value?: unknown): never => {
  throw new ValidationError(`n1kit: \`${field}\` ${message}`, { fn: 'n1kit', field, value });
};

const intOpt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) bad(name, `must be an integer; got ${JSON.stringify(v)}`, v);
  return n;
};

function out(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

/** Prints an analysis as a table. */
export function analysisTable(a: TrialAnalysis): string {
  const rows = Object.entries(a.effects).map(([t, e]) => [
    t,
    e.mean,
    e.sd,
    `[${fmt(e.interval[0])}, ${fmt(e.interval[1])}]`,
    e.probBetter,
    e.probClinicallyBetter ?? '',
    a.probBest[t] ?? '',
  ]);
  rows.push([`${a.reference} (reference)`, 0, 0, '', '', '', a.probBest[a.reference] ?? '']);
  const head = `${a.outcome} outcome, ${a.method === 'exact' ? 'exact posterior' : 'MCMC'}; effects versus ${a.reference}, ${a.betterIs} is better`;
  const diag = a.diagnostics
    ? `\nMCMC: ${a.diagnostics.chains} chains x ${a.diagnostics.draws} draws, ${a.diagnostics.converged ? 'converged' : `NOT converged: ${a.diagnostics.reasons.join('; ')}`}`
    : '';
  return `${head}\n${table(rows, ['treatment', 'mean', 'sd', '95% interval', 'P(better)', 'P(clin. better)', 'P(best)'])}${diag}`;
}

function loadDesign(path: string): TrialDesign {
  return validateDesign(readData(path) as TrialDesign);
}

function loadObservations(path: string): AnalyzeTrialInput['observations'] {
  const data = readData(path);
  if (!Array.isArray(data)) bad('observations', 'must be a JSON array or a CSV with a header day,value[,trials,exposure]');
  return data as AnalyzeTrialInput['observations'];
}

/** Runs an MCMC analysis with a progress bar of its chains on a terminal. */
function withMcmcProgress<I extends { mcmc?: McmcOptions }, R>(input: I, analyze: (input: I) => R): R {
  const bar = progressCallback('MCMC chains');
  try {
    return analyze({ ...input, mcmc: { ...(input.mcmc ?? {}), onProgress: bar.onProgress } });
  } finally {
    bar.done();
  }
}

function parseThresholds(list: readonly string[] | undefined): Record<string, number> | undefined {
  if (!list || list.length === 0) return undefined;
  const t: Record<string, number> = {};
  for (const item of list) {
    const m = /^([^=]+)=(.+)$/.exec(item);
    const v = m ? Number(m[2]) : Number.NaN;
    if (!m || !Number.isFinite(v)) bad('threshold', `must look like name=number; got ${JSON.stringify(item)}`, item);
    t[(m as RegExpExecArray)[1] as string] = v;
  }
  return t;
}

function providerFrom(o: { llmBaseUrl?: string; llmModel?: string }): PriorProvider {
  const base = o.llmBaseUrl ?? process.env.N1KIT_LLM_BASE_URL;
  if (!base) return staticPriorProvider();
  return openAICompatiblePriorProvider({
    baseUrl: base,
    model: o.llmModel ?? process.env.N1KIT_LLM_MODEL ?? 'default',
    ...(process.env.N1KIT_LLM_API_KEY ? { apiKey: process.env.N1KIT_LLM_API_KEY } : {}),
  });
}

export function registerCommands(program: Command): void {
  registerSimulateCommands(program);
  program
    .command('design')
    .description('design an N-of-1 crossover trial and print its schedule')
    .requiredOption('--treatments <list>', 'comma-separated treatment labels, e.g. magnesium,sleep,placebo')
    .requiredOption('--seed <seed>', 'randomisation seed (the same seed gives the same design)')
    .option('--blocks <n>', 'number of blocks', intOpt('blocks'), 2)
    .option('--period-days <n>', 'days per period', intOpt('period-days'), 14)
    .option('--washout-days <n>', 'washout days at the start of each period', intOpt('washout-days'), 0)
    .option('--run-in-days <n>', 'run-in days before the first period', intOpt('run-in-days'), 0)
    .addOption(new Option('--randomization <kind>', 'ordering scheme').choices(['block', 'complete', 'counterbalanced', 'williams', 'fixed']).default('block'))
    .option('--max-consecutive <n>', 'no treatment more than n periods in a row', intOpt('max-consecutive'))
    .option('--start-date <date>', 'ISO date of day 0 (YYYY-MM-DD)')
    .addOption(new Option('--format <format>', 'file format for --out').choices(['json', 'csv', 'ics']).default('json'))
    .option('--out <file>', 'write the design to a file')
    .option('--json', 'print JSON instead of a table')
    .action((o) => {
      const design = designTrial({
        treatments: String(o.treatments).split(',').map((s: string) => s.trim()),
        blocks: o.blocks,
        periodDays: o.periodDays,
        washoutDays: o.washoutDays,
        runInDays: o.runInDays,
        randomization: o.randomization,
        ...(o.maxConsecutive !== undefined ? { maxConsecutive: o.maxConsecutive } : {}),
        ...(o.startDate !== undefined ? { startDate: o.startDate } : {}),
        seed: o.seed,
      });
      if (o.out) {
        const content =
          o.format === 'csv' ? designToCsv(design) : o.format === 'ics' ? designToICalendar(design) : `${JSON.stringify(design, null, 2)}\n`;
        writeAtomic(o.out, content);
      }
      out(o.json === true, design, () => {
        const rows = design.periods.map((p) => [p.index + 1, p.block + 1, p.treatment, p.startDay, p.endDay, p.washoutEndDay >= p.startDay ? `${p.startDay}-${p.washoutEndDay}` : '', p.startDate ?? '']);
        const s = designSummary(design);
        return `${design.periods.length} periods of ${design.periodDays} days, ${design.totalDays} days in all (${design.randomization} randomisation, seed ${JSON.stringify(design.seed)})\n${table(rows, ['period', 'block', 'treatment', 'first day', 'last day', 'washout', 'start date'])}\nperiods per treatment: ${Object.entries(s.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`;
      });
    });

  program
    .command('analyze')
    .description("analyse one patient's N-of-1 trial (JSON input as analyzeTrial takes it, or --design and --observations)")
    .argument('[input]', 'JSON file (or - for stdin) with { design, observations, outcome, reference, betterIs, ... }')
    .option('--design <file>', 'design JSON (from n1kit design --out)')
    .option('--observations <file>', 'diary: CSV with day,value[,trials,exposure] or JSON array')
    .addOption(new Option('--outcome <family>', 'outcome model').choices(['normal', 'binomial', 'poisson']))
    .option('--reference <treatment>', 'the control arm, e.g. placebo')
    .addOption(new Option('--better <direction>', 'which direction is better').choices(['higher', 'lower']))
    .option('--threshold <name=value...>', 'minimal clinically important difference per treatment')
    .option('--autocorrelation', 'AR(1) errors (normal outcome)')
    .option('--seed <seed>', 'MCMC seed')
    .option('--out <file>', 'write the analysis JSON to a file')
    .option('--json', 'print JSON instead of a table')
    .action((inputPath: string | undefined, o) => {
      const base = inputPath ? (parseJson(readText(inputPath), inputPath) as Partial<AnalyzeTrialInput>) : {};
      const input: AnalyzeTrialInput = {
        ...(base as AnalyzeTrialInput),
        ...(o.design ? { design: loadDesign(o.design) } : {}),
        ...(o.observations ? { observations: loadObservations(o.observations) } : {}),
        ...(o.outcome ? { outcome: o.outcome } : {}),
        ...(o.reference ? { reference: o.reference } : {}),
        ...(o.better ? { betterIs: o.better } : {}),
      };
      const th = parseThresholds(o.threshold);
      if (th) input.thresholds = { ...(input.thresholds ?? {}), ...th };
      if (o.autocorrelation) input.model = { ...(input.model ?? {}), autocorrelation: true };
      if (o.seed !== undefined) input.mcmc = { ...(input.mcmc ?? {}), seed: o.seed };
      if (input.design === undefined) bad('design', 'is required (in the input JSON or --design)');
      if (input.observations === undefined) bad('observations', 'are required (in the input JSON or --observations)');
      const analysis = withMcmcProgress(input, analyzeTrial);
      const { draws: _draws, ...result } = analysis as TrialAnalysis & { draws?: unknown };
      if (o.out) writeAtomic(o.out, `${JSON.stringify(result, null, 2)}\n`);
      out(o.json === true, result, () => analysisTable(analysis));
    });

  program
    .command('series')
    .description('analyse a series of N-of-1 trials (JSON input as analyzeSeries takes it)')
    .argument('<input>', 'JSON file (or - for stdin)')
    .option('--out <file>', 'write the analysis JSON to a file')
    .option('--json', 'print JSON instead of a table')
    .action((inputPath: string, o) => {
      const input = parseJson(readText(inputPath), inputPath) as Parameters<typeof analyzeSeries>[0];
      const result = withMcmcProgress(input, analyzeSeries);
      if (o.out) writeAtomic(o.out, `${JSON.stringify(result, null, 2)}\n`);
      out(o.json === true, result, () => {
        const pop = Object.entries(result.population).map(([t, e]) => [t, e.mean, e.sd, `[${fmt(e.interval[0])}, ${fmt(e.interval[1])}]`, e.probBetter, e.heterogeneity.mean]);
        const ind = Object.entries(result.individuals).flatMap(([id, effects]) =>
          Object.entries(effects).map(([t, e]) => [id, t, e.mean, e.sd, `[${fmt(e.interval[0])}, ${fmt(e.interval[1])}]`, e.probBetter]),
        );
        return `population (mean effect versus the reference)\n${table(pop, ['treatment', 'mean', 'sd', '95% interval', 'P(better)', 'heterogeneity sd'])}\n\nindividuals (shrunk toward the population)\n${table(ind, ['patient', 'treatment', 'mean', 'sd', '95% interval', 'P(better)'])}`;
      });
    });

  program
    .command('prior')
    .description('elicit a population prior (embedded static table, or an OpenAI-compatible LLM server)')
    .argument('[request]', 'PriorRequest JSON (file or -); default: the migraine case')
    .option('--llm-base-url <url>', 'OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 (or N1KIT_LLM_BASE_URL)')
    .option('--llm-model <name>', 'model name for the LLM server (or N1KIT_LLM_MODEL)')
    .option('--out <file>', 'write the prior JSON to a file')
    .option('--json', 'print JSON instead of a table')
    .action(async (reqPath: string | undefined, o) => {
      const req = reqPath ? (parseJson(readText(reqPath), reqPath) as PriorRequest) : migrainePriorRequest();
      const prior = await providerFrom(o).elicit(req);
      if (o.out) writeAtomic(o.out, `${JSON.stringify(prior, null, 2)}\n`);
      out(o.json === true, prior, () => {
        const rows = Object.entries(prior.effects).map(([id, d]) => [id, d.family, JSON.stringify(d).slice(0, 60)]);
        return `prior from ${prior.source.provider} on the ${prior.scale} scale\n${table(rows, ['candidate', 'family', 'distribution'])}`;
      });
    });

  program
    .command('report')
    .description('render charts of a design, a diary and an analysis into one self-contained HTML file')
    .requiredOption('--design <file>', 'design JSON')
    .option('--observations <file>', 'diary CSV or JSON')
    .option('--analysis <file>', 'analysis JSON (from n1kit analyze --out)')
    .requiredOption('--out <file>', 'HTML file to write')
    .option('--title <text>', 'report title', 'N-of-1 trial report')
    .action(async (o) => {
      const design = loadDesign(o.design);
      const sections: ReportSection[] = [{ heading: 'Schedule', spec: plotSchedule(design) }];
      if (o.observations) sections.push({ heading: 'Diary', spec: plotOutcomes(design, loadObservations(o.observations)) });
      if (o.analysis) {
        const a = readData(o.analysis) as TrialAnalysis;
        sections.push({ heading: 'Posterior', spec: plotPosterior(a), text: [analysisTable(a)] });
      }
      const { html } = await renderReport(o.title, sections);
      writeAtomic(o.out, html);
      process.stdout.write(`wrote ${o.out} (${sections.length} charts)\n`);
    });

  program
    .command('demo')
    .description("the paper's migraine story end to end, offline: ranking, decision, design, diary, analysis, recommendation")
    .option('--seed <seed>', 'seed of the simulated patient and trial', 'alice')
    .option('--out <dir>', 'folder for the report and its data', 'n1kit-demo')
    .option('--llm-base-url <url>', 'elicit the prior from an OpenAI-compatible server (or N1KIT_LLM_BASE_URL)')
    .option('--llm-model <name>', 'model name for the LLM server')
    .option('--json', 'print the results as JSON')
    .action(async (o) => {
      await runDemo({ seed: o.seed, outDir: o.out, json: o.json === true, provider: providerFrom(o) });
    });
}
