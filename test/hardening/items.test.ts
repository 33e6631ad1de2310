// Issue 15: regression tests of the items not covered elsewhere — MCMC diagnostics and
// off-policy evaluation on bad or extreme input (finite data or a coded error), names that
// label errors, options objects, plot options, and non-convergence warnings (item 13) on the
// result and in the command's output.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/main.js';
import {
  analyzeSeries,
  createEncryptedStore,
  createMemoryBackend,
  designTrial,
  essBulk,
  essTail,
  offPolicyEvaluate,
  planTrial,
  plotDiary,
  plotForest,
  plotOutcomes,
  plotRanking,
  plotSchedule,
  resolveScenario,
  resolveSimulationSpec,
  runSimulationShard,
  simulateTrials,
  simulationShards,
  splitRhat,
  startPersonalizationFrom,
  staticPriorProvider,
  migrainePriorRequest,
  normal,
  validateDesign,
  validateDist,
  validatePopulationPrior,
  validatePriorRequest,
} from '../../src/index.js';

const INVALID = 'E_INVALID_ARGUMENT';
/** `xs` with a hole at `at` (a sparse array, as `[a, , b]` makes). */
function holes<T>(xs: T[], at: number): T[] {
  const out = [...xs];
  delete out[at];
  return out;
}
function caught(f: () => unknown): { code?: string; fn?: string; field?: string; value?: unknown; message: string } | undefined {
  try {
    f();
  } catch (e) {
    return e as { code?: string; fn?: string; field?: string; value?: unknown; message: string };
  }
  return undefined;
}
async function caughtAsync(p: () => Promise<unknown>): Promise<{ code?: string; field?: string; message: string } | undefined> {
  try {
    await p();
  } catch (e) {
    return e as { code?: string; field?: string; message: string };
  }
  return undefined;
}

