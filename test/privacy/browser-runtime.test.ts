/**
 * "Browser-like runtime": the privacy core must work with WebCrypto only and no `node:` module.
 *
 * Approach (no new npm package, no real browser): esbuild — already installed as a dependency
 * of tsup and tsx — bundles `browser-scenarios.ts` together with the privacy core and its
 * dependencies for `platform: 'browser'`, as an app bundler would. With that platform esbuild
 * cannot resolve `node:` modules, so any `node:` import reachable from the core fails the
 * build (the negative control below shows it does, for the file backend). The bundle then runs
 * in a fresh `node:vm` context whose only globals, beyond the JavaScript built-ins, are
 * `crypto` (WebCrypto), `TextEncoder`, `TextDecoder`, `atob` and `btoa`: no `process`, no
 * `require`, no `Buffer`, no `setTimeout`. The same scenarios also run directly in Node, and
 * the two runs must pass the same checks.
 */
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { runPrivacyScenarios, type ScenarioCheck } from './browser-scenarios.js';

const here = new URL('.', import.meta.url).pathname;

async function bundle(entry: string): Promise<{ code: string; inputs: string[] }> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'n1kitPrivacyScenarios',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
  });
  return { code: out.outputFiles[0]!.text, inputs: Object.keys(out.metafile.inputs) };
}

function summarise(checks: ScenarioCheck[]): Record<string, boolean> {
  return Object.fromEntries(checks.filter((c) => c.name !== 'projection value').map((c) => [c.name, c.ok]));
}

describe('privacy core in a browser-like runtime', () => {
  it('bundles for the browser (no node: module) and passes every scenario in a bare vm context', async () => {
    const { code, inputs } = await bundle(`${here}browser-scenarios.ts`);
    expect(inputs.some((p) => p.startsWith('node:') || p.includes('file-backend'))).toBe(false);
    expect(inputs.some((p) => p.includes('src/privacy/store.ts'))).toBe(true);

    const sandbox = { crypto: globalThis.crypto, TextEncoder, TextDecoder, atob, btoa };
    const context = runInNewContext(`${code}; ({ run: n1kitPrivacyScenarios.runPrivacyScenarios, probe: [typeof process, typeof require, typeof Buffer, typeof setTimeout].join() })`, sandbox, {
      timeout: 15_000,
    }) as { run: () => Promise<ScenarioCheck[]>; probe: string };
    expect(context.probe).toBe('undefined,undefined,undefined,undefined');
    const inVm = JSON.parse(JSON.stringify(await context.run())) as ScenarioCheck[];
    const failed = inVm.filter((c) => !c.ok);
    expect(failed, JSON.stringify(failed)).toEqual([]);
    expect(inVm.length).toBeGreaterThanOrEqual(19);

    // the same scenarios, run in Node, give the same verdicts and the same seeded projection
    const inNode = await runPrivacyScenarios();
    expect(summarise(inNode)).toEqual(summarise(inVm));
    expect(inNode.find((c) => c.name === 'projection value')?.detail).toBe(inVm.find((c) => c.name === 'projection value')?.detail);
  });

  it('negative control: the file backend (node:fs) cannot be bundled for the browser', async () => {
    await expect(bundle(`${here}../../src/privacy/file-backend.ts`)).rejects.toThrow(/node:/);
  });
});
