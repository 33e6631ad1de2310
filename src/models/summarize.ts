/**
 * Summaries of posterior draws and MCMC diagnostics shared by the trial and series models.
 *
 * @packageDocumentation
 */
import { addArgmaxShare } from '../bayes/argmax.js';
import { ConvergenceError } from '../errors.js';
import type { DrawWorkspace } from './diagnostics.js';
import { argsortInPlace, clearWorkspace, diagnoseRaw, drawWorkspace, keepSortedDraws, releaseSortedDraws, sortedDrawsBuffers, sortedQuantile, takeSortedDraws } from './diagnostics.js';
import type { EffectSummary, McmcDiagnostics, ParameterDiagnostics, SamplerInfo } from './types.js';

/** Summary of draws of one effect. @internal */
export function summarizeDraws(
  x: Float64Array,
  betterIs: 'higher' | 'lower',
  natural?: Float64Array,
  threshold?: number,
  ws: DrawWorkspace = drawWorkspace(),
): EffectSummary {
  const n = x.length;
  const higher = betterIs === 'higher';
  let mean = 0;
  let m2 = 0;
  let better = 0;
  let nan = false;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    const dlt = v - mean;
    mean += dlt / (i + 1);
    m2 += dlt * (v - mean);
    if (higher ? v > 0 : v < 0) better++;
    else if (Number.isNaN(v)) nan = true;
  }
  // The sort of these draws: the one their diagnostics made if it is still kept, else an
  // argsort kept in turn for diagnostics read later (NaN draws: the native sort, NaN last).
  let median: number;
  let lo: number;
  let hi: number;
  if (nan || n === 0) {
    const sorted = x.slice().sort();
    median = sortedQuantile(sorted, 0.5);
    lo = sortedQuantile(sorted, 0.025);
    hi = sortedQuantile(sorted, 0.975);
  } else {
    let k = takeSortedDraws(ws, x);
    const hit = k !== undefined;
    if (k === undefined) {
      k = sortedDrawsBuffers(ws, n);
      k.sorted.set(x);
      const idx = k.idx;
      for (let i = 0; i < n; i++) idx[i] = i;
      argsortInPlace(k.sorted, idx, ws);
    }
    median = sortedQuantile(k.sorted, 0.5);
    lo = sortedQuantile(k.sorted, 0.025);
    hi = sortedQuantile(k.sorted, 0.975);
    if (hit) releaseSortedDraws(ws, k);
    else keepSortedDraws(ws, k);
  }
  const s: { -readonly [K in keyof EffectSummary]: EffectSummary[K] } = {
    mean,
    sd: Math.sqrt(m2 / Math.max(1, n - 1)),
    median,
    interval: [lo, hi],
    probBetter: better / n,
  };
  if (threshold !== undefined && natural !== undefined) {
    const t = Math.abs(threshold);
    let c = 0;
    for (let i = 0; i < n; i++) {
      const v = natural[i] as number;
      if (betterIs === 'higher' ? v >= t : v <= -t) c++;
    }
    s.probClinicallyBetter = c / n;
  }
  return s;
}

/** P(best) from per-arm draws (row i of each arm's array is one joint draw). @internal */
export function probBestFromDraws(
  arms: readonly string[],
  values: readonly Float64Array[],
  betterIs: 'higher' | 'lower',
): Record<string, number> {
  const k = arms.length;
  const n = (values[0] as Float64Array).length;
  const counts = new Float64Array(k);
  const row = new Float64Array(k);
  const sign = betterIs === 'higher' ? 1 : -1;
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) row[a] = (values[a] as Float64Array)[i] as number;
    addArgmaxShare(row, 0, 1, k, sign, counts);
  }
  const out: Record<string, number> = {};
  arms.forEach((a, i) => {
    out[a] = (counts[i] as number) / n;
  });
  return out;
}

/** Column `col` of each chain's row-major draws. @internal */
export function chainColumn(chains: readonly Float64Array[], width: number, col: number): Float64Array[] {
  return chains.map((c) => {
    const n = c.length / width;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = c[i * width + col] as number;
    return out;
  });
}

