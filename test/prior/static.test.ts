import { describe, expect, it } from 'vitest';
import { code } from '../helpers.js';
import {
  type PopulationPrior,
  type PriorProvider,
  type PriorRequest,
  type StaticPriorTable,
  cachedPriorProvider,
  ensemblePriorProvider,
  mean,
  migrainePriorRequest,
  normal,
  priorCacheKey,
  staticPriorProvider,
  validatePopulationPrior,
  validatePriorRequest,
  variance,
} from '../../src/index.js';
import { MIGRAINE_PRIOR_TABLE } from '../../src/demo.js';

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}


const table: StaticPriorTable = {
  id: 'tbl',
  scale: 'difference',
  outcome: 'pain score',
  entries: [
    { when: { age: { min: 65 } }, effects: { a: normal(-0.5, 1) } },
    { when: { comorbidity: ['asthma', 'copd'] }, effects: { b: normal(1, 2) } },
    { effects: { a: normal(-2, 1), b: normal(-1, 1) } },
  ],
};
const req = (features: Record<string, string | number | boolean>, ids = ['a', 'b']): PriorRequest => ({
  patient: { features },
  candidates: ids.map((id) => ({ id, label: id.toUpperCase() })),
  outcome: { name: 'Pain  Score', family: 'normal', betterIs: 'lower' },
});

