// `n1kit analyze DIARY.csv` and `n1kit series DATA.csv` end to end in a child process: exit
// codes, deviations as warnings on stderr, the JSON shape, and the same numbers as the library.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runCli } from './harness.js';
import { analyzeSeries, analyzeTrial, normal, parseTable, seriesFromTable, trialFromTable, validateDesign } from '../../src/index.js';
import type { TrialDesign } from '../../src/index.js';

const ROOT = process.cwd();
const DIARY = join(ROOT, 'examples', 'data', 'diary.csv');
const PLAN = join(ROOT, 'examples', 'data', 'diary-plan.json');

let CLI = '';
beforeAll(async () => {
  CLI = await bundleCli('test-cli-table');
});

function n1kit(args: string[]): { code: number; stdout: string; stderr: string } {
  return runCli(CLI, args);
}

const dir = mkdtempSync(join(tmpdir(), 'n1kit-table-'));
const noStack = (s: string) => expect(s).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/);
const common = ['--outcome', 'normal', '--reference', 'placebo', '--better', 'lower'];

describe('n1kit analyze DIARY.csv', () => {
  it('with a plan: deviations on stderr and in the JSON, numbers equal to the library call', () => {
    const r = n1kit(['analyze', DIARY, '--value', 'pain', '--design', PLAN, ...common, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      'n1kit: warning: days 33 to 34 (2026-04-04 to 2026-04-05): placebo recorded, magnesium planned',
      'n1kit: warning: day 42 (2026-04-13): a row outside the planned trial (days 0 to 41); kept, as treated',
    ]);
    const out = JSON.parse(r.stdout);
    expect(out.analysisPopulation).toBe('as-treated');
    expect(out.deviations.map((d: { kind: string; day: number }) => [d.kind, d.day])).toEqual([
      ['treatment-differs', 33],
      ['treatment-differs', 34],
      ['outside-trial', 42],
    ]);
    expect(validateDesign(out.design).origin).toBe('recorded');
    const plan = JSON.parse(readFileSync(PLAN, 'utf8')) as TrialDesign;
    const t = trialFromTable(parseTable(readFileSync(DIARY, 'utf8')), { value: 'pain', design: plan });
    const lib = analyzeTrial({ design: t.design, observations: t.observations, outcome: 'normal', reference: 'placebo', betterIs: 'lower' });
    expect(out.effects).toEqual(JSON.parse(JSON.stringify(lib.effects)));
    expect(out.data.used).toBe(40); // 43 rows, 3 blank
  });

  it('prints a table that says the analysis is as treated; --as-randomised keeps the plan', () => {
    const r = n1kit(['analyze', DIARY, '--value', 'pain', ...common]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^As treated: periods from the treatment column \(no plan given\)/);
    expect(r.stdout).toMatch(/magnesium/);
    expect(r.stderr).toBe('');
    const itt = n1kit(['analyze', DIARY, '--value', 'pain', '--design', PLAN, '--as-randomised', ...common, '--json']);
    expect(itt.code).toBe(0);
    const out = JSON.parse(itt.stdout);
    expect(out.analysisPopulation).toBe('as-randomised');
    expect(out.data.used).toBe(39); // the day after the plan is not analysed
  });

  it('a text column given as --value: exit 3, line and column named, no stack trace', () => {
    const r = n1kit(['analyze', DIARY, '--value', 'note', ...common]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^n1kit: error E_INVALID_ARGUMENT/);
    expect(r.stderr).toContain("at line 5, column 4 ('note')");
    noStack(r.stderr);
  });

  it('bad tables and flags: exit 3; a missing file: exit 6', () => {
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'date,treatment,pain\n2026-03-01,A,"4\n');
    const r = n1kit(['analyze', broken, '--value', 'pain', ...common]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('opened at line 2, column 3');
    expect(n1kit(['analyze', DIARY, ...common]).stderr).toContain("`options.value` must name a column"); // default 'value' absent
    expect(n1kit(['analyze', DIARY, '--value', 'pain', '--outcome', 'normal', '--better', 'lower']).code).toBe(3); // no --reference
    expect(n1kit(['analyze', DIARY, '--value', 'pain', '--day', 'nope', ...common]).code).toBe(3);
    expect(n1kit(['analyze', join(dir, 'absent.csv'), '--value', 'pain', ...common]).code).toBe(6);
  });

  it('--prior takes an elicited PopulationPrior (its scale must be the outcome’s); --priors the priors object', () => {
    const prior = join(dir, 'prior.json');
    writeFileSync(prior, JSON.stringify({ effects: { magnesium: normal(-1, 0.5), sleep: normal(0, 1) }, scale: 'difference', source: { provider: 'static' } }));
    const r = n1kit(['analyze', DIARY, '--value', 'pain', '--prior', prior, ...common, '--json']);
    expect(r.code).toBe(0);
    const t = trialFromTable(parseTable(readFileSync(DIARY, 'utf8')), { value: 'pain' });
    const lib = analyzeTrial({ ...t, outcome: 'normal', reference: 'placebo', betterIs: 'lower', priors: { effects: { magnesium: normal(-1, 0.5) } } });
    expect(JSON.parse(r.stdout).effects).toEqual(JSON.parse(JSON.stringify(lib.effects)));
    const priors = join(dir, 'priors.json');
    writeFileSync(priors, JSON.stringify({ effects: { magnesium: normal(-1, 0.5) } }));
    const r2 = n1kit(['analyze', DIARY, '--value', 'pain', '--priors', priors, ...common, '--json']);
    expect(JSON.parse(r2.stdout).effects).toEqual(JSON.parse(r.stdout).effects);
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ effects: { magnesium: normal(-1, 0.5) }, scale: 'logOddsRatio', source: { provider: 'static' } }));
    const bad = n1kit(['analyze', DIARY, '--value', 'pain', '--prior', wrong, ...common]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("must be 'difference' for a normal outcome");
  });
});

