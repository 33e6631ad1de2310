// Issue 15: a property suite over every root export. For arbitrary JSON-like input (NaN,
// ±Infinity, −0, 1e308, sparse arrays, '__proto__' / 'constructor' keys, getters that throw,
// deep nesting, wrong types) each call returns finite data or throws an N1kitError with a code,
// within a time bound, never mutating its input. Fixed seed (printed), bounded runs.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as n1kit from '../../src/index.js';

const SEED = 15_015;
const RUNS = 1500;
const TIME_BOUND_MS = 3000;

// Kernels marked @internal (no validation by design; helper h6 drops them from the root).
const INTERNAL = new Set(['cdfRaw', 'logPdfRaw', 'quantileRaw', 'sampleRaw', 'samplePolyaGamma', 'resolveDesignOptions']);
// src/models/diagnostics.ts (owned by the models helper, not hardened here): essBulk, essTail and
// splitRhat read \`draws[i].length\` of unchecked input and throw a TypeError. Reported to the lead.
const NOT_YET = new Set<string>();
// Documented infinite values at the edges of a distribution's support or moments.
const MAY_BE_INFINITE = new Set(['quantile', 'logPdf', 'variance', 'sd', 'logSumExp', 'gammaPInv', 'countPredictiveCdf']);

const isClass = (f: unknown): boolean => typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));
const functions = Object.entries(n1kit as Record<string, unknown>)
  .filter(([name, v]) => typeof v === 'function' && !isClass(v) && !INTERNAL.has(name) && !NOT_YET.has(name))
  .map(([name]) => name)
  .sort();

function throwingGetter(): Record<string, unknown> {
  return Object.defineProperty({ a: 1 }, 'b', {
    enumerable: true,
    get() {
      throw new Error('getter called');
    },
  });
}
function sparse(xs: unknown[]): unknown[] {
  const out = [...xs, 'x', 'y'];
  delete out[1];
  return out;
}
function deep(n: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = i % 2 === 0 ? [v] : { k: v };
  return v;
}

const special = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e308, -1e308, 5e-324, 2 ** 53 - 1, 2 ** 31);
const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'arms', 'treatments', 'draws', 'family', 'mean', 'sd'), fc.string({ maxLength: 6 }));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.double(),
    special,
    fc.integer({ min: -5, max: 30 }),
    fc.string({ maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(tie('value'), { maxLength: 3 }).map(sparse),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }).map((entries) => {
      // JSON.parse keeps '__proto__' as an own key; so does this.
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(entries)) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
      return o;
    }),
    fc.constant(null).map(throwingGetter),
    // objects that cannot be turned into a string: `${v}` throws a TypeError
    fc.constantFrom(0, 1).map((i) => (i === 0 ? { toString: 1, valueOf: 1 } : Object.create(null))),
    fc.constantFrom(1500, 4000).map(deep),
  ),
}));

/** A description of a value that reads no getter: used to detect mutation of the input. */
function snapshot(v: unknown, seen = new Map<object, number>()): unknown {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v;
  if (typeof v !== 'object' || v === null) return v;
  if (seen.has(v)) return `[ref ${seen.get(v)}]`;
  seen.set(v, seen.size);
  const out: unknown[] = [Array.isArray(v) ? 'array' : 'object', Object.getPrototypeOf(v) === Object.prototype || Array.isArray(v)];
  for (const k of Reflect.ownKeys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, k)!;
    out.push(String(k), d.get !== undefined ? 'getter' : snapshot(d.value, seen));
  }
  return out;
}

/** Every number reachable through plain data (arrays, plain objects) is finite. */
function firstNonFinite(v: unknown, path: string, depth = 0, seen = new Set<object>()): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${path} = ${v}`;
  if (typeof v !== 'object' || v === null || depth > 50 || seen.has(v)) return undefined;
  seen.add(v);
  if (ArrayBuffer.isView(v)) {
    const xs = v as unknown as ArrayLike<number>;
    for (let i = 0; i < xs.length; i++) if (typeof xs[i] === 'number' && !Number.isFinite(xs[i])) return `${path}[${i}] = ${xs[i]}`;
    return undefined;
  }
  const proto = Object.getPrototypeOf(v);
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return undefined;
  for (const k of Object.keys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, k)!;
    if (d.get !== undefined) continue;
    const bad = firstNonFinite(d.value, `${path}.${k}`, depth + 1, seen);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

function checkThrown(name: string, e: unknown): void {
  if (!n1kit.isN1kitError(e)) throw new Error(`${name} threw a non-N1kitError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  expect(typeof e.code).toBe('string');
}