describe('staticPriorProvider', () => {
  it('serves the embedded migraine table offline, with the poorSleep override', async () => {
    const p = staticPriorProvider();
    expect(p.id).toBe('static:migraine');
    const prior = await p.elicit(migrainePriorRequest({ ageBand: '30-39' }));
    expect(prior.scale).toBe('difference');
    expect(prior.source).toEqual({ provider: 'static:migraine' });
    expect(Object.keys(prior.effects)).toEqual(['magnesium', 'sleepRegularity', 'riboflavin', 'coenzymeQ10']);
    expect(prior.effects.magnesium).toEqual(MIGRAINE_PRIOR_TABLE.entries[1]!.effects.magnesium);
    const poor = await p.elicit(migrainePriorRequest({ poorSleep: true }));
    expect(poor.effects.sleepRegularity).toEqual(MIGRAINE_PRIOR_TABLE.entries[0]!.effects.sleepRegularity);
    expect(poor.effects.magnesium).toEqual(prior.effects.magnesium);
    // Plain data: survives JSON.
    expect(JSON.parse(JSON.stringify(prior))).toEqual(prior);
  });

  it('picks the first matching entry that lists the candidate (ranges, lists, defaults)', async () => {
    const p = staticPriorProvider(table);
    expect((await p.elicit(req({ age: 70 }))).effects).toEqual({ a: normal(-0.5, 1), b: normal(-1, 1) });
    expect((await p.elicit(req({ age: 40, comorbidity: 'copd' }))).effects).toEqual({ a: normal(-2, 1), b: normal(1, 2) });
    expect((await p.elicit(req({ age: '70' }))).effects.a).toEqual(normal(-2, 1)); // a string is not in a numeric range
    expect((await p.elicit(req({}))).effects).toEqual({ a: normal(-2, 1), b: normal(-1, 1) });
  });

  it('refuses unknown candidates, other outcomes and mismatched scales with a ProviderError', async () => {
    const p = staticPriorProvider(table);
    const e1 = await rejection(p.elicit(req({}, ['a', 'zzz'])));
    expect(e1.code).toBe('E_PROVIDER');
    expect(e1.message).toContain('"zzz"');
    const e2 = await rejection(p.elicit({ ...req({}), outcome: { name: 'sleep', family: 'normal', betterIs: 'lower' } }));
    expect(e2.code).toBe('E_PROVIDER');
    const e3 = await rejection(p.elicit({ ...req({}), outcome: { name: 'pain score', family: 'poisson', betterIs: 'lower' } }));
    expect(e3.message).toContain("'logRateRatio'");
    const withFallback = staticPriorProvider({ ...table, fallback: normal(0, 5) });
    expect((await withFallback.elicit(req({}, ['zzz']))).effects.zzz).toEqual(normal(0, 5));
    const e4 = await rejection(p.elicit(req({}), { signal: AbortSignal.abort() }));
    expect(e4.message).toContain('cancelled');
    // names inherited from Object.prototype are not table entries (nor feature values)
    const e5 = await rejection(p.elicit(req({}, ['toString'])));
    expect(e5.code).toBe('E_PROVIDER');
    expect((await withFallback.elicit(req({}, ['constructor']))).effects.constructor).toEqual(normal(0, 5));
    const inherited = staticPriorProvider({ scale: 'difference', entries: [{ when: { constructor: 'x' }, effects: { a: normal(1, 1) } }], fallback: normal(0, 5) });
    expect((await inherited.elicit(req({}, ['a']))).effects.a).toEqual(normal(0, 5));
  });

  it('rejects bad tables and bad requests with E_INVALID_ARGUMENT', async () => {
    expect(code(() => staticPriorProvider({ scale: 'difference', entries: [] }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => staticPriorProvider({ scale: 'ratio' as never, entries: [{ effects: { a: normal(0, 1) } }] }))).toBe(
      'E_INVALID_ARGUMENT',
    );
    expect(
      code(() => staticPriorProvider({ scale: 'difference', entries: [{ effects: { a: { family: 'normal', mean: 0, sd: -1 } } }] })),
    ).toBe('E_INVALID_ARGUMENT');
    expect(code(() => staticPriorProvider({ scale: 'difference', entries: [{ when: { x: {} }, effects: { a: normal(0, 1) } }] }))).toBe(
      'E_INVALID_ARGUMENT',
    );
    const e = await rejection(staticPriorProvider(table).elicit({ ...req({}), candidates: [{ id: 'a', label: 'A' }, { id: 'a', label: 'A' }] }));
    expect(e.code).toBe('E_INVALID_ARGUMENT');
    expect(code(() => validatePriorRequest({ ...req({ x: Number.NaN }) }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => migrainePriorRequest({}, ['aspirin']))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => validatePopulationPrior({ effects: {}, scale: 'difference', source: { provider: 'x' } }))).toBe('E_INVALID_ARGUMENT');
  });
});

describe('ensemblePriorProvider', () => {
  const t2: StaticPriorTable = { id: 'tbl2', scale: 'difference', entries: [{ effects: { a: normal(0, 2), b: normal(-3, 1) } }] };

  it('pools the providers as a weighted mixture (linear opinion pool)', async () => {
    const ens = ensemblePriorProvider([staticPriorProvider(table), staticPriorProvider(t2)], [3, 1]);
    expect(ens.id).toBe('ensemble(tbl,tbl2)');
    const prior = await ens.elicit(req({}));
    expect(prior.effects.a).toEqual({
      family: 'mixture',
      components: [
        { weight: 0.75, dist: normal(-2, 1) },
        { weight: 0.25, dist: normal(0, 2) },
      ],
    });
    // Closed form of a mixture: mean Σwμ = -1.5; variance Σw(σ²+μ²) − mean² = 0.75·5 + 0.25·4 − 2.25 = 2.5.
    expect(mean(prior.effects.a!)).toBeCloseTo(-1.5, 12);
    expect(variance(prior.effects.a!)).toBeCloseTo(2.5, 12);
    expect(prior.source).toEqual({ provider: 'ensemble(tbl,tbl2)', samples: 2 });
  });

  it('flattens nested mixtures and fails when one provider fails', async () => {
    const inner = ensemblePriorProvider([staticPriorProvider(table), staticPriorProvider(t2)]);
    const outer = ensemblePriorProvider([inner, staticPriorProvider({ ...t2, id: 'tbl3' })]);
    const prior = await outer.elicit(req({}));
    const a = prior.effects.a!;
    expect(a.family).toBe('mixture');
    if (a.family === 'mixture') expect(a.components.map((c) => c.weight)).toEqual([0.25, 0.25, 0.5]);
    const e = await rejection(outer.elicit(req({}, ['a', 'nope'])));
    expect(e.code).toBe('E_PROVIDER');
    expect(e.message).toContain('nope');
    expect(code(() => ensemblePriorProvider([]))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => ensemblePriorProvider([staticPriorProvider(table), staticPriorProvider(table)]))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => ensemblePriorProvider([staticPriorProvider(table)], [-1]))).toBe('E_INVALID_ARGUMENT');
  });
});

