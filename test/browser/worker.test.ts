// The worker helper in real headless Chromium: analyzeTrial and the bandits run in a module
// Web Worker with the same plain-data API and give exactly the main thread's results (same
// seeds); errors come back as ValidationError with code, fn and field; the main thread keeps
// running (timer ticks) while the worker computes, and is blocked when it computes itself.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as N1kit from '../../src/index.js';
import type * as Worker from '../../src/worker.js';
import { bundle, CHROMIUM, launch, serve } from './harness.js';

type Page = { n1kit: typeof N1kit & Pick<typeof Worker, 'wrapWorker'> };
let site: { origin: string; close: () => Promise<void> };

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install -y chromium)`).toBe(true);
  // One page bundle, as an app has: the client shares the error classes with the library.
  const [lib, worker] = await Promise.all([
    bundle("export * from './src/index.ts'; export { wrapWorker } from './src/worker.ts';", 'n1kit'),
    bundle("import { exposeWorkerFunctions, workerFunctions } from './src/worker.ts'; exposeWorkerFunctions(self, workerFunctions);"),
  ]);
  site = await serve({
    '/': '<!doctype html><meta charset="utf-8"><script src="/n1kit.js"></script>',
    '/n1kit.js': lib,
    '/worker.js': worker,
  });
});
afterAll(async () => site?.close());

describe('n1kit/worker in headless Chromium', () => {
  it('runs analyzeTrial and the bandits off the main thread with the same results and errors', async () => {
    const ctx = await launch((await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/n1kit-worker-`));
    try {
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(site.origin);
      const r = await page.evaluate(async () => {
        const { n1kit: n } = globalThis as unknown as Page;
        const w = n;
        const client = w.wrapWorker(new globalThis.Worker('/worker.js'));
        const design = n.designTrial({ treatments: ['magnesium', 'placebo'], blocks: 4, periodDays: 7, seed: 'alice' });
        const rng = n.createRng('diary');
        const observations = design.periods.flatMap((p) =>
          Array.from({ length: 7 }, (_, k) => ({ day: p.startDay + k, value: (p.treatment === 'magnesium' ? 3 : 5) + rng.normal(0, 1) })),
        );
        const input = {
          design,
          observations,
          outcome: 'normal' as const,
          reference: 'placebo',
          betterIs: 'lower' as const,
          model: { autocorrelation: true },
          mcmc: { chains: 2, draws: 1500, warmup: 500, seed: 7 },
        };
        // Main thread busy? Count 5 ms timer ticks while the analysis runs.
        const ticking = async <T>(run: () => Promise<T>): Promise<{ value: T; ticks: number }> => {
          let ticks = 0;
          const t = setInterval(() => ticks++, 5);
          await new Promise((res) => setTimeout(res, 0));
          const value = await run();
          clearInterval(t);
          return { value, ticks };
        };
        const inWorker = await ticking(() => client.analyzeTrial(input));
        const onMain = await ticking(async () => n.analyzeTrial(input));

        const policy = n.thompsonSampling({ arms: ['a', 'b', 'c'], seed: 3 });
        policy.update('a', 1);
        const state = policy.toJSON();
        const sel = await client.banditSelect({ state });
        const mainPolicy = n.restorePolicy(state);
        const mainSel = mainPolicy.select();
        const updated = await client.banditUpdate({ state: sel.state, feedback: [{ arm: sel.selection.arm, reward: 0 }] });
        mainPolicy.update(mainSel.arm, 0);

        const bad = await client.analyzeTrial({ ...input, outcome: 'weibull' as 'normal' }).then(
          () => null,
          (e: N1kit.N1kitError) => ({ isValidation: e instanceof n.ValidationError, code: e.code, fn: e.fn, field: e.field }),
        );
        const unknown = await client.call('notAFunction').then(
          () => null,
          (e: N1kit.N1kitError) => ({ code: e.code, field: e.field }),
        );
        client.terminate();
        return {
          same: JSON.stringify(inWorker.value) === JSON.stringify(onMain.value),
          effect: inWorker.value.effects.magnesium!.mean,
          method: inWorker.value.method,
          workerTicks: inWorker.ticks,
          mainTicks: onMain.ticks,
          sameSelection: JSON.stringify(sel.selection) === JSON.stringify(mainSel),
          sameUpdate: JSON.stringify(updated) === JSON.stringify(mainPolicy.toJSON()),
          bad,
          unknown,
        };
      });
      expect(r.same).toBe(true);
      expect(r.method).toBe('mcmc');
      expect(r.effect).toBeLessThan(-1); // true effect −2 (sd 1, 28 days per arm)
      expect(r.workerTicks).toBeGreaterThanOrEqual(3); // the page kept running
      expect(r.mainTicks).toBe(0); // the same analysis on the main thread blocks every timer
      expect(r.sameSelection).toBe(true);
      expect(r.sameUpdate).toBe(true);
      expect(r.bad).toEqual({ isValidation: true, code: 'E_INVALID_ARGUMENT', fn: 'analyzeTrial', field: 'outcome' });
      expect(r.unknown).toEqual({ code: 'E_INVALID_ARGUMENT', field: 'fn' });
      expect(errors).toEqual([]);
    } finally {
      await ctx.close();
    }
  }, 60_000);
});