async function settle<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('every root export, arbitrary JSON-like input (issue 15)', () => {
  it(`returns finite data or throws a coded N1kitError, in time, never mutating its input (seed ${SEED}, ${RUNS} runs)`, async () => {
    console.log(`property suite: seed ${SEED}, ${RUNS} runs over ${functions.length} functions`);
    const before = snapshot(Object.prototype);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...functions), fc.array(value, { maxLength: 3 }), async (name, args) => {
        await callChecked(name, args);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true, ...(process.env.N1KIT_DIAG ? { numRuns: 1 } : {}) },
    );
    expect(snapshot(Object.prototype)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);
});

// ---------------------------------------------------------------------------------------
// Positional arguments after the first. Above, a random first argument usually fails first, so
// the second and third arguments are hardly reached; here each export gets a valid call (the
// table below, checked to work), and one of its later positional arguments is replaced by an
// arbitrary value. Every export with two or more declared parameters must be in the table.
// ---------------------------------------------------------------------------------------

/** The declared parameters of a function (top-level commas of its parameter list). */
function declaredParams(f: (...a: never[]) => unknown): number {
  const s = Function.prototype.toString.call(f);
  const open = s.indexOf('(');
  let depth = 0;
  let count = 0;
  let any = false;
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) count++;
    else if (!/\s/.test(c)) any = true;
  }
  return any ? count + 1 : 0;
}

const RUNS_POSITIONAL = 3000;
type Fixtures = Awaited<ReturnType<typeof makeFixtures>>;

async function makeFixtures() {
  const N = n1kit;
  const design = N.designTrial({ treatments: ['A', 'B'], blocks: 2, periodDays: 7, washoutDays: 1, seed: 1 });
  const observations = design.periods.flatMap((p) => [0, 1, 2, 3, 4, 5, 6].map((i) => ({ day: p.startDay + i, value: (p.treatment === 'A' ? 3 : 4) + (i % 2 ? 0.5 : -0.5) })));
  const analysis = N.analyzeTrial({ design, observations, outcome: 'normal', reference: 'B', betterIs: 'lower', model: { sigma: 1 }, mcmc: { keepDraws: true } });
  const prior = await N.staticPriorProvider().elicit(N.migrainePriorRequest());
  const ranking = N.rankCandidates(prior, { betterIs: 'lower', rng: 'alice' });
  const plan = N.startPersonalization({ prior, betterIs: 'lower', seed: 'alice', mcid: 2 });
  const diary = N.simulateMigraineDiary(plan.design!, { effects: { magnesium: -6 }, rng: 'diary' });
  const series = N.analyzeSeries({
    trials: [-1.5, -1, -0.5].map((effect, j) => {
      const d = N.designTrial({ treatments: ['drug', 'placebo'], blocks: 2, periodDays: 7, seed: j });
      return { id: `p${j}`, design: d, observations: d.periods.flatMap((p) => [0, 1, 2, 3, 4, 5, 6].map((i) => ({ day: p.startDay + i, value: 5 + (p.treatment === 'drug' ? effect : 0) + ((i % 3) - 1) }))) };
    }),
    outcome: 'normal',
    reference: 'placebo',
    betterIs: 'lower',
    priors: { populationEffects: { drug: N.normal(0, 2) } },
    mcmc: { chains: 2, draws: 200, warmup: 200 },
  });
  const spec = {
    design: { treatments: ['drug', 'placebo'], blocks: 1, periodDays: 7 },
    scenario: { outcome: 'normal' as const, baseline: 10, effects: { drug: -1 }, sd: 3 },
    analysis: { reference: 'placebo', betterIs: 'lower' as const, model: { sigma: 3 } },
    replicates: 3,
    seed: 'p',
  };
  const shards = N.simulationShards(spec, 2);
  const partial = N.mergeSimulationPartials(await Promise.all(shards.map((sh) => N.runSimulationShard(sh))));
  const trialPlan = await N.planTrial({ ...spec, search: { blocks: [1, 2] }, target: { power: 0.5 } });
  const releases = [{ value: -2, sd: 3 }, { value: -1, sd: 3 }, { value: 0, sd: 2 }];
  const rows = N.parseTable('date,treatment,pain\n2026-03-01,A,5\n2026-03-02,A,4\n2026-03-03,B,2\n2026-03-05,B,3\n');
  const seriesRows = N.parseTable('patient,day,treatment,value\n1,0,A,5\n1,1,B,3\n2,0,B,4\n2,1,A,6\n');
  return { design, observations, analysis, prior, ranking, plan, diary, series, spec, shards, partial, trialPlan, releases, rows, seriesRows };
}

