/**
 * `n1kit demo`: the paper's migraine story end to end, offline by default. Alice has 12
 * migraine days a month; the population prior ranks candidate preventives; no candidate is
 * clearly best, so an N-of-1 trial (6 periods of 2 weeks) validates; a simulated daily yes/no
 * diary updates her robust posterior with a logistic (binomial) model, the prior moved from
 * migraine days per 30 days to log odds ratios; effects are shown back in migraine days per 30
 * days at her placebo rate; the recommendation and a self-contained HTML report follow.
 */
import { join } from 'node:path';
import type { PriorProvider } from '../prior/types.js';
import {
  migrainePriorRequest,
  migrainePriorToLogOdds,
  plotOutcomes,
  plotRanking,
  plotSchedule,
  rankCandidates,
  simulateMigraineDiary,
  startPersonalization,
  updatePersonalization,
} from '../index.js';
import { designToCsv } from '../design/export.js';
import { fmt, table, writeAtomic } from './io.js';
import { progress } from './progress.js';
import { buildTrialReport } from './trial-report.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  readonly seed: string;
  readonly outDir: string;
  readonly json: boolean;
  readonly provider: PriorProvider;
}

/** Alice's true (simulated) effects in migraine days per 30 days: magnesium helps, sleep a little. */
export const DEMO_TRUTH: Readonly<Record<string, number>> = { magnesium: -6, sleepRegularity: -1.5 };

const pct = (p: number): string => `${(100 * p).toFixed(0)}%`;
const logit = (p: number): number => Math.log(p / (1 - p));
const expit = (x: number): number => 1 / (1 + Math.exp(-x));

