// The core (`n1kit`) must run in browsers: no Node-only API. esbuild bundles src/index.ts for
// platform 'browser' (any reachable `node:` import or Node builtin fails the build), and the
// bundle then runs in a bare `node:vm` context whose globals are only what a browser also has
// (crypto, TextEncoder/TextDecoder, atob/btoa, console), with no `process`, `require`,
// `Buffer` or `globalThis.fetch` from Node.
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('browser bundle of the core', () => {
  it('builds for the browser and runs the main path in a bare context', async () => {
    const out = await build({
      entryPoints: ['src/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'n1kit',
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    expect(code).not.toMatch(/require\(["']node:/);
    const sandbox: Record<string, unknown> = {
      crypto: globalThis.crypto,
      TextEncoder,
      TextDecoder,
      atob,
      btoa,
      console,
    };
    runInNewContext(
      `${code}
      const rng = n1kit.createRng('alice');
      const design = n1kit.designTrial({ treatments: ['magnesium', 'placebo'], blocks: 3, periodDays: 7, seed: 'alice' });
      const observations = design.periods.flatMap((p) =>
        Array.from({ length: 7 }, (_, k) => ({ day: p.startDay + k, value: (p.treatment === 'magnesium' ? 3 : 5) + rng.normal(0, 1) })));
      const analysis = n1kit.analyzeTrial({ design, observations, outcome: 'normal', reference: 'placebo', betterIs: 'lower', mcmc: { chains: 2, draws: 300, warmup: 200 } });
      globalThis.result = {
        first: n1kit.createRng('alice').uniform(),
        posterior: n1kit.updateNormal(n1kit.normal(0, 1), { mean: 1, n: 4, sigma: 1 }),
        effect: analysis.effects.magnesium.mean,
        noProcess: typeof process === 'undefined' && typeof require === 'undefined' && typeof Buffer === 'undefined',
      };`,
      sandbox,
    );
    const result = sandbox.result as { first: number; posterior: { mean: number; sd: number }; effect: number; noProcess: boolean };
    expect(result.noProcess).toBe(true);
    expect(result.first).toBe(0.8904419583268464); // test/fixtures/rng-alice.json, first value
    // Normal prior N(0, 1), data mean 1 with se 1/2: posterior N(0.8, √0.2) (closed form).
    expect(result.posterior.mean).toBeCloseTo(0.8, 12);
    expect(result.posterior.sd).toBeCloseTo(Math.sqrt(0.2), 12);
    expect(result.effect).toBeLessThan(-1); // true effect −2, sd 1, 21 days per arm
  }, 60_000);
});