/** A valid call of each export with two or more declared parameters (all of them given). */
function validCalls(x: Fixtures): Record<string, () => unknown[]> {
  const N = n1kit;
  const nd = () => N.normal(0, 1);
  const req = () => N.migrainePriorRequest();
  return {
    beta: () => [2, 3],
    cdf: () => [nd(), 1.96],
    gamma: () => [3, 2],
    invGamma: () => [3, 2],
    logPdf: () => [nd(), 0.5],
    normal: () => [0, 1],
    pdf: () => [nd(), 0],
    quantile: () => [nd(), 0.975],
    sample: () => [N.beta(2, 3), N.createRng(1)],
    sampleMany: () => [nd(), N.createRng(1), 10],
    studentT: () => [5, 0, 1],
    uniform: () => [0, 1],
    validateDist: () => [nd(), 'caller', 'prior'],
    designToCsv: () => [x.design, { lineEnding: '\n' }],
    designToICalendar: () => [N.designTrial({ treatments: ['A', 'B'], blocks: 1, periodDays: 7, seed: 1, startDate: '2026-01-05' }), { timestamp: '2026-01-01T09:00:00Z' }],
    isWashoutDay: () => [x.design, 7],
    periodOfDay: () => [x.design, 8],
    treatmentOnDay: () => [x.design, 9],
    validateDesign: () => [x.design, 'caller'],
    countPredictiveCdf: () => [N.predictive(N.beta(1, 1), { n: 10 }), 4],
    countPredictivePmf: () => [N.predictive(N.beta(1, 1), { n: 10 }), 3],
    effectiveSampleSize: () => [N.normal(0, 0.5), { likelihood: 'normal', sigma: 2 }],
    logMarginalLikelihood: () => [N.beta(1, 1), { successes: 3, trials: 10 }],
    normalInverseGamma: () => [0, 2, 2, 8],
    predictive: () => [nd(), { n: 4, sigma: 2 }],
    priorDataConflict: () => [N.normal(-3, 0.5), { mean: 1, n: 28, sigma: 2 }, {}],
    probabilityBetterNormal: () => [N.normal(1, 1), nd(), { betterIs: 'higher' }],
    probabilityOfBest: () => [[N.beta(8, 4), N.beta(5, 7)], { rng: 1, draws: 1000 }],
    robustify: () => [N.normal(-3, 0.5), { weight: 0.2, mean: 0, sigma: 2 }],
    summarize: () => [N.normal(1, 0.5), { threshold: 0.5 }],
    updateBinomial: () => [N.beta(1, 1), { successes: 7, trials: 10 }],
    updateNormal: () => [nd(), { mean: 2, n: 4, sigma: 2 }],
    updateNormalUnknownVariance: () => [N.normalInverseGamma(0, 1, 1, 1), { values: [1, 2, 3] }],
    updatePoisson: () => [N.gamma(2, 1), { total: 12, exposure: 30 }],
    posteriorPredictive: () => [x.analysis, { treatment: 'A', days: 14 }],
    seriesToPrior: () => [x.series, { treatment: 'drug' }],
    cachedPriorProvider: () => [N.staticPriorProvider(), new Map()],
    elicitationMessages: () => [N.migrainePriorRequest({ age: 34 }), ['age'], 0],
    ensemblePriorProvider: () => [[N.staticPriorProvider(), { id: 'second', elicit: (r: n1kit.PriorRequest) => N.staticPriorProvider().elicit(r) }], [0.5, 0.5], {}],
    migrainePriorRequest: () => [{ ageBand: '30-39' }, ['magnesium', 'riboflavin']],
    parseElicitedEffects: () => ['{"effects":{"mg":{"mean":-1.5,"sd":1}}}', ['mg']],
    priorCacheKey: () => ['static', req()],
    validatePopulationPrior: () => [x.prior, 'caller'],
    validatePriorRequest: () => [req(), 'caller'],
    planValidation: () => [x.ranking, { include: 0.2, confident: 0.9, maxArms: 2, control: 'placebo' }],
    rankCandidates: () => [x.prior, { betterIs: 'lower', rng: 'alice' }],
    simulateMigraineDiary: () => [x.plan.design!, { effects: { magnesium: -6 }, rng: 'diary' }],
    updatePersonalization: () => [x.plan, x.diary, {}],
    migrainePriorToLogOdds: () => [x.prior, { baselineDays: 12 }],
    applyAllocationControls: () => [{ a: 0.98, b: 0.02 }, { minProbability: 0.1 }, 50],
    gaussianBandit: () => [{ a: 0, b: 0.5 }, 1],
    linearBandit: () => [{ a: [0.1, 1], b: [0.1, -1] }, 0.5],
    offPolicyEvaluate: () => [[{ arm: 'a', reward: 1, propensity: 0.5 }, { arm: 'b', reward: 0, propensity: 0.5 }], { target: { a: 1, b: 0 } }],
    simulatePolicy: () => [N.bernoulliBandit({ a: 0.3, b: 0.6 }), N.thompsonSampling({ arms: ['a', 'b'], draws: 1 }), { horizon: 20, replicates: 2, seed: 1 }],
    minimizeFeatures: () => [{ age: 54, sex: 'f', name: 'Ada' }, ['age', 'sex']],
    projectFeatures: () => [{ age: 54, bmi: 27.1 }, { dimension: 2, seed: 'device', standardize: { age: { mean: 50, sd: 12 }, bmi: { mean: 26, sd: 4 } } }],
    plotDiary: () => [x.design, [{ day: 3, value: 1 }], {}],
    plotForest: () => [[{ id: 'magnesium', mean: -2.4, interval: [-4.1, -0.6] }], { lines: [{ x: 0, label: 'no effect' }] }],
    plotOutcomes: () => [x.design, [{ day: 3, value: 1 }], { outcome: 'pain' }],
    plotPlanningCurve: () => [[{ days: 84, power: 0.62 }, { days: 168, power: 0.83 }], { target: 0.8 }],
    plotPosterior: () => [{ effects: { A: { mean: -1, sd: 0.5 } } }, { thresholds: { A: 0.5 } }],
    plotPowerCurve: () => [x.trialPlan, {}],
    plotPriorPosterior: () => [[{ name: 'prior', x: [-1, 0, 1], density: [0.2, 0.4, 0.2] }], {}],
    plotRanking: () => [[{ id: 'a', probBest: 0.7 }, { id: 'b', probBest: 0.3 }], { threshold: 0.5 }],
    plotSchedule: () => [x.design, {}],
    learnedEffectPrior: () => [N.normal(-1.7, 1.3), { releases: x.releases }, {}],
    startPersonalizationFrom: () => [{ provider: N.staticPriorProvider(), request: req(), betterIs: 'lower', seed: 'bob' }, {}],
    parseTable: () => ['a,b\n1,2\n', {}],
    seriesFromTable: () => [x.seriesRows, { value: 'value' }],
    trialFromTable: () => [x.rows, { value: 'pain' }],
    trialToTable: () => [x.design, [{ day: 0, value: 5 }], {}],
    resolveScenario: () => [{ outcome: 'normal', baseline: 12, effects: { magnesium: -2 } }, 'caller', 'scenario'],
    simulateScenario: () => [x.design, { outcome: 'normal', baseline: 12, effects: { A: -2 }, sd: 3 }, 'alice'],
    resolveSimulationSpec: () => [x.spec, 'caller'],
    runSimulationShard: () => [x.shards[0]!, {}],
    simulateTrials: () => [x.spec, {}],
    simulationShards: () => [x.spec, 2],
    summarizeSimulation: () => [x.spec, x.partial],
    planTrial: () => [{ ...x.spec, search: { blocks: [1] }, target: { power: 0.5 } }, {}],
  };
}