describe('ensemblePriorProvider with tolerateFailures', () => {
  const t2: StaticPriorTable = { id: 'tbl2', scale: 'difference', entries: [{ effects: { a: normal(0, 2), b: normal(-3, 1) } }] };
  const failing: PriorProvider = {
    id: 'down',
    async elicit(): Promise<PopulationPrior> {
      throw new Error('connection refused');
    },
  };

  it('leaves failed providers out and renormalises the weights', async () => {
    const ens = ensemblePriorProvider([staticPriorProvider(table), failing, staticPriorProvider(t2)], [1, 2, 1], {
      tolerateFailures: true,
    });
    const prior = await ens.elicit(req({}));
    expect(prior.source.provider).toBe('ensemble(tbl,tbl2)');
    expect(prior.effects.b).toEqual({
      family: 'mixture',
      components: [
        { weight: 0.5, dist: normal(-1, 1) },
        { weight: 0.5, dist: normal(-3, 1) },
      ],
    });
    const strict = ensemblePriorProvider([staticPriorProvider(table), failing]);
    const e = await rejection(strict.elicit(req({})));
    expect(e.code).toBe('E_PROVIDER');
    expect(e.message).toContain("provider 'down' failed: connection refused");
    const allDown = ensemblePriorProvider([failing], undefined, { tolerateFailures: true });
    expect((await rejection(allDown.elicit(req({})))).code).toBe('E_PROVIDER');
    expect(code(() => ensemblePriorProvider([failing], undefined, { tolerateFailures: 'yes' as never }))).toBe('E_INVALID_ARGUMENT');
  });
});

describe('cachedPriorProvider', () => {
  function counting(inner: PriorProvider): PriorProvider & { calls: number } {
    const c = {
      id: inner.id,
      calls: 0,
      async elicit(r: PriorRequest): Promise<PopulationPrior> {
        c.calls++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return inner.elicit(r);
      },
    };
    return c;
  }

  it('does not pay twice for the same request, shares concurrent calls, and returns copies', async () => {
    const inner = counting(staticPriorProvider(table));
    const cache = new Map<string, PopulationPrior>();
    const p = cachedPriorProvider(inner, cache);
    const [x, y] = await Promise.all([p.elicit(req({ age: 70 })), p.elicit(req({ age: 70 }))]);
    expect(inner.calls).toBe(1);
    expect(x).toEqual(y);
    // Same request with keys in another order: same key.
    const reordered: PriorRequest = {
      outcome: { betterIs: 'lower', family: 'normal', name: 'Pain  Score' },
      candidates: req({}).candidates,
      patient: { features: { age: 70 } },
    };
    expect(priorCacheKey('tbl', reordered)).toBe(priorCacheKey('tbl', req({ age: 70 })));
    (x.effects as Record<string, unknown>).a = 'mutated';
    expect((await p.elicit(reordered)).effects.a).toEqual(normal(-0.5, 1));
    expect(inner.calls).toBe(1);
    await p.elicit(req({ age: 40 }));
    expect(inner.calls).toBe(2);
    expect(cache.size).toBe(2);
  });

  it('does not cache failures', async () => {
    const inner = counting(staticPriorProvider(table));
    const p = cachedPriorProvider(inner);
    await rejection(p.elicit(req({}, ['zzz'])));
    await rejection(p.elicit(req({}, ['zzz'])));
    expect(inner.calls).toBe(2);
    expect(code(() => cachedPriorProvider({} as never))).toBe('E_INVALID_ARGUMENT');
  });
});