describe('n1kit analyze INPUT.json keeps working, with --priors and --prior', () => {
  it('the JSON input form takes the priors files too', () => {
    const t = trialFromTable(parseTable(readFileSync(DIARY, 'utf8')), { value: 'pain' });
    const input = join(dir, 'input.json');
    writeFileSync(input, JSON.stringify({ design: t.design, observations: t.observations, outcome: 'normal', reference: 'placebo', betterIs: 'lower' }));
    const priors = join(dir, 'priors-json.json');
    writeFileSync(priors, JSON.stringify({ effects: { magnesium: normal(-1, 0.5) } }));
    const r = n1kit(['analyze', input, '--priors', priors, '--json']);
    expect(r.code).toBe(0);
    const lib = analyzeTrial({ ...t, outcome: 'normal', reference: 'placebo', betterIs: 'lower', priors: { effects: { magnesium: normal(-1, 0.5) } } });
    expect(JSON.parse(r.stdout).effects).toEqual(JSON.parse(JSON.stringify(lib.effects)));
    const plain = n1kit(['analyze', input, '--json']);
    expect(JSON.parse(plain.stdout).effects).not.toEqual(JSON.parse(r.stdout).effects);
  });
});

describe('n1kit series DATA.csv', () => {
  const csv = join(dir, 'series.csv');
  const lines = ['patient,date,treatment,value'];
  // Three patients starting on different dates, A/B periods of 3 days; patient 3 misses a period.
  const starts = { p1: '2026-01-05', p2: '2026-02-10', p3: '2026-03-27' };
  let k = 0;
  for (const [id, start] of Object.entries(starts)) {
    const t0 = Date.parse(`${start}T00:00:00Z`);
    for (let day = 0; day < 12; day++) {
      const treat = Math.floor(day / 3) % 2 === 0 ? 'A' : 'B';
      if (id === 'p3' && day >= 6 && day < 9) continue;
      const date = new Date(t0 + day * 86_400_000).toISOString().slice(0, 10);
      lines.push(`${id},${date},${treat},${(treat === 'B' ? 4 : 6) + ((k++ * 7) % 5) / 4}`);
    }
  }
  writeFileSync(csv, `${lines.join('\n')}\n`);

  it('analyses a long table: population, individuals, deviations per patient, as the library does', () => {
    const r = n1kit(['series', csv, ...common.slice(0, 2), '--reference', 'A', '--better', 'lower', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^n1kit: note: no population prior for B: using N\(0, /);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.individuals)).toEqual(['p1', 'p2', 'p3']);
    expect(Object.keys(out.deviations)).toEqual(['p1', 'p2', 'p3']);
    const { trials } = seriesFromTable(parseTable(readFileSync(csv, 'utf8')), { value: 'value' });
    expect(trials.map((t) => t.design.startDate)).toEqual(Object.values(starts));
    const sd = Number(/N\(0, ([\d.]+)\)/.exec(r.stderr)?.[1]);
    const lib = analyzeSeries({
      trials: trials.map(({ id, design, observations }) => ({ id, design, observations })),
      outcome: 'normal',
      reference: 'A',
      betterIs: 'lower',
      priors: { populationEffects: { B: normal(0, sd) } },
    });
    // Same data, same seed; the prior sd read back from stderr is rounded, so the two fits differ
    // by a small fraction of the posterior sd (not by Monte Carlo error).
    const libB = lib.population.B as { mean: number; sd: number };
    expect(Math.abs(out.population.B.mean - libB.mean)).toBeLessThan(0.05 * libB.sd);
  });

  it('with a plan: a missing period is a warning naming the patient', () => {
    const plan = join(dir, 'plan.json');
    const design = {
      treatments: ['A', 'B'],
      randomization: 'fixed',
      seed: 0,
      periodDays: 3,
      washoutDays: 0,
      runInDays: 0,
      totalDays: 12,
      periods: ['A', 'B', 'A', 'B'].map((treatment, index) => ({ index, block: Math.floor(index / 2), treatment, startDay: 3 * index, endDay: 3 * index + 2, washoutEndDay: 3 * index - 1 })),
    };
    writeFileSync(plan, JSON.stringify(design));
    const r = n1kit(['series', csv, '--design', plan, '--outcome', 'normal', '--reference', 'A', '--better', 'lower', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('n1kit: warning: patient p3: period 3 (A, day 6');
    expect(JSON.parse(r.stdout).deviations.p3.map((d: { kind: string }) => d.kind)).toEqual(['missing-period']);
  });

  it('a bad cell names the patient, line and column: exit 3', () => {
    const badCsv = join(dir, 'bad-series.csv');
    writeFileSync(badCsv, 'patient,day,treatment,value\n1,0,A,1\n1,1,B,2\n2,0,A,?\n2,1,B,1\n');
    const r = n1kit(['series', badCsv, '--outcome', 'normal', '--reference', 'A', '--better', 'lower']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("line 4, column 4 ('value') (patient \"2\")");
    noStack(r.stderr);
  });
});
