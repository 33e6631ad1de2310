import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PopulationServer, startPopulationServer } from '../../examples/population-server/app.js';
import { createRng, halfNormal, normal, poolPrivateReleases, poolReleaseGroups, privateEffectForPooling } from '../../src/index.js';

const priors = { mean: normal(0, 5), heterogeneity: halfNormal(2) };
let srv: PopulationServer;

beforeAll(async () => {
  srv = await startPopulationServer({ poolReleaseGroups }, { database: ':memory:', priors, betterIs: 'lower', bodyLimit: 16_384, maxReleasesPerRequest: 50 });
});
afterAll(async () => {
  await srv.close();
});

async function post(body: unknown, type = 'application/json'): Promise<Response> {
  return fetch(`${srv.url}/releases`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

describe('examples/population-server', () => {
  it('serves 404 before the first release', async () => {
    expect((await fetch(`${srv.url}/prior/magnesium`)).status).toBe(404);
  });

  it('pools 200 patients’ DP releases exactly as poolPrivateReleases does', async () => {
    const rng = createRng('server-test');
    const releases: { value: number; sd: number }[] = [];
    for (let i = 0; i < 200; i++) {
      const theta = rng.normal(-3, 1);
      const ownSd = 0.8; // known-σ design: public
      const r = privateEffectForPooling({ estimate: { mean: rng.normal(theta, ownSd), sd: ownSd }, bounds: [-10, 4], epsilon: 4, mechanism: 'laplace', sd: { release: 'public' } });
      releases.push({ value: r.value, sd: r.sd });
    }
    for (let i = 0; i < 200; i += 40) {
      const res = await post({ candidate: 'magnesium', releases: releases.slice(i, i + 40) });
      expect(res.status).toBe(201);
    }
    const res = await fetch(`${srv.url}/prior/magnesium`);
    expect(res.status).toBe(200);
    const served = (await res.json()) as { releases: number; groups: { count: number }[]; pooled: ReturnType<typeof poolPrivateReleases> };
    expect(served.releases).toBe(200);
    // Every release shares one total sd (same design, same mechanism): one additive group.
    expect(served.groups).toHaveLength(1);
    const local = poolPrivateReleases({ releases, priors, betterIs: 'lower' });
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));
    expect(rel(served.pooled.mean.mean, local.mean.mean)).toBeLessThan(1e-9);
    expect(rel(served.pooled.mean.sd, local.mean.sd)).toBeLessThan(1e-9);
    expect(rel(served.pooled.mean.interval[0], local.mean.interval[0])).toBeLessThan(1e-9);
    expect(rel(served.pooled.heterogeneity.median, local.heterogeneity.median)).toBeLessThan(1e-8);
    expect(rel(served.pooled.logEvidence, local.logEvidence)).toBeLessThan(1e-10);
    expect(served.pooled.predictive.family).toBe(local.predictive.family);
    // The pool found the population (true μ = −3) within its posterior uncertainty.
    expect(Math.abs(served.pooled.mean.mean + 3)).toBeLessThan(4 * served.pooled.mean.sd);
  });

  it('refuses bad input and stores nothing of a bad request', async () => {
    const before = ((await (await fetch(`${srv.url}/prior/magnesium`)).json()) as { releases: number }).releases;
    expect((await post({ candidate: 'magnesium', releases: [{ value: 1, sd: 1 }, { value: 'x', sd: 1 }] })).status).toBe(400);
    expect((await post({ candidate: 'magnesium', releases: [{ value: 1, sd: -1 }] })).status).toBe(400);
    expect((await post({ candidate: 'magnesium', releases: [{ value: 1, sd: 1, id: 'alice' }] })).status).toBe(400);
    expect((await post({ candidate: 'bad name!', releases: [{ value: 1, sd: 1 }] })).status).toBe(400);
    expect((await post({ candidate: 'magnesium', releases: Array.from({ length: 51 }, () => ({ value: 1, sd: 1 })) })).status).toBe(413);
    expect((await post(`{"candidate":"magnesium","releases":[${'{"value":1,"sd":1},'.repeat(2000)}{"value":1,"sd":1}]}`)).status).toBe(413);
    expect((await post('{not json')).status).toBe(400);
    expect((await post({ candidate: 'magnesium', releases: [] }, 'text/plain')).status).toBe(415);
    expect((await fetch(`${srv.url}/releases`)).status).toBe(405);
    expect((await fetch(`${srv.url}/nothing`)).status).toBe(404);
    const after = ((await (await fetch(`${srv.url}/prior/magnesium`)).json()) as { releases: number }).releases;
    expect(after).toBe(before);
  });
});