describe('essBulk, essTail, splitRhat validate their chains (brief item 1)', () => {
  const good = [
    [0.1, -0.4, 1.2, 0.3, -0.8, 0.5],
    [0.9, -1.1, 0.2, 0.6, -0.3, 0.0],
  ];
  const cases: [string, unknown, string][] = [
    ['not an array', null, 'chains'],
    ['no chains', [], 'chains'],
    ['a chain that is not an array', [null], 'chains[0]'],
    ['a chain that is a string', ['abcdef'], 'chains[0]'],
    ['a hole among the chains', holes([good[0], [], good[1]], 1), 'chains[1]'],
    ['a hole inside a chain', [holes([1, 2, 3, 4, 5], 2)], 'chains[0][2]'],
    ['too few draws', [[1, 2, 3]], 'chains[0]'],
    ['ragged chains', [good[0], [1, 2, 3, 4]], 'chains[1]'],
    ['NaN', [[1, 2, 3, Number.NaN]], 'chains[0][3]'],
    ['Infinity', [[1, 2, 3, Number.POSITIVE_INFINITY]], 'chains[0][3]'],
    ['a string draw', [[1, 2, 3, '4']], 'chains[0][3]'],
  ];
  for (const f of [essBulk, essTail, splitRhat]) {
    for (const [what, chains, field] of cases) {
      it(`${f.name}: ${what} is a ValidationError naming ${field} (was a TypeError or NaN)`, () => {
        const e = caught(() => f(chains as never));
        expect(e?.code).toBe(INVALID);
        expect(e?.fn).toBe(f.name);
        expect(e?.field).toBe(field);
        expect(e?.message.startsWith(`${f.name}: \`${field}\``)).toBe(true);
      });
    }
  }

  it('more than 10,000,000 draws in all are refused before any work', () => {
    // 3 chains of 4e6 (not filled: the size is refused first)
    const big = [0, 1, 2].map(() => new Float64Array(4_000_000));
    const t0 = performance.now();
    expect(caught(() => essBulk(big))?.code).toBe(INVALID);
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('constant draws: R-hat and ESS are undefined (posterior gives NA), so a coded error, never NaN', () => {
    for (const f of [essBulk, essTail, splitRhat]) expect(caught(() => f([[2, 2, 2, 2], [2, 2, 2, 2]]))?.code).toBe(INVALID);
    // every split half-chain constant but the halves differ: the within-chain variance is 0
    expect(caught(() => splitRhat([[0, 0, 1, 1]]))?.code).toBe(INVALID);
    // 94 distinct draws and 6 tied at the maximum: x ≤ q95 holds for every draw, so the tail ESS
    // is undefined (posterior::ess_tail is NA), while the bulk ESS and R-hat are defined
    const tied = [Array.from({ length: 94 }, (_, i) => i).concat([100, 100, 100, 100, 100, 100])];
    expect(caught(() => essTail(tied))?.code).toBe(INVALID);
    expect(Number.isFinite(essBulk(tied))).toBe(true);
    expect(Number.isFinite(splitRhat(tied))).toBe(true);
  });

  it('Float64Array chains are accepted and give the same values as arrays', () => {
    const typed = good.map((c) => Float64Array.from(c));
    expect(essBulk(typed)).toBe(essBulk(good));
    expect(essTail(typed)).toBe(essTail(good));
    expect(splitRhat(typed)).toBe(splitRhat(good));
  });
});

describe('offPolicyEvaluate returns finite data or a coded error (brief item 2)', () => {
  it('a propensity so small that the importance weight overflows is refused, naming it', () => {
    const e = caught(() =>
      offPolicyEvaluate(
        [
          { arm: 'a', reward: 1, propensity: 1e-320 },
          { arm: 'b', reward: 0, propensity: 0.5 },
        ],
        { target: { a: 1, b: 0 } },
      ),
    );
    expect(e?.code).toBe(INVALID);
    expect(e?.field).toBe('logs[0].propensity');
  });

  it('weights of 1e160 (squares overflow) still give finite SNIPS, ESS and intervals: the closed forms', () => {
    const r = offPolicyEvaluate(
      [
        { arm: 'a', reward: 1, propensity: 1e-160 },
        { arm: 'a', reward: 0, propensity: 1e-160 },
      ],
      { target: { a: 1 }, rewardModel: () => 0 },
    );
    // w = 1e160 for both: SNIPS = Σwr/Σw = 1/2; Kish ESS = (Σw)²/Σw² = 2; IPS = (1e160 + 0)/2,
    // with sample sd 1e160/√2 of the terms, so se = sd/√2 = 5e159 (likewise DR with r̂ = 0).
    expect(r.snips?.estimate).toBe(0.5);
    expect(r.snips?.se).toBeCloseTo(Math.SQRT1_2 / 2, 15);
    expect(r.effectiveSampleSize).toBe(2);
    expect(r.ips.estimate).toBe(5e159);
    expect(r.ips.se / 5e159).toBeCloseTo(1, 12);
    expect(r.maxWeight).toBe(1e160);
    expect(JSON.stringify(r)).not.toContain('null');
  });

  it('weighted rewards beyond a double are refused, never ±Infinity', () => {
    const e = caught(() =>
      offPolicyEvaluate(
        [
          { arm: 'a', reward: 1e300, propensity: 1e-10 },
          { arm: 'b', reward: 0, propensity: 0.5 },
        ],
        { target: { a: 1, b: 0 } },
      ),
    );
    expect(e?.code).toBe(INVALID);
    expect(e?.field).toBe('logs');
    expect(e?.message).toMatch(/overflows a double/);
  });

  it('SNIPS is null (documented) when no logged decision has positive target probability; no Infinity', () => {
    const r = offPolicyEvaluate([{ arm: 'a', reward: 1, propensity: 0.5 }], { target: { a: 0, b: 1 }, rewardModel: () => 0.25 });
    expect(r.snips).toBeNull();
    expect(r.effectiveSampleSize).toBe(0);
    expect(r.ips.estimate).toBe(0);
    expect(r.dr.estimate).toBe(0.25); // Σₐ π(a) r̂ = 1 · 0.25, and w = 0
  });

  it('misspelt options, holes and a __proto__ arm are handled like everywhere else', () => {
    const logs = [{ arm: 'a', reward: 1, propensity: 0.5 }];
    expect(caught(() => offPolicyEvaluate(logs, { target: { a: 1 }, lamda: 1 } as never))?.field).toBe('options.lamda');
    expect(caught(() => offPolicyEvaluate(holes([logs[0]!, logs[0]!, logs[0]!], 1), { target: { a: 1 } }))?.field).toBe('logs[1]');
    const target = JSON.parse('{"__proto__": 0.5, "b": 0.5}');
    const r = offPolicyEvaluate(
      [
        { arm: '__proto__', reward: 1, propensity: 0.5 },
        { arm: 'b', reward: 0, propensity: 0.5 },
      ],
      { target, rewardModel: () => 0 },
    );
    expect(r.ips.estimate).toBe(0.5); // weights 1 and 1: (1 + 0)/2
  });
});

describe('names that only label errors are ignored unless they are names (brief item 3)', () => {
  const hostile = [{ toString: 1, valueOf: 1 }, Object.create(null), Symbol('s'), 12, ''];
  it.each(hostile.map((h, i) => [i, h]))('hostile name #%i: a coded error with the default name, never a TypeError', (_, h) => {
    const checks: [() => unknown, string][] = [
      [() => resolveScenario({ outcome: 'normal', baseline: 12, effects: {}, sd: -1 }, h as never), 'resolveScenario'],
      [() => resolveScenario({ outcome: 'normal', baseline: 12, effects: {}, sd: -1 }, 'caller', h as never), 'caller'],
      [() => resolveSimulationSpec({} as never, h as never), 'simulateTrials'],
      [() => validateDist({ family: 'normal', mean: 0, sd: -1 }, h as never), 'validateDist'],
      [() => validateDist({ family: 'normal', mean: 0, sd: -1 }, 'caller', h as never), 'caller'],
      [() => validateDesign({}, h), 'validateDesign'],
      [() => validatePopulationPrior({}, h as never), 'validatePopulationPrior'],
      [() => validatePriorRequest({}, h as never), 'validatePriorRequest'],
    ];
    for (const [f, fn] of checks) {
      const e = caught(f);
      expect(e?.code).toBe(INVALID);
      expect(e?.fn).toBe(fn);
    }
  });

  it('a name that is a string is used as given', () => {
    expect(caught(() => resolveScenario({ outcome: 'normal', baseline: 12, effects: {}, sd: -1 }, 'planTrial', 'spec.scenario'))?.message).toMatch(/^planTrial: `spec\.scenario\.sd`/);
  });
});

describe('options objects: null, getters and misspelt keys are refused at the entry (brief item 3)', () => {
  const spec = {
    design: { treatments: ['drug', 'placebo'], blocks: 1, periodDays: 7 },
    scenario: { outcome: 'normal' as const, baseline: 10, effects: { drug: -1 }, sd: 3 },
    analysis: { reference: 'placebo', betterIs: 'lower' as const, model: { sigma: 3 } },
    replicates: 2,
    seed: 'p',
  };
  const getter = Object.defineProperty({}, 'workers', {
    enumerable: true,
    get() {
      throw new Error('read');
    },
  });
  it('simulateTrials, planTrial, runSimulationShard, startPersonalizationFrom (were TypeErrors on null)', async () => {
    const shard = simulationShards(spec, 2)[0]!;
    const plan = { ...spec, search: { blocks: [1] }, target: { power: 0.5 } };
    const from = { provider: staticPriorProvider(), request: migrainePriorRequest(), betterIs: 'lower' as const, seed: 'b' };
    for (const [k, bad] of [null, 5, [], getter, { wrokers: 2 }, { signal: { aborted: true, reason: 'x' } }].entries()) {
      for (const [name, p] of [
        ['simulateTrials', () => simulateTrials(spec, bad as never)],
        ['planTrial', () => planTrial(plan, bad as never)],
        ['runSimulationShard', () => runSimulationShard(shard, bad as never)],
        ['startPersonalizationFrom', () => startPersonalizationFrom(from, bad as never)],
      ] as const) {
        const e = await caughtAsync(p);
        expect(e?.code, `${name}, bad options #${k}`).toBe(INVALID);
      }
    }
    // undefined and {} are every default
    expect((await simulateTrials(spec, {})).replicates).toBe(2);
    expect((await runSimulationShard(shard, undefined)).ranges).toEqual([[0, 2]]);
  });

  it('plot options are checked by one function for every plot', () => {
    const design = designTrial({ treatments: ['A', 'B'], blocks: 1, periodDays: 7, seed: 1 });
    const calls: [string, (o: unknown) => unknown][] = [
      ['plotSchedule', (o) => plotSchedule(design, o as never)],
      ['plotOutcomes', (o) => plotOutcomes(design, [{ day: 1, value: 2 }], o as never)],
      ['plotRanking', (o) => plotRanking([{ id: 'a', probBest: 1 }], o as never)],
      ['plotDiary', (o) => plotDiary(design, [{ day: 1, value: 2 }], o as never)],
      ['plotForest', (o) => plotForest([{ id: 'a', mean: 0, interval: [-1, 1] }], o as never)],
    ];
    for (const [name, f] of calls) {
      for (const [bad, field] of [
        [null, 'options'],
        [{ treatments: 5 }, 'options.treatments'],
        [{ treatments: ['A', 7] }, 'options.treatments[1]'],
        [{ width: -1 }, 'options.width'],
        [{ title: { toString: 1 } }, 'options.title'],
        [{ titel: 'x' }, 'options.titel'],
      ] as const) {
        const e = caught(() => f(bad));
        expect(e?.code, `${name}(${JSON.stringify(bad)})`).toBe(INVALID);
        expect(e?.fn).toBe(name);
        expect(e?.field).toBe(field);
      }
      expect(caught(() => f({ title: 'T', width: 300, treatments: ['B', 'A'] }))).toBeUndefined();
    }
    expect(caught(() => plotOutcomes(design, [null] as never))?.field).toBe('observations[0]');
  });
});

describe('non-convergence is said where a reader looks (item 13)', () => {
  const trials = [-1.5, -1, -0.5].map((effect, j) => {
    const design = designTrial({ treatments: ['drug', 'placebo'], blocks: 2, periodDays: 7, seed: j });
    const observations = design.periods.flatMap((p) => [0, 1, 2, 3, 4, 5, 6].map((d) => ({ day: p.startDay + d, value: 5 + (p.treatment === 'drug' ? effect : 0) + ((d % 3) - 1) })));
    return { id: `p${j}`, design, observations };
  });
  const input = { trials, outcome: 'normal' as const, reference: 'placebo', betterIs: 'lower' as const, priors: { populationEffects: { drug: normal(0, 2) } } };

  it('analyzeSeries: result.warnings names the failed diagnostics when strict is off, and is empty when they pass', () => {
    const bad = analyzeSeries({ ...input, mcmc: { chains: 2, draws: 20, warmup: 10, minEss: 1e6 } });
    expect(bad.diagnostics.converged).toBe(false);
    expect(bad.warnings).toHaveLength(1);
    expect(bad.warnings![0]).toMatch(/did not converge/);
    expect(bad.warnings![0]).toContain(bad.diagnostics.reasons[0]!);
  });

  it('`n1kit analyze` prints the warning on stderr and keeps it in the JSON output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'n1kit-warn-'));
    const design = designTrial({ treatments: ['A', 'B'], blocks: 2, periodDays: 7, seed: 1 });
    const observations = design.periods.flatMap((p) => [0, 1, 2, 3, 4, 5, 6].map((d) => ({ day: p.startDay + d, value: (p.treatment === 'A' ? 3 : 4) + ((d % 3) - 1) })));
    const file = join(dir, 'input.json');
    writeFileSync(file, JSON.stringify({ design, observations, outcome: 'normal', reference: 'B', betterIs: 'lower', mcmc: { draws: 20, warmup: 0, minEss: 1e6 } }));
    let stderr = '';
    let stdout = '';
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      stderr += String(s);
      return true;
    });
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      stdout += String(s);
      return true;
    });
    let code: number;
    try {
      code = await run(['analyze', file, '--json']);
    } finally {
      e.mockRestore();
      o.mockRestore();
    }
    expect(code).toBe(0);
    expect(stderr).toMatch(/^n1kit: warning: the sampler did not converge/m);
    const out = JSON.parse(stdout) as { warnings: string[]; diagnostics: { converged: boolean } };
    expect(out.diagnostics.converged).toBe(false);
    expect(out.warnings[0]).toMatch(/did not converge/);
  });
});

