// The trial report: its numbers are the analysis's numbers, its verdict follows the stopping
// rule, its posterior curves are drawn from the posterior (draws or the exact normal), and it
// renders in headless Chromium at phone and desktop widths with no console error, no network
// request and nothing overlapping. Screenshots go to out/report-shots/.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTrialReport, humanize, kernelDensity, type TrialReport } from '../../src/cli/trial-report.js';
import { designTrial } from '../../src/design/index.js';
import { analyzeTrial } from '../../src/models/index.js';
import type { TrialAnalysis } from '../../src/models/types.js';
import { createRng } from '../../src/rng/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join(process.cwd(), 'out', 'report-shots');

const design = designTrial({ treatments: ['magnesium', 'sleepRegularity', 'placebo'], blocks: 2, periodDays: 14, washoutDays: 3, seed: 'alice' });
const truth: Record<string, number> = { magnesium: -2.5, sleepRegularity: -0.5, placebo: 0 };
const rng = createRng('report-diary');
const observations = design.periods.flatMap((p) =>
  Array.from({ length: p.endDay - p.startDay + 1 }, (_, i) => ({ day: p.startDay + i, value: 10 + (truth[p.treatment] as number) + rng.normal(0, 2) })),
);
const priors = { magnesium: { family: 'normal', mean: -1, sd: 2 }, sleepRegularity: { family: 'normal', mean: -1, sd: 2 } } as const;
let analysis: TrialAnalysis;
let report: TrialReport;

beforeAll(async () => {
  analysis = analyzeTrial({
    design,
    observations,
    outcome: 'normal',
    reference: 'placebo',
    betterIs: 'lower',
    priors: { effects: priors },
    thresholds: { magnesium: 2, sleepRegularity: 2 },
    mcmc: { keepDraws: true, seed: 1 },
  });
  report = await buildTrialReport({
    design,
    observations,
    analysis,
    priors,
    mcid: 2,
    outcome: { name: 'pain score', unit: 'points' },
    labels: { magnesium: 'Magnesium 400 mg' },
    deviations: [{ kind: 'swapped', day: 20, planned: 'placebo', recorded: 'magnesium' }],
    planning: { points: [{ days: 84, power: 0.5, mcse: 0.02 }, { days: 168, power: 0.82, mcse: 0.015 }], target: 0.8 },
  });
}, 60_000);

/** Every `<td data-field="F" data-value="V">` of the arms table, in row order. */
function tableValues(html: string, field: string): number[] {
  const table = html.slice(html.indexOf('<table class="arms">'), html.indexOf('</table>', html.indexOf('<table class="arms">')));
  return [...table.matchAll(new RegExp(`data-value="([^"]+)" data-field="${field}"`, 'g'))].map((m) => Number(m[1]));
}

