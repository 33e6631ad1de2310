// The HTML report opens in a real browser (Debian's headless Chromium, driven by
// playwright-core) with its charts present and no console errors; a screenshot is taken.
// .ci/run installs chromium when it is missing; the test is skipped only when no Chromium
// binary exists at all (and says so), never silently passed.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/cli/report.js';
import { designTrial } from '../../src/design/index.js';
import { plotOutcomes, plotPosterior, plotSchedule } from '../../src/plot/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join(process.cwd(), 'out', 'test-report');

describe.runIf(existsSync(CHROMIUM))('report in headless Chromium', () => {
  it('shows every chart as SVG with no console error, and a screenshot is taken', async () => {
    const design = designTrial({ treatments: ['magnesium', 'sleep', 'placebo'], blocks: 2, periodDays: 14, seed: 'alice' });
    const obs = Array.from({ length: design.totalDays }, (_, day) => ({ day, value: 3 + Math.sin(day / 3) }));
    const { html } = await renderReport('Test report', [
      { heading: 'Schedule', spec: plotSchedule(design) },
      { heading: 'Diary', spec: plotOutcomes(design, obs) },
      { heading: 'Posterior', spec: plotPosterior({ effects: { magnesium: { mean: -2, sd: 0.7 }, sleep: { mean: -0.5, sd: 0.9 } } }) },
    ]);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // self-contained: no script, no external URL but SVG namespaces
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'report.html');
    writeFileSync(file, html);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 1400 } });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(`file://${file}`);
      const charts = await page.locator('figure.chart svg').count();
      expect(charts).toBe(3);
      const marks = await page.locator('figure.chart svg path, figure.chart svg rect').count();
      expect(marks).toBeGreaterThan(20);
      const box = await page.locator('#chart-1 svg').boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      await page.screenshot({ path: join(OUT, 'report.png'), fullPage: true });
      expect(existsSync(join(OUT, 'report.png'))).toBe(true);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