/** Runs the demo; prints the story; writes report.html, the SVG charts and the data to outDir. */
export async function runDemo(o: DemoOptions): Promise<void> {
  const bar = progress(6);
  const say: string[] = [];
  const request = migrainePriorRequest({ ageBand: '30-39', sex: 'female' });
  bar.tick('eliciting the population prior');
  const prior = await o.provider.elicit(request);

  bar.tick('ranking candidates');
  const ranking = rankCandidates(prior, { betterIs: 'lower', rng: `${o.seed}:rank` });
  // A yes/no diary is a binomial outcome: the analysis works on log odds ratios, the clinical
  // threshold (2 migraine days fewer per 30 days) is a daily probability 2/30 lower.
  const logOddsPrior = migrainePriorToLogOdds(prior, { baselineDays: 12 });
  const plan = startPersonalization({ prior: logOddsPrior, betterIs: 'lower', seed: o.seed, mcid: 2 / 30 });
  say.push(`Alice: 12 migraine days a month. Prior from ${prior.source.provider} (${prior.scale}, migraine days per 30 days).`);
  say.push('', 'Step 1. The population model ranks the candidates (σ = probability of being the best):');
  say.push(
    table(
      ranking.candidates.map((c) => [c.rank, c.id, c.mean, `[${fmt(c.interval[0])}, ${fmt(c.interval[1])}]`, pct(c.probBest), pct(c.probBetterThanControl)]),
      ['rank', 'candidate', 'effect', '95% interval', 'σ = P(best)', 'P(helps)'],
    ),
  );
  say.push(`Decision: ${plan.decision.reason}`);

  if (plan.decision.action !== 'trial' || plan.design === undefined) {
    bar.done();
    say.push('', `No trial needed: adopt ${plan.decision.leader}.`);
    process.stdout.write(o.json ? `${JSON.stringify({ prior, ranking, decision: plan.decision }, null, 2)}\n` : `${say.join('\n')}\n`);
    return;
  }
  const design = plan.design;
  bar.tick('designing the trial');
  say.push('', `Step 2. The N-of-1 trial: ${design.periods.length} periods of ${design.periodDays} days, block-randomised:`);
  say.push(`  ${design.periods.map((p) => p.treatment).join(' → ')} (${design.totalDays} days)`);

  bar.tick('simulating the diary');
  const truth = Object.fromEntries(Object.entries(DEMO_TRUTH).filter(([arm]) => design.treatments.includes(arm)));
  const diary = simulateMigraineDiary(design, { effects: truth, rng: `${o.seed}:diary` });

  bar.tick('updating the posterior');
  const update = updatePersonalization(plan, diary);
  // Effects back in migraine days per 30 days at Alice's placebo rate in the diary (a monotone
  // map, so medians and interval ends carry over exactly).
  const onPlacebo = diary.filter((d) => design.periods.find((p) => d.day >= p.startDay && d.day <= p.endDay)?.treatment === 'placebo');
  const p0 = Math.min(0.98, Math.max(0.02, onPlacebo.reduce((a, d) => a + d.value, 0) / Math.max(1, onPlacebo.length)));
  const days = (lor: number): number => 30 * (expit(logit(p0) + lor) - p0);
  const priorDays = (id: string): number => {
    const d = prior.effects[id];
    return d === undefined ? 0 : d.family === 'normal' ? d.mean : d.family === 'mixture' ? d.components.reduce((a, c) => a + c.weight * (c.dist.family === 'normal' ? c.dist.mean : 0), 0) : 0;
  };
  say.push(
    '',
    `Step 3. Alice's posterior after ${diary.length} yes/no diary days (binomial model, ${update.analysis.method}); effects versus placebo in migraine days per 30 days, at her placebo rate of ${(30 * p0).toFixed(1)}:`,
  );
  say.push(
    table(
      Object.entries(update.candidates).map(([id, c]) => [
        id,
        priorDays(id),
        days(c.data.mean),
        days(c.posterior.median),
        `[${fmt(days(c.posterior.interval[0]))}, ${fmt(days(c.posterior.interval[1]))}]`,
        pct(c.posterior.probBetter),
        pct(c.posterior.probClinicallyBetter ?? 0),
        `${truth[id] ?? 0}`,
      ]),
      ['candidate', 'prior', 'diary', 'posterior median', '95% interval', 'P(helps)', 'P(≥2 days fewer)', 'truth (simulated)'],
    ),
  );
  say.push(`P(best): ${Object.entries(update.probBest).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}`);
  for (const m of update.messages) say.push(m);
  say.push('', `Recommendation: ${update.recommendation.treatment} (P(best) ${pct(update.recommendation.probBest)}).`);

  bar.tick('writing the report');
  // The diary as a 7-day running rate (migraine days per 30 days) reads better than 0/1 dots.
  const byDay = new Map(diary.map((d) => [d.day, d.value]));
  const smooth = diary
    .filter((d) => d.day >= 6)
    .map((d) => {
      let s = 0;
      let n = 0;
      for (let k = d.day - 6; k <= d.day; k++) {
        const v = byDay.get(k);
        if (v !== undefined) {
          s += v;
          n++;
        }
      }
      return { day: d.day, value: (30 * s) / n };
    });
  const labels = Object.fromEntries(request.candidates.map((c) => [c.id, c.label]));
  const { html, svgs } = await buildTrialReport({
    title: 'n1kit demo: Alice’s migraine N-of-1 trial',
    design,
    observations: diary,
    analysis: update.analysis,
    update,
    labels,
    mcid: 2,
    confident: plan.settings.confident,
    outcome: { name: 'migraine days', unit: 'per 30 days' },
    context: [
      {
        heading: 'How the trial was chosen: the population prior',
        text: [`Prior from ${prior.source.provider}. ${plan.decision.reason}`],
        spec: plotRanking(ranking.candidates, { threshold: plan.decision.include }),
      },
      { heading: 'The trial schedule', spec: plotSchedule(design, { treatments: design.treatments }) },
      { heading: 'Diary as a 7-day running migraine rate', spec: plotOutcomes(design, smooth, { treatments: design.treatments, outcome: 'migraine days per 30 days' }) },
    ],
  });
  writeAtomic(join(o.outDir, 'report.html'), html);
  for (const [name, svg] of Object.entries(svgs)) writeAtomic(join(o.outDir, `${name}.svg`), svg);
  writeAtomic(join(o.outDir, 'prior.json'), `${JSON.stringify(prior, null, 2)}\n`);
  writeAtomic(join(o.outDir, 'design.json'), `${JSON.stringify(design, null, 2)}\n`);
  writeAtomic(join(o.outDir, 'schedule.csv'), designToCsv(design));
  writeAtomic(join(o.outDir, 'diary.csv'), `day,migraine,trials\n${diary.map((d) => `${d.day},${d.value},${d.trials ?? 1}`).join('\n')}\n`);
  const { draws: _d, ...analysis } = update.analysis as typeof update.analysis & { draws?: unknown };
  writeAtomic(join(o.outDir, 'analysis.json'), `${JSON.stringify(analysis, null, 2)}\n`);
  bar.done();
  say.push(`Report: ${join(o.outDir, 'report.html')}`);
  if (o.json) {
    const result = {
      prior,
      ranking,
      decision: plan.decision,
      design,
      // Log odds ratios of a migraine day (binomial model), and the same in migraine days per 30 days at the placebo rate.
      posterior: Object.fromEntries(Object.entries(update.candidates).map(([k, c]) => [k, c.posterior])),
      posteriorScale: 'logOddsRatio',
      placeboDaysPer30: 30 * p0,
      posteriorDaysPer30: Object.fromEntries(
        Object.entries(update.candidates).map(([k, c]) => [k, { median: days(c.posterior.median), interval: [days(c.posterior.interval[0]), days(c.posterior.interval[1])] }]),
      ),
      probBest: update.probBest,
      recommendation: update.recommendation,
      messages: update.messages,
      report: join(o.outDir, 'report.html'),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    process.stdout.write(`${say.join('\n')}\n`);
  }
}