/** Concatenates chains. @internal */
export function concat(chains: readonly Float64Array[]): Float64Array {
  let n = 0;
  for (const c of chains) n += c.length;
  const out = new Float64Array(n);
  let o = 0;
  for (const c of chains) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function allFinite(chains: readonly Float64Array[]): boolean {
  for (const c of chains) for (let i = 0; i < c.length; i++) if (!Number.isFinite(c[i] as number)) return false;
  return true;
}

/**
 * Builds the diagnostics record and applies the strict option. What every result reports (the
 * effects' R-hat and ESS) is computed at once; the other parameters' entries of `parameters`,
 * and `converged` / `reasons` (which need every parameter), are computed when first read and
 * then kept (enumerable getters, so spreading, `JSON.stringify` and `structuredClone` see plain
 * values). With `strict` everything is computed at once, to throw before returning.
 * @internal
 */
export function buildDiagnostics(
  fn: string,
  params: Record<string, Float64Array[]>,
  effectKeys: Record<string, string>,
  o: { chains: number; draws: number; warmup: number; maxRhat: number; minEss: number; strict: boolean; sampler?: SamplerInfo },
  ws: DrawWorkspace = drawWorkspace(),
): McmcDiagnostics {
  const cache = new Map<string, { dg: ParameterDiagnostics; reasons: string[] }>();
  const diagnoseOne = (name: string): { dg: ParameterDiagnostics; reasons: string[] } => {
    const hit = cache.get(name);
    if (hit !== undefined) return hit;
    const chains = params[name] as Float64Array[];
    const reasons: string[] = [];
    let dg: ParameterDiagnostics;
    // A sampler that produced NaN or ±Infinity has failed: say so rather than rank-normalising
    // the bad values into finite-looking diagnostics (NaN would sort anywhere).
    if (!allFinite(chains)) {
      dg = { rhat: Number.NaN, essBulk: Number.NaN, essTail: Number.NaN };
      reasons.push(`${name}: non-finite draws`);
    } else {
      dg = diagnoseRaw(chains, false, ws);
      // A constant (e.g. a fixed value) has NaN diagnostics: nothing to diagnose.
      if (!Number.isNaN(dg.rhat)) {
        if (!(dg.rhat <= o.maxRhat)) reasons.push(`${name}: R-hat ${dg.rhat.toFixed(3)} > ${o.maxRhat}`);
        if (!(dg.essBulk >= o.minEss)) reasons.push(`${name}: bulk ESS ${Math.round(dg.essBulk)} < ${o.minEss}`);
        if (!(dg.essTail >= o.minEss)) reasons.push(`${name}: tail ESS ${Math.round(dg.essTail)} < ${o.minEss}`);
      }
    }
    const out = { dg, reasons };
    cache.set(name, out);
    // Every parameter diagnosed: the analysis's scratch and kept sorts are no longer needed.
    if (cache.size === names.length) clearWorkspace(ws);
    return out;
  };
  const names = Object.keys(params);
  const parameters: Record<string, ParameterDiagnostics> = {};
  for (const name of names) {
    Object.defineProperty(parameters, name, {
      enumerable: true,
      configurable: true,
      get: () => diagnoseOne(name).dg,
    });
  }
  let allReasons: string[] | undefined;
  const reasonsOf = (): string[] => {
    if (allReasons === undefined) {
      allReasons = [];
      for (const name of names) allReasons.push(...diagnoseOne(name).reasons);
    }
    return allReasons;
  };
  const rhat: Record<string, number> = {};
  const ess: Record<string, number> = {};
  for (const [treatment, key] of Object.entries(effectKeys)) {
    const dg = diagnoseOne(key).dg;
    rhat[treatment] = dg.rhat;
    ess[treatment] = Math.min(dg.essBulk, dg.essTail);
  }
  if (o.strict && reasonsOf().length > 0) {
    throw new ConvergenceError(`${fn}: the sampler did not converge (${reasonsOf().join('; ')})`, {
      fn,
      field: 'mcmc',
      value: { rhat, ess },
    });
  }
  const diagnostics = {
    rhat,
    ess,
    parameters,
    chains: o.chains,
    draws: o.draws,
    warmup: o.warmup,
    ...(o.sampler ? { sampler: o.sampler } : {}),
  } as unknown as { -readonly [K in keyof McmcDiagnostics]: McmcDiagnostics[K] };
  Object.defineProperty(diagnostics, 'converged', { enumerable: true, configurable: true, get: () => reasonsOf().length === 0 });
  Object.defineProperty(diagnostics, 'reasons', { enumerable: true, configurable: true, get: () => reasonsOf() });
  return diagnostics;
}
