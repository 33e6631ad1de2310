// n1kit simulate / plan end to end in child processes (bundled from source with esbuild, the
// worker entry beside the command as in dist/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateTrials } from '../../src/simulate/index.js';
import type { SimulationSpec } from '../../src/simulate/index.js';

const ROOT = process.cwd();
const DIR = join(ROOT, 'out', 'test-simulate-cli');
const CLI = join(DIR, 'cli.mjs');
const common = { bundle: true, platform: 'node' as const, format: 'esm' as const, target: 'node20', packages: 'external' as const, logLevel: 'error' as const };

beforeAll(async () => {
  await build({ ...common, entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')], outfile: CLI });
  await build({ ...common, entryPoints: [join(ROOT, 'src', 'simulate', 'worker.ts')], outfile: join(DIR, 'simulate-worker.js') });
}, 60_000);

function n1kit(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'n1kit-sim-'));
const spec: SimulationSpec = {
  design: { treatments: ['magnesium', 'placebo'], blocks: 2, periodDays: 14 },
  scenario: { outcome: 'normal', baseline: 12, effects: { magnesium: -2 }, sd: 4 },
  analysis: { reference: 'placebo', betterIs: 'lower', model: { sigma: 4 } },
  replicates: 200,
  seed: 'alice',
};
writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));

describe('n1kit simulate', () => {
  it('prints a table, writes --out, and --workers 2 gives the same JSON as the library', async () => {
    const t = n1kit(['simulate', join(dir, 'spec.json'), '--out', join(dir, 'oc.json')]);
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/200 simulated trials \(exact\)/);
    expect(t.stdout).toMatch(/magnesium/);
    const want = JSON.parse(JSON.stringify(await simulateTrials(spec)));
    expect(JSON.parse(readFileSync(join(dir, 'oc.json'), 'utf8'))).toEqual(want);
    const w = n1kit(['simulate', join(dir, 'spec.json'), '--workers', '2', '--json']);
    expect(w.code).toBe(0);
    expect(JSON.parse(w.stdout)).toEqual(want);
  }, 60_000);

  it('refuses a bad spec with exit code 3 and writes nothing', () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...spec, replicates: -1 }));
    const r = n1kit(['simulate', join(dir, 'bad.json'), '--out', join(dir, 'bad-oc.json')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/E_INVALID_ARGUMENT.*replicates/);
    expect(existsSync(join(dir, 'bad-oc.json'))).toBe(false);
    expect(n1kit(['simulate', join(dir, 'spec.json'), '--workers', '0']).code).toBe(3);
  });
});

describe('n1kit plan', () => {
  it('answers how long the trial must be, with a power-curve report', () => {
    writeFileSync(join(dir, 'plan.json'), JSON.stringify({ ...spec, replicates: 150, search: { blocks: [1, 2, 4, 8] }, target: { power: 0.8 } }));
    const r = n1kit(['plan', join(dir, 'plan.json'), '--json', '--report', join(dir, 'plan.html')]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.grid.map((g: { blocks: number }) => g.blocks)).toEqual([1, 2, 4, 8]);
    // Power rises with the trial's length (common random numbers across the grid).
    const p = plan.grid.map((g: { power: number }) => g.power);
    expect(p[3]).toBeGreaterThan(p[0]);
    if (plan.reached) {
      expect(plan.chosen.power).toBeGreaterThanOrEqual(0.8);
      expect(plan.summary).toMatch(/blocks? of 14 days/);
    } else expect(plan.summary).toMatch(/No design in the grid reaches 80%/);
    expect(plan.trial).toEqual({ blocks: plan.chosen.blocks, periodDays: 14, washoutDays: 0 });
    expect(readFileSync(join(dir, 'plan.html'), 'utf8')).toMatch(/Power by trial length/);
    writeFileSync(join(dir, 'unreachable.json'), JSON.stringify({ ...spec, scenario: { ...spec.scenario, effects: { magnesium: -0.1 } }, replicates: 50, search: { blocks: [1, 2] }, target: { power: 0.9 } }));
    const u = n1kit(['plan', join(dir, 'unreachable.json')]);
    expect(u.code).toBe(0);
    expect(u.stdout).toMatch(/No design in the grid reaches 90%.*the best is/);
  }, 60_000);
});
