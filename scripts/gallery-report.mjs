#!/usr/bin/env node
// Writes docs/gallery/report.png: the top of the demo's report (verdict, table, interval chart)
// as a person sees it in Chromium at 900 px. Run after `npm run demo`: node scripts/gallery-report.mjs [report.html]
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const file = resolve(process.argv[2] ?? 'n1kit-demo/report.html');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 1200 }, deviceScaleFactor: 1 });
  await page.goto(`file://${file}`);
  const bottom = await page.evaluate(() => {
    const fig = document.querySelector('#chart-1');
    return fig ? fig.getBoundingClientRect().bottom + window.scrollY + 12 : 1100;
  });
  await page.screenshot({ path: join('docs', 'gallery', 'report.png'), clip: { x: 0, y: 0, width: 900, height: Math.ceil(bottom) } });
} finally {
  await browser.close();
}
console.log('wrote docs/gallery/report.png');
