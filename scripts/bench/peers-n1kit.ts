/**
 * n1kit side of the peer benchmark (scripts/bench/peers.mjs drives it; CI never runs it).
 *
 *   npx tsx scripts/bench/peers-n1kit.ts export <dir>
 *     writes <dir>/<case>.R (R dump format): the data exactly as analyzeTrial/analyzeSeries
 *     prepare it (washout dropped, sorted by day, X without the intercept column) and the prior
 *     constants of the fixture, for scripts/bench/peers.R (JAGS and Stan).
 *   npx tsx scripts/bench/peers-n1kit.ts run '<settings json>' <seed>
 *     runs each case (4 chains; per case {warmup, draws} per chain) and prints one JSON line per
 *     case: wall seconds of one warm analyzeTrial/analyzeSeries call (median of 5 calls after 10
 *     warm-up calls, same seed: a long-running process), bulk ESS of each treatment effect (n1kit's essBulk, the
 *     estimator of posterior::ess_bulk, checked against it in test/models/diagnostics.test.ts),
 *     posterior means and sds.
 *
 * Cases (test/fixtures/models.json, made by scripts/fixtures/models_jags.py): normal (3 arms,
 * mixture prior), ar1, washout, binomial, poisson, series (8 patients).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSeries, analyzeTrial } from '../../src/models/index.js';
import type { AnalyzeSeriesInput } from '../../src/models/series.js';
import type { AnalyzeTrialInput } from '../../src/models/types.js';
import { prepareTrial } from '../../src/models/data.js';

export const CASES = ['normal', 'ar1', 'washout', 'binomial', 'poisson', 'series'] as const;
type CaseName = (typeof CASES)[number];

const fixtures = JSON.parse(readFileSync(new URL('../../test/fixtures/models.json', import.meta.url), 'utf8')) as Record<
  string,
  { input: Record<string, unknown> }
>;

type Num = number | readonly number[] | { matrix: readonly number[][] };

function rdump(d: Record<string, Num>): string {
  const f = (x: number): string => (Number.isInteger(x) ? `${x}` : x.toPrecision(17));
  const lines: string[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (typeof v === 'number') lines.push(`${k} <- ${f(v)}`);
    else if (Array.isArray(v)) lines.push(`${k} <- c(${(v as number[]).map(f).join(', ')})`);
    else {
      const m = (v as { matrix: number[][] }).matrix;
      const rows = m.length;
      const cols = (m[0] as number[]).length;
      const flat: number[] = [];
      for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) flat.push((m[r] as number[])[c] as number);
      lines.push(`${k} <- structure(c(${flat.map(f).join(', ')}), .Dim = c(${rows}L, ${cols}L))`);
    }
  }
  return `${lines.join('\n')}\n`;
}

interface NormalD {
  family: 'normal';
  mean: number;
  sd: number;
}
interface MixD {
  family: 'mixture';
  components: { weight: number; dist: NormalD }[];
}

function exportCase(name: CaseName): { data: Record<string, Num>; effects: string[] } {
  const inp = fixtures[name]?.input as Record<string, unknown>;
  if (name === 'series') {
    const s = inp as unknown as AnalyzeSeriesInput;
    const y: number[] = [];
    const pid: number[] = [];
    const x: number[] = [];
    s.trials.forEach((t, j) => {
      const d = prepareTrial('bench', t.design, t.observations, 'normal', s.reference, {
        includeWashout: false,
        trend: false,
        uniqueDays: false,
      });
      for (let i = 0; i < d.n; i++) {
        y.push(d.y[i] as number);
        pid.push(j + 1);
        x.push(d.X[i * d.p + 1] as number);
      }
    });
    const pr = s.priors;
    const mu = pr.populationEffects.drug as NormalD;
    const tau = (pr.heterogeneity as Record<string, { scale: number }>).drug as { scale: number };
    const b0 = pr.intercept as NormalD;
    const v = pr.variance as { shape: number; scale: number };
    return {
      data: {
        n: y.length,
        J: s.trials.length,
        y,
        pid,
        x,
        mu_m: mu.mean,
        mu_s: mu.sd,
        tau_s: tau.scale,
        b0_m: b0.mean,
        b0_s: b0.sd,
        va: v.shape,
        vb: v.scale,
      },
      effects: ['mu'],
    };
  }
  const t = inp as unknown as AnalyzeTrialInput;
  const model = (t.model ?? {}) as { autocorrelation?: boolean; includeWashout?: boolean };
  const d = prepareTrial('bench', t.design, t.observations, t.outcome, t.reference, {
    includeWashout: model.includeWashout ?? false,
    trend: false,
    uniqueDays: model.autocorrelation ?? false,
  });
  const K = d.effectNames.length;
  const X: number[][] = [];
  const gap: number[] = [];
  for (let i = 0; i < d.n; i++) {
    X.push(Array.from({ length: K }, (_, k) => d.X[i * d.p + 1 + k] as number));
    gap.push(i === 0 ? 0 : (d.day[i] as number) - (d.day[i - 1] as number));
  }
  const pr = t.priors as { intercept: NormalD; effects: Record<string, NormalD | MixD>; variance?: { shape: number; scale: number } };
  const data: Record<string, Num> = { n: d.n, K, X: { matrix: X }, y: Array.from(d.y), b0_m: pr.intercept.mean, b0_s: pr.intercept.sd };
  const bm: number[] = [];
  const bs: number[] = [];
  d.effectNames.forEach((e, k) => {
    const p = pr.effects[e] as NormalD | MixD;
    if (p.family === 'normal') {
      bm.push(p.mean);
      bs.push(p.sd);
    } else {
      // A two-component mixture prior (the 'normal' case's second effect): mw, mm, ms.
      if (k !== 1 || p.components.length !== 2) throw new Error('peers.R models a mixture prior on the second effect only');
      bm.push(0);
      bs.push(1);
      data.mw = p.components.map((c) => c.weight);
      data.mm = p.components.map((c) => c.dist.mean);
      data.ms = p.components.map((c) => c.dist.sd);
    }
  });
  data.bm = bm;
  data.bs = bs;
  if (pr.variance) {
    data.va = pr.variance.shape;
    data.vb = pr.variance.scale;
  }
  if (t.outcome === 'binomial') data.N = Array.from(d.trials);
  if (t.outcome === 'poisson') data.E = Array.from(d.exposure);
  if (model.autocorrelation) data.gap = gap;
  return { data, effects: d.effectNames.map((e, k) => `beta[${k + 1}]:${e}`) };
}

interface Setting {
  warmup: number;
  draws: number;
}

function runCase(name: CaseName, s: Setting, seed: number): Record<string, unknown> {
  const inp = fixtures[name]?.input as Record<string, unknown>;
  const mcmc = { chains: 4, warmup: s.warmup, draws: s.draws, seed };
  const call = (): { seconds: number; r: ReturnType<typeof analyzeTrial> | ReturnType<typeof analyzeSeries> } => {
    const t0 = performance.now();
    const r = name === 'series' ? analyzeSeries({ ...(inp as unknown as AnalyzeSeriesInput), mcmc }) : analyzeTrial({ ...(inp as unknown as AnalyzeTrialInput), mcmc });
    return { seconds: (performance.now() - t0) / 1000, r };
  };
  for (let i = 0; i < 10; i++) call();
  const runs = [call(), call(), call(), call(), call()].sort((a, b) => a.seconds - b.seconds);
  const { seconds, r } = runs[2] as { seconds: number; r: ReturnType<typeof analyzeTrial> | ReturnType<typeof analyzeSeries> };
  const ess: Record<string, number> = {};
  const mean: Record<string, number> = {};
  const sd: Record<string, number> = {};
  if (name === 'series') {
    const sr = r as ReturnType<typeof analyzeSeries>;
    const pop = sr.population.drug as { mean: number; sd: number };
    ess.mu = (sr.diagnostics.parameters['mu[drug]'] as { essBulk: number }).essBulk;
    mean.mu = pop.mean;
    sd.mu = pop.sd;
  } else {
    const tr = r as ReturnType<typeof analyzeTrial>;
    for (const [e, v] of Object.entries(tr.effects)) {
      const dg = tr.diagnostics as NonNullable<typeof tr.diagnostics>;
      ess[e] = (dg.parameters[`effect[${e}]`] as { essBulk: number }).essBulk;
      mean[e] = v.mean;
      sd[e] = v.sd;
    }
  }
  const essMin = Math.min(...Object.values(ess));
  const sampler = (r as { diagnostics?: { sampler?: { name: string } } }).diagnostics?.sampler?.name;
  return { tool: 'n1kit', case: name, seconds, essMin, essPerSec: essMin / seconds, ess, mean, sd, chains: 4, ...s, ...(sampler ? { sampler } : {}) };
}

const [mode, arg, seedArg] = process.argv.slice(2);
if (mode === 'export') {
  const dir = arg as string;
  mkdirSync(dir, { recursive: true });
  const effects: Record<string, string[]> = {};
  for (const c of CASES) {
    const e = exportCase(c);
    writeFileSync(join(dir, `${c}.R`), rdump(e.data));
    effects[c] = e.effects;
  }
  writeFileSync(join(dir, 'effects.json'), JSON.stringify(effects));
} else if (mode === 'run') {
  const settings = JSON.parse(arg as string) as Record<string, Setting>;
  const seed = Number(seedArg ?? 1);
  for (const c of CASES) {
    const s = settings[c];
    if (s === undefined) continue;
    console.log(JSON.stringify(runCase(c, s, seed)));
  }
} else {
  console.error('usage: peers-n1kit.ts export <dir> | run <settings json> <seed>');
  process.exit(2);
}
