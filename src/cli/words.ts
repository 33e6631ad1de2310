/**
 * Plain-words helpers of the `n1kit` command: readable summaries of (mixture) priors, warnings
 * about a design's carryover balance and long runs, and `key=value` feature lists.
 */
import type { Dist } from '../distributions/index.js';
import { mean, quantile, variance } from '../distributions/index.js';
import type { TrialDesign } from '../design/types.js';
import { williamsSquare } from '../design/williams.js';
import { ValidationError } from '../errors.js';

const num = (x: number): string => (Math.abs(x) < 0.005 ? '0' : Math.abs(x) >= 1000 ? x.toExponential(2) : x.toFixed(2));

/** One prior in words: mean, sd, 95% interval and, for a mixture, its number of components. */
export function distSummary(d: Dist): { family: string; mean: string; sd: string; interval: string; components: number } {
  const components = d.family === 'mixture' ? d.components.length : 1;
  return {
    family: d.family === 'mixture' ? `mixture of ${components}` : d.family,
    mean: num(mean(d)),
    sd: num(Math.sqrt(variance(d))),
    interval: `[${num(quantile(d, 0.025))}, ${num(quantile(d, 0.975))}]`,
    components,
  };
}

/**
 * Warnings a clinician should see before running a design: a Williams design whose number of
 * blocks is not a whole number of squares (k rows for an even number of treatments k, 2k for
 * odd k) is not balanced for first-order carryover; a treatment given in consecutive periods
 * runs longer than one period, so carryover and period effects mix with its effect.
 *
 * @see Williams (1949), Experimental designs balanced for the estimation of residual effects of
 *   treatments, Australian Journal of Scientific Research A 2:149–168.
 */
export function designWarnings(design: TrialDesign): string[] {
  const out: string[] = [];
  const k = design.treatments.length;
  const blocks = Math.round(design.periods.length / k);
  if (design.randomization === 'williams') {
    const size = williamsSquare(k).length;
    if (blocks % size !== 0) {
      out.push(
        `a Williams design for ${k} treatments is balanced for first-order carryover only with a multiple of ${size} blocks; ${blocks} block${blocks === 1 ? '' : 's'} leave${blocks === 1 ? 's' : ''} it unbalanced (use --blocks ${Math.ceil(blocks / size) * size})`,
      );
    }
  }
  const ps = design.periods;
  for (let i = 0; i < ps.length; ) {
    let j = i;
    while (j + 1 < ps.length && ps[j + 1]?.treatment === ps[i]?.treatment) j++;
    if (j > i) {
      const p0 = ps[i] as TrialDesign['periods'][number];
      const p1 = ps[j] as TrialDesign['periods'][number];
      out.push(
        `${p0.treatment} runs back to back in periods ${i + 1}–${j + 1} (${p1.endDay - p0.startDay + 1} days in a row, longer than one period of ${design.periodDays}); --max-consecutive 1 prevents it`,
      );
    }
    i = j + 1;
  }
  return out;
}

/** `ageBand=30-39,sex=female,smoker=false,age=34` → a feature record (numbers and booleans parsed). */
export function parseFeatures(text: string): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = Object.create(null);
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
    const i = part.indexOf('=');
    if (i <= 0) {
      throw new ValidationError(`n1kit: \`features\` must be a comma-separated list of name=value; got ${JSON.stringify(part)}`, {
        fn: 'n1kit',
        field: 'features',
        value: part,
      });
    }
    const key = part.slice(0, i).trim();
    const raw = part.slice(i + 1).trim();
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      throw new ValidationError(`n1kit: \`features\` may not use the name ${JSON.stringify(key)}`, { fn: 'n1kit', field: 'features', value: key });
    }
    out[key] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) && /^-?[\d.]+(e-?\d+)?$/i.test(raw) ? Number(raw) : raw;
  }
  return out;
}
