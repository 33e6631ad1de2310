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
  staticPriorProvider,
  validateDesign,
} from '../index.js';
import type { McmcOptions } from '../models/types.js';
import type { PriorProvider, PriorRequest } from '../prior/index.js';
import type { TrialDesign } from '../design/types.js';
import { fmt, parseJson, readData, readText, table, writeAtomic } from './io.js';
import { runDemo } from './demo.js';
import { registerReportCommand } from './report-command.js';
import { designWarnings, distSummary, parseFeatures } from './words.js';
import { progressCallback } from './progress.js';
import { type TableCliOptions, analyzeTableCli, isTablePath, populationPriorEffects, priorsFromFile, seriesTableCli } from './table-input.js';

/** The column and prior options of `analyze` and `series` for table input (CSV / TSV). */
function tableOptions(c: Command): Command {
  return c
    .option('--value <column>', 'table input: column of the outcome (default: value)')
    .option('--date <column>', 'table input: column of ISO dates (default: date)')
    .option('--day <column>', 'table input: column of day numbers (default: day, when there is no date column)')
    .option('--treatment <column>', 'table input: column of the treatment taken (default: treatment)')
    .option('--trials-column <column>', 'table input, binomial: column of the number of trials')
    .option('--exposure-column <column>', 'table input, Poisson: column of the exposure')
    .option('--washout-days <n>', 'table input: washout days at the start of each period (default: the plan\'s, else 0)', intOpt('washout-days'))
    .option('--as-randomised', 'table input: analyse the plan\'s periods (intention to treat) instead of as treated')
    .option('--priors <file>', 'JSON: the priors object of analyzeTrial / analyzeSeries')
    .option('--prior <file>', 'JSON: an elicited PopulationPrior ({ effects, scale, source }) used as the effect priors');
}
import { registerSimulateCommands } from './simulate.js';

const bad = (field: string, message: string, value?: unknown): never => {
  throw new ValidationError(`n1kit: \`${field}\` ${message}`, { fn: 'n1kit', field, value });
};

const intOpt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) bad(name, `must be an integer; got ${JSON.stringify(v)}`, v);
  return n;
};

/** A sampler that did not converge (strict off) is said on stderr, where a reader of the output looks. */
function samplerWarnings(warnings: readonly string[] | undefined): void {
  for (const w of warnings ?? []) process.stderr.write(`n1kit: warning: ${w}\n`);
}

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

