import * as vega from 'vega';
import * as vl from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { designTrial } from '../../src/design/index.js';
import { type VegaLiteSpec, plotOutcomes, plotPosterior, plotRanking, plotSchedule } from '../../src/plot/index.js';

const design = designTrial({
  treatments: ['magnesium', 'sleep', 'placebo'],
  blocks: 2,
  periodDays: 14,
  washoutDays: 3,
  runInDays: 7,
  seed: 'alice',
});

async function render(spec: VegaLiteSpec): Promise<string> {
  const compiled = vl.compile(spec as never).spec; // throws on an invalid spec
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  return view.toSVG();
}

const dataOf = (spec: VegaLiteSpec): Record<string, unknown>[] => {
  const layers = spec.layer as { data?: { values: Record<string, unknown>[] } }[];
  const top = (spec as { data?: { values: Record<string, unknown>[] } }).data?.values ?? [];
  return [...top, ...layers.flatMap((l) => l.data?.values ?? [])];
};

describe('plots are Vega-Lite specs that compile and render', () => {
  it('plotSchedule: one treatment bar per period plus washout and run-in segments, tiling the trial', async () => {
    const spec = plotSchedule(design);
    const rows = dataOf(spec) as { part: string; start: number; end: number }[];
    expect(rows.filter((r) => r.part === 'treatment')).toHaveLength(6);
    expect(rows.filter((r) => r.part === 'washout')).toHaveLength(6);
    const sorted = [...rows].sort((a, b) => a.start - b.start);
    expect(sorted[0]?.start).toBe(0);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]?.start).toBe(sorted[i - 1]?.end);
    expect(sorted.at(-1)?.end).toBe(design.totalDays);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
    const svg = await render(spec);
    expect(svg).toContain('<svg');
    expect(svg).toContain('magnesium');
  });

  it('plotOutcomes: every observation is a point with its period treatment', async () => {
    const obs = Array.from({ length: design.totalDays }, (_, day) => ({ day, value: (day % 5) + 1 }));
    const spec = plotOutcomes(design, obs, { outcome: 'headache (0-10)' });
    const pts = dataOf(spec).filter((r) => 'value' in r) as { day: number; treatment: string; washout: string }[];
    expect(pts).toHaveLength(design.totalDays);
    const p0 = design.periods[0]!;
    expect(pts.find((r) => r.day === p0.endDay)?.treatment).toBe(p0.treatment);
    expect(pts.find((r) => r.day === p0.startDay)?.washout).toBe('washout');
    expect(pts.find((r) => r.day === 0)?.treatment).toBe('run-in');
    expect(await render(spec)).toContain('headache (0-10)');
  });

  it('plotPosterior: densities integrate to ~1 and thresholds are drawn', async () => {
    const spec = plotPosterior(
      { effects: { magnesium: { mean: -2.5, sd: 0.8 }, sleep: { mean: -1, sd: 1.2 } } },
      { thresholds: { magnesium: -2, sleep: -2 }, unit: 'migraine days / 30 days' },
    );
    const rows = dataOf(spec) as { treatment: string; x: number; density: number; label?: string }[];
    for (const t of ['magnesium', 'sleep']) {
      const r = rows.filter((x) => x.treatment === t && x.density !== undefined);
      let area = 0;
      for (let i = 1; i < r.length; i++) area += 0.5 * (r[i]!.density + r[i - 1]!.density) * (r[i]!.x - r[i - 1]!.x);
      expect(area).toBeGreaterThan(0.99); // ±3.29 sd holds 0.999 of a normal
      expect(area).toBeLessThan(1.0001);
    }
    expect(rows.filter((r) => r.label?.startsWith('MCID'))).toHaveLength(2);
    expect(await render(spec)).toContain('migraine days / 30 days');
  });

  it('plotRanking: bars per candidate with the τ rule', async () => {
    const spec = plotRanking(
      [
        { id: 'mg', label: 'Magnesium', probBest: 0.3 },
        { id: 'sleep', label: 'Sleep regularity', probBest: 0.32 },
        { id: 'ribo', label: 'Riboflavin', probBest: 0.38 },
      ],
      { threshold: 0.25 },
    );
    expect(dataOf(spec).filter((r) => 'probBest' in r)).toHaveLength(3);
    expect(await render(spec)).toContain('Sleep regularity');
  });

  it('bad input is a ValidationError naming the field', () => {
    expect(() => plotRanking([{ id: 'a', probBest: 1.2 }])).toThrowError(expect.objectContaining({ code: 'E_INVALID_ARGUMENT', field: 'ranking[0].probBest' }));
    expect(() => plotPosterior({ effects: { a: { mean: 0, sd: 0 } } })).toThrowError(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    expect(() => plotOutcomes(design, [{ day: Number.NaN, value: 1 }])).toThrowError(expect.objectContaining({ field: 'observations[0].day' }));
    expect(() => plotSchedule({} as never)).toThrowError(expect.objectContaining({ field: 'design.periods' }));
  });
});