async function callChecked(name: string, args: readonly unknown[]): Promise<void> {
  const f = (n1kit as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
  const shot = JSON.stringify(snapshot(args));
  const t0 = performance.now();
  let result: unknown;
  try {
    result = f(...args);
    if (result instanceof Promise) result = await settle(result, TIME_BOUND_MS);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('did not settle')) throw new Error(`${name} ${e.message}`);
    checkThrown(name, e);
    result = undefined;
  }
  const elapsed = performance.now() - t0;
  expect(elapsed, `${name} took ${elapsed} ms`).toBeLessThan(TIME_BOUND_MS);
  expect(JSON.stringify(snapshot(args)) === shot, `${name} mutated its input`).toBe(true);
  if (!MAY_BE_INFINITE.has(name)) expect(firstNonFinite(result, name), `${name} returned a non-finite number`).toBeUndefined();
}

describe('every root export, arbitrary later positional arguments (issue 15)', () => {
  let calls: Record<string, () => unknown[]> = {};
  beforeAll(async () => {
    calls = validCalls(await makeFixtures());
  }, 60_000);

  it('every export with two or more parameters has a valid call giving all of them, and it works', async () => {
    const missing: string[] = [];
    for (const name of functions) {
      const f = (n1kit as unknown as Record<string, (...a: never[]) => unknown>)[name]!;
      const k = declaredParams(f);
      if (k < 2) continue;
      const c = calls[name];
      if (c === undefined) {
        missing.push(name);
        continue;
      }
      expect(c().length, `${name}: the valid call gives every declared parameter`).toBe(k);
    }
    expect(missing).toEqual([]);
    for (const [name, c] of Object.entries(calls)) {
      const f = (n1kit as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
      try {
        await f(...c());
      } catch (e) {
        throw new Error(`the valid call of ${name} threw: ${String(e)}`);
      }
    }
  });

  it('every later positional argument of every export, given each hostile value in turn', async () => {
    const hostile: unknown[] = [
      null,
      undefined,
      Number.NaN,
      -1,
      2 ** 53 - 1,
      '',
      'x',
      [],
      sparse([1]),
      {},
      { zz: 1 },
      JSON.parse('{"__proto__": 1}'),
      throwingGetter(),
      { toString: 1, valueOf: 1 },
      Object.create(null),
      deep(1500),
    ];
    const failures: string[] = [];
    for (const name of Object.keys(calls).sort()) {
      const k = calls[name]!().length;
      for (let i = 1; i < k; i++) {
        for (const [j, h] of hostile.entries()) {
          const args = calls[name]!();
          args[i] = h;
          try {
            await callChecked(name, args);
          } catch (e) {
            failures.push(`${name} argument ${i} = hostile #${j}: ${String(e).slice(0, 160)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it(`one later argument arbitrary: finite data or a coded N1kitError, in time, no mutation (seed ${SEED}, ${RUNS_POSITIONAL} runs)`, async () => {
    const names = Object.keys(calls).sort();
    console.log(`positional property suite: seed ${SEED}, ${RUNS_POSITIONAL} runs over ${names.length} functions`);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.nat(), value, fc.option(value, { freq: 3 }), async (name, at, v, first) => {
        const args = calls[name]!();
        const i = 1 + (at % (args.length - 1));
        args[i] = v;
        // Now and then the first argument is arbitrary too, so that errors about it are raised
        // (and labelled with a caller or field name given later, if the function takes one).
        if (first !== null) args[0] = first;
        if (process.env.N1KIT_COLLECT) {
          try {
            await callChecked(name, args);
          } catch (e) {
            console.log(`FAIL ${name} arg ${i}: ${String(e).slice(0, 200)}`);
          }
          return;
        }
        await callChecked(name, args);
      }),
      { seed: SEED, numRuns: process.env.N1KIT_COLLECT ? Number(process.env.N1KIT_COLLECT) : RUNS_POSITIONAL, endOnFailure: true },
    );
  }, 120_000);
});
