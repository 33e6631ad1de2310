/**
 * Lazily computed diagnostics: the entries computed on first read equal what the public
 * estimators (essBulk, essTail, splitRhat; checked against the R package `posterior` in
 * diagnostics.test.ts) give on the same draws, `converged`/`reasons` follow the documented
 * rule, and the lazy record serialises like a plain one.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeTrial, essBulk, essTail, splitRhat } from '../../src/models/index.js';
import type { AnalyzeTrialInput } from '../../src/models/index.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/models.json', import.meta.url), 'utf8')) as Record<string, { input: AnalyzeTrialInput }>;

describe('lazy diagnostics', () => {
  const chains = 3;
  const draws = 300;
  const r = analyzeTrial({ ...fx.normal!.input, mcmc: { chains, draws, warmup: 100, seed: 'lazy', keepDraws: true } });
  const byChain = (xs: readonly number[]): number[][] => Array.from({ length: chains }, (_, c) => xs.slice(c * draws, (c + 1) * draws));
  it('parameters read later equal the public estimators on the kept draws', () => {
    const d = r.diagnostics!;
    const sigma = byChain(r.draws!.sigma!);
    expect(d.parameters.sigma!.rhat).toBe(splitRhat(sigma));
    expect(d.parameters.sigma!.essBulk).toBe(essBulk(sigma));
    expect(d.parameters.sigma!.essTail).toBe(essTail(sigma));
    const mg = byChain(r.draws!.effects.magnesium!);
    expect(d.ess.magnesium).toBe(Math.min(essBulk(mg), essTail(mg)));
    expect(d.rhat.magnesium).toBe(splitRhat(mg));
  });
  it('converged and reasons apply the rule to every parameter; JSON sees plain values', () => {
    const d = r.diagnostics!;
    const minEss = 100 * chains;
    let ok = true;
    for (const p of Object.values(d.parameters)) if (!(p.rhat <= 1.01 && p.essBulk >= minEss && p.essTail >= minEss)) ok = false;
    expect(d.converged).toBe(ok);
    expect(d.reasons.length === 0).toBe(ok);
    const j = JSON.parse(JSON.stringify(d)) as { parameters: Record<string, { essBulk: number }>; converged: boolean };
    expect(Object.keys(j.parameters).sort()).toEqual(['effect[magnesium]', 'effect[sleep]', 'intercept', 'sigma']);
    expect(j.parameters.intercept!.essBulk).toBe(d.parameters.intercept!.essBulk);
    expect(j.converged).toBe(ok);
    expect(structuredClone(d).parameters.sigma!.rhat).toBe(d.parameters.sigma!.rhat);
  });
  it('a too short run is reported as not converged, and strict throws', () => {
    const short = analyzeTrial({ ...fx.ar1!.input, mcmc: { chains: 2, draws: 20, warmup: 0, seed: 3, minEss: 1e6 } });
    expect(short.diagnostics!.converged).toBe(false);
    expect(short.diagnostics!.reasons.some((x) => /ESS/.test(x))).toBe(true);
    expect(() => analyzeTrial({ ...fx.ar1!.input, mcmc: { chains: 2, draws: 20, warmup: 0, seed: 3, minEss: 1e6, strict: true } })).toThrow(/did not converge/);
  });
});
