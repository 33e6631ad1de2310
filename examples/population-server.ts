// The population learns from private releases, end to end: a population server (Node http +
// SQLite) receives 200 patients' differentially private effect estimates, serves the pooled
// prior, and the next patient's pipeline starts from the LFM prior refined by it. (1000
// patients here so the printed figures are stable; the test posts 200.)
// Run: npm run build && node node_modules/tsx/dist/cli.mjs examples/population-server.ts
// (starts on 127.0.0.1, posts, checks, closes: it exits by itself)
import assert from 'node:assert/strict';
import {
  createPrivacyAccountant,
  createRng,
  halfNormal,
  learnedPriorProvider,
  migrainePriorRequest,
  normal,
  poolPrivateReleases,
  poolReleaseGroups,
  privateEffectForPooling,
  type ReleaseGroup,
  startPersonalizationFrom,
  staticPriorProvider,
} from 'n1kit';
import { startPopulationServer } from './population-server/app.js';

const priors = { mean: normal(-1.7, 1.3), heterogeneity: halfNormal(1.3) };
const server = await startPopulationServer({ poolReleaseGroups }, { database: ':memory:', priors, betterIs: 'lower' });
try {
  // 1. 1000 patients: magnesium truly lowers migraine days by 4 on average (the LFM said 1.7),
  //    sd 1 between patients. Each estimates their own effect (sd 0.9, fixed by a known-σ
  //    design, so public) and shares it under ε = 3 (Laplace), charged to their own budget.
  const rng = createRng('population-example');
  const shared: { value: number; sd: number }[] = [];
  for (let i = 0; i < 1000; i++) {
    const theta = rng.normal(-4, 1);
    const budget = createPrivacyAccountant({ epsilon: 3 });
    const r = privateEffectForPooling({
      estimate: { mean: rng.normal(theta, 0.9), sd: 0.9 },
      bounds: [-12, 4],
      epsilon: 3,
      mechanism: 'laplace',
      sd: { release: 'public' },
      accountant: budget,
    });
    assert.equal(budget.remaining().epsilon, 0);
    shared.push({ value: r.value, sd: r.sd });
  }
  for (let i = 0; i < shared.length; i += 500) {
    const res = await fetch(`${server.url}/releases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ candidate: 'magnesium', releases: shared.slice(i, i + 500) }),
    });
    assert.equal(res.status, 201);
  }
  // 2. The served prior equals pooling the same releases locally.
  const served = (await (await fetch(`${server.url}/prior/magnesium`)).json()) as {
    releases: number;
    groups: ReleaseGroup[];
    pooled: ReturnType<typeof poolPrivateReleases>;
  };
  const local = poolPrivateReleases({ releases: shared, priors, betterIs: 'lower' });
  assert.equal(served.releases, 1000);
  assert.ok(Math.abs(served.pooled.mean.mean - local.mean.mean) < 1e-9 * Math.abs(local.mean.mean));
  console.log(`pooled μ: ${local.mean.mean.toFixed(2)} (95% ${local.mean.interval.map((x) => x.toFixed(2)).join(' to ')}), τ median ${local.heterogeneity.median.toFixed(2)}, from ${served.releases} releases (${served.groups.length} SQL group)`);
  // True μ = −4; posterior sd ≈ 0.25 with this much DP noise (sd ≈ 7.5 per release).
  assert.ok(local.mean.mean < -2.7, 'the pool moves well away from the LFM towards the population mean');

  // 3. The next patient: the LFM's prior (static table) refined by the server's groups.
  const provider = learnedPriorProvider({
    base: staticPriorProvider(),
    releases: async (candidate) => {
      const res = await fetch(`${server.url}/prior/${candidate}`);
      if (res.status === 404) return undefined;
      return { groups: ((await res.json()) as { groups: ReleaseGroup[] }).groups };
    },
  });
  const plan = await startPersonalizationFrom({ provider, request: migrainePriorRequest(), betterIs: 'lower', seed: 'next-patient', mcid: 2 });
  const mg = plan.prior.effects.magnesium;
  assert.ok(mg !== undefined);
  const m = mg.family === 'mixture' ? mg.components.reduce((s, c) => s + c.weight * (c.dist as { mean: number }).mean, 0) : (mg as { mean: number }).mean;
  console.log(`next patient's magnesium prior mean: ${m.toFixed(2)} (the LFM alone said -1.70); plan: ${plan.decision.action} ${plan.decision.arms.join(', ')}`);
  assert.ok(m < -2.7, 'the next patient starts from the population knowledge');
  assert.ok(plan.prior.source.provider.startsWith('learned('));
} finally {
  await server.close();
}
console.log('population server: closed');