describe('the trial report', () => {
  it("shows exactly the analysis's numbers in the clinician's table", () => {
    const arms = Object.keys(analysis.effects);
    expect(tableValues(report.html, 'mean')).toEqual(arms.map((a) => analysis.effects[a]?.mean));
    expect(tableValues(report.html, 'probBetter')).toEqual(arms.map((a) => analysis.effects[a]?.probBetter));
    expect(tableValues(report.html, 'probClinicallyBetter')).toEqual(arms.map((a) => analysis.effects[a]?.probClinicallyBetter));
    // P(best) of each arm, the reference last.
    expect(tableValues(report.html, 'probBest')).toEqual([...arms, 'placebo'].map((a) => analysis.probBest[a]));
    const lo = [...report.html.matchAll(/data-field="interval" data-lo="([^"]+)" data-hi="([^"]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(lo).toEqual(arms.map((a) => analysis.effects[a]?.interval));
    // Displayed text is the rounding of the exact value.
    const m = analysis.effects.magnesium?.mean as number;
    expect(report.html).toContain(`data-value="${m}" data-field="mean">${m.toFixed(2)}</td>`);
  });

  it('says the verdict in words with the numbers that matter', () => {
    const e = analysis.effects.magnesium as TrialAnalysis['effects'][string];
    expect(report.verdict[0]).toContain(`Magnesium 400 mg probably cuts pain score by about ${Math.abs(e.mean).toFixed(2)} points`);
    expect(report.verdict[0]).toContain(`${Math.round(100 * (e.probClinicallyBetter as number))}% chance it cuts pain score by at least 2.00 points`);
    expect(report.html).toContain('Sleep regularity'); // readable label from the id
    expect(report.html).not.toContain('sleepRegularity<'); // never the raw id as a label
    expect(report.html).toContain('MCID -2.00');
    expect(report.html).toContain('no effect');
  });

  it('follows the stopping rule for the next step (stop, extend, continue)', async () => {
    const base = { design, analysis, priors } as const;
    const pb = (p: number): TrialAnalysis => ({ ...analysis, probBest: { magnesium: p, sleepRegularity: (1 - p) / 2, placebo: (1 - p) / 2 } });
    const stop = await buildTrialReport({ ...base, analysis: pb(0.95), observations });
    expect(stop.verdict.join(' ')).toMatch(/Next: the trial can stop; Magnesium is the treatment to keep/);
    const extend = await buildTrialReport({ ...base, analysis: pb(0.84), observations });
    expect(extend.verdict.join(' ')).toMatch(/planned trial is over without a clear winner \(84% is short of 90%\): extend it/);
    const early = { ...pb(0.6), data: { ...analysis.data, lastDay: 20 } };
    const cont = await buildTrialReport({ ...base, analysis: early, observations: observations.filter((o) => o.day <= 20) });
    expect(cont.verdict.join(' ')).toMatch(/Next: continue the trial as planned/);
  });

  it('draws the posterior from the draws (a density that integrates to 1 around their mean)', () => {
    const draws = analysis.draws?.effects.magnesium as readonly number[];
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    const grid = Array.from({ length: 801 }, (_, i) => mean - 8 + (16 * i) / 800);
    const f = kernelDensity(draws, grid);
    const dx = 16 / 800;
    const mass = f.reduce((s, v) => s + v * dx, 0);
    const m1 = f.reduce((s, v, i) => s + v * (grid[i] as number) * dx, 0) / mass;
    expect(mass).toBeGreaterThan(0.995);
    expect(mass).toBeLessThan(1.005);
    expect(Math.abs(m1 - mean)).toBeLessThan(0.01); // a Gaussian kernel keeps the mean
    expect(report.html).toContain(`kernel density estimate of ${draws.length} posterior draws`);
    expect(humanize('sleepRegularity')).toBe('Sleep regularity');
  });

  it('says when it can only approximate the posterior', async () => {
    const { draws: _drop, ...noDraws } = analysis;
    const r = await buildTrialReport({ design, analysis: noDraws });
    expect(r.html).toMatch(/normal approximation from its mean and sd, because the posterior draws were not saved/);
  });

  it('has every section and chart, self-contained', () => {
    for (const h of ['For the patient', 'For the clinician', 'Prior and posterior', 'The diary', 'Deviations from the plan', 'Diagnostics', 'Planning', 'Methods', 'CENT 2015 items']) {
      expect(report.html).toContain(h);
    }
    // forest + 2 prior/posterior + diary + power curve
    expect(Object.keys(report.svgs)).toHaveLength(5);
    expect(report.html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(report.html).toContain('swapped');
  });
});

describe.runIf(existsSync(CHROMIUM))('the trial report in headless Chromium', () => {
  it('renders at phone and desktop widths with no console error, no request and no overlap', async () => {
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'report.html');
    writeFileSync(file, report.html);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      for (const width of [390, 1280]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('request', (r) => {
          if (!r.url().startsWith('file:')) requests.push(r.url());
        });
        await page.goto(`file://${file}`);
        expect(await page.locator('figure.chart svg').count()).toBe(5);
        const layout = await page.evaluate(() => {
          const boxes = Array.from(document.querySelectorAll('body > section, figure.chart')).map((e) => e.getBoundingClientRect());
          const sections = Array.from(document.querySelectorAll('body > section')).map((e) => e.getBoundingClientRect());
          let overlaps = 0;
          for (let i = 1; i < sections.length; i++) if ((sections[i] as DOMRect).top < (sections[i - 1] as DOMRect).bottom - 0.5) overlaps++;
          const svgsFit = Array.from(document.querySelectorAll('figure.chart svg')).every((s) => s.getBoundingClientRect().right <= innerWidth + 0.5);
          return { scroll: document.documentElement.scrollWidth, inner: innerWidth, overlaps, svgsFit, n: boxes.length };
        });
        expect(layout.scroll).toBeLessThanOrEqual(layout.inner); // no sideways scrolling of the page
        expect(layout.overlaps).toBe(0);
        expect(layout.svgsFit).toBe(true);
        await page.screenshot({ path: join(OUT, `report-${width}.png`), fullPage: true });
        expect(errors).toEqual([]);
        expect(requests).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }, 60_000);
});