function providerFrom(o: { llmBaseUrl?: string; llmModel?: string }, features?: readonly string[]): PriorProvider {
  const base = o.llmBaseUrl ?? process.env.N1KIT_LLM_BASE_URL;
  if (!base) return staticPriorProvider();
  return openAICompatiblePriorProvider({
    baseUrl: base,
    model: o.llmModel ?? process.env.N1KIT_LLM_MODEL ?? 'default',
    ...(features !== undefined && features.length > 0 ? { features } : {}),
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
    .option('--reminder <minutes>', 'iCalendar: a reminder this many minutes after midnight of each period’s first day', intOpt('reminder'))
    .option('--dtstamp <time>', 'iCalendar: the creation time (ISO, e.g. 2026-12-01T09:00:00Z) for reproducible files')
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
          o.format === 'csv'
            ? designToCsv(design)
            : o.format === 'ics'
              ? designToICalendar(design, {
                  ...(o.dtstamp !== undefined ? { timestamp: o.dtstamp } : {}),
                  ...(o.reminder !== undefined ? { reminder: { offsetMinutes: o.reminder } } : {}),
                })
              : `${JSON.stringify(design, null, 2)}\n`;
        writeAtomic(o.out, content);
      }
      for (const w of designWarnings(design)) process.stderr.write(`n1kit: warning: ${w}\n`);
      out(o.json === true, design, () => {
        const rows = design.periods.map((p) => [p.index + 1, p.block + 1, p.treatment, p.startDay, p.endDay, p.washoutEndDay >= p.startDay ? `${p.startDay}-${p.washoutEndDay}` : '', p.startDate ?? '']);
        const s = designSummary(design);
        return `${design.periods.length} periods of ${design.periodDays} days, ${design.totalDays} days in all (${design.randomization} randomisation, seed ${JSON.stringify(design.seed)})\n${table(rows, ['period', 'block', 'treatment', 'first day', 'last day', 'washout', 'start date'])}\nperiods per treatment: ${Object.entries(s.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`;
      });
    });

  tableOptions(program
    .command('analyze')
    .description("analyse one patient's N-of-1 trial: a diary table (CSV/TSV with date or day, treatment, value), JSON input as analyzeTrial takes it, or --design and --observations")
    .argument('[input]', 'diary table (.csv/.tsv), or JSON file (or - for stdin) with { design, observations, outcome, reference, betterIs, ... }'))
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
      if (isTablePath(inputPath)) {
        const th0 = parseThresholds(o.threshold);
        const extra = {
          ...(th0 ? { thresholds: th0 } : {}),
          ...(o.autocorrelation ? { model: { autocorrelation: true } } : {}),
          ...(o.seed !== undefined ? { mcmc: { seed: o.seed } } : {}),
        };
        const r = analyzeTableCli(inputPath, o as TableCliOptions, extra, (input) => withMcmcProgress(input, analyzeTrial));
        for (const w of r.warnings) process.stderr.write(`${w}\n`);
        samplerWarnings(r.analysis.warnings);
        if (o.out) writeAtomic(o.out, `${JSON.stringify(r.result, null, 2)}\n`);
        out(o.json === true, r.result, () => `${r.result.analysisPopulation === 'as-treated' ? 'As treated: periods from the treatment column' : 'As randomised: periods and treatments from the plan'}${o.design ? `; ${r.result.deviations.length} deviation(s) from the plan` : ' (no plan given)'}.\n${analysisTable(r.analysis)}`);
        return;
      }
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
      const pr = priorsFromFile(o.priors);
      if (pr) input.priors = { ...(input.priors ?? {}), ...pr };
      if (o.prior && input.design && input.outcome && input.reference) {
        input.priors = { ...(input.priors ?? {}), effects: { ...populationPriorEffects(o.prior, input.outcome, input.design.treatments, input.reference), ...(pr?.effects ?? {}) } };
      }
      if (input.design === undefined) bad('design', 'is required (in the input JSON or --design)');
      if (input.observations === undefined) bad('observations', 'are required (in the input JSON or --observations)');
      const analysis = withMcmcProgress(input, analyzeTrial);
      samplerWarnings(analysis.warnings);
      const { draws: _draws, ...result } = analysis as TrialAnalysis & { draws?: unknown };
      if (o.out) writeAtomic(o.out, `${JSON.stringify(result, null, 2)}\n`);
      out(o.json === true, result, () => analysisTable(analysis));
    });

  tableOptions(program
    .command('series')
    .description('analyse a series of N-of-1 trials: a long table (CSV/TSV with patient, date or day, treatment, value) or JSON input as analyzeSeries takes it')
    .argument('<input>', 'long table (.csv/.tsv), or JSON file (or - for stdin)'))
    .option('--patient <column>', 'table input: column of the patient id (default: patient)')
    .option('--design <file>', 'table input: the plan every patient followed (design JSON)')
    .addOption(new Option('--outcome <family>', 'outcome model').choices(['normal', 'binomial', 'poisson']))
    .option('--reference <treatment>', 'the control arm, e.g. placebo')
    .addOption(new Option('--better <direction>', 'which direction is better').choices(['higher', 'lower']))
    .option('--seed <seed>', 'MCMC seed')
    .option('--out <file>', 'write the analysis JSON to a file')
    .option('--json', 'print JSON instead of a table')
    .action((inputPath: string, o) => {
      let result: ReturnType<typeof analyzeSeries> & { deviations?: unknown };
      if (isTablePath(inputPath)) {
        const r = seriesTableCli(inputPath, o as TableCliOptions, o.seed !== undefined ? { seed: o.seed } : undefined, (input) => withMcmcProgress(input, analyzeSeries));
        for (const w of [...r.notes, ...r.warnings]) process.stderr.write(`${w}\n`);
        result = r.result;
      } else {
        const input = parseJson(readText(inputPath), inputPath) as Parameters<typeof analyzeSeries>[0];
        result = withMcmcProgress(input, analyzeSeries);
      }
      samplerWarnings(result.warnings);
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
    .option('--features <list>', 'patient features, e.g. ageBand=30-39,sex=female (only allow-listed ones are sent)')
    .option('--allow-features <list>', 'feature names that may be sent to the LLM server (default: the names given in --features)')
    .option('--out <file>', 'write the prior JSON to a file')
    .option('--json', 'print JSON instead of a table')
    .action(async (reqPath: string | undefined, o) => {
      const features = o.features !== undefined ? parseFeatures(String(o.features)) : undefined;
      let req = reqPath ? (parseJson(readText(reqPath), reqPath) as PriorRequest) : migrainePriorRequest(features ?? {});
      if (reqPath && features !== undefined) req = { ...req, patient: { ...req.patient, features: { ...req.patient?.features, ...features } } };
      const allow =
        o.allowFeatures !== undefined
          ? String(o.allowFeatures).split(',').map((s: string) => s.trim()).filter((s: string) => s.length > 0)
          : Object.keys(features ?? {});
      const prior = await providerFrom(o, allow).elicit(req);
      if (o.out) writeAtomic(o.out, `${JSON.stringify(prior, null, 2)}\n`);
      out(o.json === true, prior, () => {
        const rows = Object.entries(prior.effects).map(([id, d]) => {
          const s = distSummary(d);
          return [id, s.family, s.mean, s.sd, s.interval];
        });
        return `prior from ${prior.source.provider} on the ${prior.scale} scale\n${table(rows, ['candidate', 'family', 'mean', 'sd', '95% interval'])}`;
      });
    });

  registerReportCommand(program);

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