describe('store hygiene: trailing NULs (item 14, the path not covered in test/privacy/hardening.test.ts)', () => {
  it('importBackup refuses a passphrase with a trailing NUL instead of deriving the key of the passphrase without it', async () => {
    const kdf = { iterations: 1000 };
    const store = await createEncryptedStore({ backend: createMemoryBackend(), passphrase: 'pw-one', kdf });
    await store.put('a', { pain: 3 });
    const backup = await store.exportBackup();
    const other = await createEncryptedStore({ backend: createMemoryBackend(), passphrase: 'pw-two', kdf });
    const e = await caughtAsync(() => other.importBackup(backup, { passphrase: 'pw-one\u0000' }));
    expect(e?.code).toBe(INVALID);
    expect(e?.message).not.toContain('pw-one');
    expect(await other.list()).toEqual([]);
    expect((await other.importBackup(backup, { passphrase: 'pw-one' })).imported).toBe(1);
    expect(await other.get('a')).toEqual({ pain: 3 });
  });
});

describe('n1kit/node simulateTrials and planTrial check their options before reading them (brief item 3)', () => {
  it('null, a getter or a bad workerUrl reject with a coded error (were TypeErrors)', async () => {
    const node = await import('../../src/node.js');
    const spec = {
      design: { treatments: ['drug', 'placebo'], blocks: 1, periodDays: 7 },
      scenario: { outcome: 'normal' as const, baseline: 10, effects: { drug: -1 }, sd: 3 },
      analysis: { reference: 'placebo', betterIs: 'lower' as const, model: { sigma: 3 } },
      replicates: 2,
      seed: 'p',
    };
    const getter = Object.defineProperty({}, 'workerUrl', {
      enumerable: true,
      get() {
        throw new Error('read');
      },
    });
    for (const bad of [null, 7, getter, { workerUrl: 5 }, { wrokers: 2 }]) {
      expect((await caughtAsync(() => node.simulateTrials(spec, bad as never)))?.code).toBe(INVALID);
      expect((await caughtAsync(() => node.planTrial({ ...spec, search: { blocks: [1] }, target: { power: 0.5 } }, bad as never)))?.code).toBe(INVALID);
    }
    expect((await node.simulateTrials(spec)).replicates).toBe(2);
  });
});
