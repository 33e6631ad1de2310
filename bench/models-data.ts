/**
 * Data for the large-series benchmark cases (bench/models.bench.ts, bench/models-compare.ts).
 */
import type { TrialDesign } from '../src/design/types.js';
import type { AnalyzeSeriesInput } from '../src/models/index.js';
import { createRng } from '../src/rng/index.js';
import type { Rng } from '../src/rng/index.js';

/**
 * A large series (issue 12): `patients` patients, 2 arms, 4 periods of 7 days, a normal
 * outcome with patient-specific levels, effects and noise; also a Poisson series of the same
 * shape. Data from a fixed seed, so every run times the same work.
 */
export function bigSeries(patients: number, outcome: 'normal' | 'poisson'): AnalyzeSeriesInput {
  const rng = createRng(`big-series-${patients}`);
  const trials = Array.from({ length: patients }, (_, j) => {
    const order = j % 2 === 0 ? ['drug', 'placebo', 'placebo', 'drug'] : ['placebo', 'drug', 'drug', 'placebo'];
    const design = fixedSeriesDesign(order);
    const eff = -1 + 0.5 * rng.normal();
    const level = outcome === 'normal' ? 5 + 2 * rng.normal() : Math.log(3) + 0.3 * rng.normal();
    const sd = 0.8 + 0.8 * rng.uniform();
    const observations = design.periods.flatMap((p) =>
      Array.from({ length: 7 }, (_, d) => {
        const m = level + (p.treatment === 'drug' ? (outcome === 'normal' ? eff : 0.3 * eff) : 0);
        const value = outcome === 'normal' ? m + sd * rng.normal() : poissonDraw(rng, Math.exp(m));
        return { day: p.startDay + d, value };
      }),
    );
    return { id: `p${j}`, design, observations };
  });
  return {
    trials,
    outcome,
    reference: 'placebo',
    betterIs: 'lower',
    priors: { populationEffects: { drug: { family: 'normal', mean: 0, sd: 2 } } },
  };
}

/** Knuth's multiplication method (small means only). */
function poissonDraw(rng: Rng, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0;
  let p = rng.uniform();
  while (p > l) {
    k++;
    p *= rng.uniform();
  }
  return k;
}

function fixedSeriesDesign(order: string[]): TrialDesign {
  return {
    treatments: ['drug', 'placebo'],
    randomization: 'fixed',
    seed: 0,
    periodDays: 7,
    washoutDays: 0,
    runInDays: 0,
    totalDays: 28,
    periods: order.map((treatment, i) => ({
      index: i,
      block: Math.floor(i / 2),
      treatment,
      startDay: 7 * i,
      endDay: 7 * i + 6,
      washoutEndDay: 7 * i - 1,
    })),
  } as unknown as TrialDesign;
}

