// Issue 15, brief item 5: without the optional peers vega / vega-lite the command says what to
// install and exits 7 (E_DEPENDENCY), not 1 (internal error). The missing module is simulated
// by replacing the loader, in process (no uninstalling).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT, run } from '../../src/cli/main.js';
import { loadChartEngine, setChartEngineLoader } from '../../src/cli/report.js';

function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from n1kit`), { code: 'ERR_MODULE_NOT_FOUND' });
}

async function runCaptured(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return { code: await run(argv), stderr };
  } finally {
    spy.mockRestore();
    out.mockRestore();
  }
}

afterEach(() => setChartEngineLoader());

describe('missing optional peers vega / vega-lite', () => {
  it('loadChartEngine throws E_DEPENDENCY with the install command, and loads again once the peers are back', async () => {
    setChartEngineLoader(() => Promise.reject(notFound('vega')));
    const e = await loadChartEngine().then(
      () => undefined,
      (err: unknown) => err as { code: string; field: string; message: string },
    );
    expect(e?.code).toBe('E_DEPENDENCY');
    expect(e?.field).toBe('vega');
    expect(e?.message).toMatch(/are not installed: npm install vega@5 vega-lite@5/);
    setChartEngineLoader(); // the real modules (installed in this repo)
    const { vega, vl } = await loadChartEngine();
    expect(typeof vega.View).toBe('function');
    expect(typeof vl.compile).toBe('function');
  });

  it('`n1kit report` exits 7 with the code and the hint on stderr, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'n1kit-peer-'));
    const design = join(dir, 'design.json');
    expect((await runCaptured(['design', '--treatments', 'a,b', '--blocks', '2', '--period-days', '7', '--seed', '1', '--out', design])).code).toBe(0);
    setChartEngineLoader(() => Promise.reject(notFound('vega-lite')));
    const html = join(dir, 'report.html');
    const r = await runCaptured(['report', '--design', design, '--out', html]);
    expect(EXIT.dependency).toBe(7);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^n1kit: error E_DEPENDENCY \(field: vega\): .*npm install vega@5 vega-lite@5/);
    expect(existsSync(html)).toBe(false);
  });

  it('a peer that is present but fails to load is still E_DEPENDENCY, with the cause in the message', async () => {
    setChartEngineLoader(() => Promise.reject(new SyntaxError('Unexpected token in vega.js')));
    const e = (await loadChartEngine().then(
      () => undefined,
      (err: unknown) => err,
    )) as { code: string; message: string };
    expect(e.code).toBe('E_DEPENDENCY');
    expect(e.message).toMatch(/could not be loaded \(Unexpected token in vega\.js\)/);
  });
});
