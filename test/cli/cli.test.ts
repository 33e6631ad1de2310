// Each command end to end in a child process: good input, bad input (clear error on stderr,
// stable exit code, nothing written), and --json output validated. The command is bundled from
// source once with esbuild (the same bundler tsup uses), so the test needs no prior build.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, fakeLlmServer, runCli } from './harness.js';
import { validateDesign } from '../../src/design/index.js';


let CLI = '';
beforeAll(async () => {
  CLI = await bundleCli('test-cli');
});

function n1kit(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  return runCli(CLI, args, input);
}

const dir = mkdtempSync(join(tmpdir(), 'n1kit-cli-'));

describe('n1kit design', () => {
  it('prints a readable schedule and writes JSON, CSV and iCalendar', () => {
    const r = n1kit(['design', '--treatments', 'magnesium,sleep,placebo', '--blocks', '2', '--period-days', '14', '--seed', 'alice', '--out', join(dir, 'design.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/6 periods of 14 days, 84 days in all/);
    const design = validateDesign(JSON.parse(readFileSync(join(dir, 'design.json'), 'utf8')));
    expect(design.periods).toHaveLength(6);
    expect(n1kit(['design', '--treatments', 'a,b', '--seed', '1', '--format', 'ics', '--start-date', '2026-12-01', '--out', join(dir, 'd.ics')]).code).toBe(0);
    expect(readFileSync(join(dir, 'd.ics'), 'utf8')).toMatch(/^BEGIN:VCALENDAR/);
  });

  it('--json prints the design itself, deterministic in the seed', () => {
    const a = n1kit(['design', '--treatments', 'a,b,c', '--seed', 's', '--json']);
    const b = n1kit(['design', '--treatments', 'a,b,c', '--seed', 's', '--json']);
    expect(a.code).toBe(0);
    expect(validateDesign(JSON.parse(a.stdout)).treatments).toEqual(['a', 'b', 'c']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('bad input: exit 3, the code and field on stderr, no stack trace, nothing written', () => {
    const out = join(dir, 'never.json');
    const r = n1kit(['design', '--treatments', 'a,a', '--seed', '1', '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^n1kit: error E_INVALID_ARGUMENT \(field: treatments\): /);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(existsSync(out)).toBe(false);
  });

  it('usage errors exit 2', () => {
    expect(n1kit(['design', '--seed', '1']).code).toBe(2); // --treatments missing
    expect(n1kit(['nonsense']).code).toBe(2);
    expect(n1kit(['--help']).code).toBe(0);
  });
});

describe('n1kit analyze and report', () => {
  it('analyses a diary given as CSV and renders a report', () => {
    expect(n1kit(['design', '--treatments', 'active,placebo', '--blocks', '3', '--period-days', '7', '--seed', 'bob', '--out', join(dir, 'ab.json')]).code).toBe(0);
    const design = JSON.parse(readFileSync(join(dir, 'ab.json'), 'utf8')) as { periods: { treatment: string; startDay: number; endDay: number }[] };
    // Deterministic diary: active lowers the score by 2 (no noise needed for the check).
    const lines = ['day,value'];
    for (const p of design.periods) for (let d = p.startDay; d <= p.endDay; d++) lines.push(`${d},${(p.treatment === 'active' ? 3 : 5) + ((d * 7) % 5) / 10}`);
    writeFileSync(join(dir, 'diary.csv'), `${lines.join('\n')}\n`);
    const r = n1kit(['analyze', '--design', join(dir, 'ab.json'), '--observations', join(dir, 'diary.csv'), '--outcome', 'normal', '--reference', 'placebo', '--better', 'lower', '--threshold', 'active=1', '--seed', '1', '--json', '--out', join(dir, 'analysis.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout) as { effects: Record<string, { mean: number; probBetter: number }> };
    expect(a.effects.active?.mean).toBeCloseTo(-2, 0);
    expect(a.effects.active?.probBetter).toBeGreaterThan(0.99);
    const rep = n1kit(['report', '--design', join(dir, 'ab.json'), '--observations', join(dir, 'diary.csv'), '--analysis', join(dir, 'analysis.json'), '--out', join(dir, 'report.html')]);
    expect(rep.code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<svg/g)?.length).toBe(3);
  });

  it('--observations CSV reads a spreadsheet export (BOM, comment, CRLF or CR, quoted line break) as the plain file', () => {
    // The plain diary of the test above, written out as spreadsheets and apps export it. The old
    // line-splitting parser failed on the first two (a BOM before a comment, a line break inside
    // quotes) and read the CR-only file as an empty diary.
    const plain = readFileSync(join(dir, 'diary.csv'), 'utf8').trim().split('\n');
    const [head, ...body] = plain as [string, ...string[]];
    const noted = [`${head},note`, ...body.map((l, i) => (i === 2 ? `${l},"slept badly,\r\nwoke at 3"` : `${l},`))];
    const files: Record<string, string> = {
      'diary-bom.csv': `\uFEFF# exported 2026-12-02, "notes" column free text\r\n${noted.join('\r\n')}\r\n`,
      'diary-cr.csv': `${plain.join('\r')}\r`,
    };
    const args = ['--outcome', 'normal', '--reference', 'placebo', '--better', 'lower', '--threshold', 'active=1', '--seed', '1', '--json'];
    const base = n1kit(['analyze', '--design', join(dir, 'ab.json'), '--observations', join(dir, 'diary.csv'), ...args]);
    expect(base.code).toBe(0);
    const effects = (JSON.parse(base.stdout) as { effects: unknown }).effects;
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(dir, name), text);
      const r = n1kit(['analyze', '--design', join(dir, 'ab.json'), '--observations', join(dir, name), ...args]);
      expect(r.stderr, name).toBe('');
      expect(r.code, name).toBe(0);
      expect((JSON.parse(r.stdout) as { effects: unknown }).effects, name).toEqual(effects);
    }
    // A malformed row still names the file and its line.
    writeFileSync(join(dir, 'ragged.csv'), '\uFEFFday,value\r\n0,1\r\n1,2,3\r\n');
    const bad = n1kit(['analyze', '--design', join(dir, 'ab.json'), '--observations', join(dir, 'ragged.csv'), ...args]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/E_INVALID_ARGUMENT \(field: [^)]*ragged\.csv\).*line 3/);
  });

  it('shows a progress bar on a terminal (pseudo-TTY via script(1)), none when piped', () => {
    const args = ['analyze', '--design', join(dir, 'ab.json'), '--observations', join(dir, 'diary.csv'), '--outcome', 'normal', '--reference', 'placebo', '--better', 'lower'];
    const cmd = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.CI; // the bar stays silent in CI logs by design
    const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env, timeout: 60_000 });
    expect(tty.status).toBe(0);
    expect(tty.stdout).toMatch(/\[#+-*\] 4\/4 MCMC chains/);
    const piped = n1kit(args);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
  });

  it('analysis errors name the field; missing files exit 6', () => {
    writeFileSync(join(dir, 'bad.csv'), 'day,value\n999,1\n');
    const r = n1kit(['analyze', '--design', join(dir, 'ab.json'), '--observations', join(dir, 'bad.csv'), '--outcome', 'normal', '--reference', 'placebo', '--better', 'lower']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/E_INVALID_ARGUMENT/);
    expect(r.stderr).toMatch(/observations/);
    const m = n1kit(['analyze', '--design', join(dir, 'missing.json')]);
    expect(m.code).toBe(6);
    expect(m.stderr).toMatch(/E_IO: cannot read/);
  });

  it('report and analyze write nothing when the input is bad', () => {
    writeFileSync(join(dir, 'bad-design.json'), JSON.stringify({ treatments: ['a'], periods: [] }));
    const html = join(dir, 'never.html');
    const r = n1kit(['report', '--design', join(dir, 'bad-design.json'), '--out', html]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/E_INVALID_ARGUMENT/);
    expect(existsSync(html)).toBe(false);
    expect(n1kit(['report', '--design', join(dir, 'ab.json')]).code).toBe(2); // --out is required
    const out = join(dir, 'analysis-never.json');
    const a = n1kit(['analyze', '--design', join(dir, 'ab.json'), '--observations', join(dir, 'bad.csv'), '--outcome', 'normal', '--reference', 'placebo', '--better', 'lower', '--out', out]);
    expect(a.code).toBe(3);
    expect(existsSync(out)).toBe(false);
    const csv = n1kit(['analyze', '--design', join(dir, 'ab.json'), '--observations', join(dir, 'not-there.csv')]);
    expect(csv.code).toBe(6);
  });

  it('reads the analyzeTrial input as JSON from stdin', () => {
    const design = JSON.parse(readFileSync(join(dir, 'ab.json'), 'utf8')) as { periods: { treatment: string; startDay: number; endDay: number }[] };
    const observations = design.periods.flatMap((p) => [{ day: p.endDay, value: p.treatment === 'active' ? 1 : 4 }, { day: p.endDay - 1, value: p.treatment === 'active' ? 1.5 : 4.5 }]);
    const input = JSON.stringify({ design, observations, outcome: 'normal', reference: 'placebo', betterIs: 'lower', mcmc: { seed: 3 } });
    const r = n1kit(['analyze', '-', '--json'], input);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).effects.active.mean).toBeLessThan(-2);
  });
});

describe('n1kit prior', () => {
  it('elicits the offline migraine prior', () => {
    const r = n1kit(['prior', '--json']);
    expect(r.code).toBe(0);
    const prior = JSON.parse(r.stdout) as { effects: Record<string, { family: string }>; source: { provider: string } };
    expect(Object.keys(prior.effects).length).toBeGreaterThanOrEqual(2);
  });
  it('a malformed request is invalid input (exit 3) and nothing is written', () => {
    writeFileSync(join(dir, 'req.json'), JSON.stringify({ patient: {}, candidates: [], outcome: { name: 'x', family: 'normal', betterIs: 'lower' } }));
    const out = join(dir, 'prior-never.json');
    const r = n1kit(['prior', join(dir, 'req.json'), '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/E_INVALID_ARGUMENT \(field: [^)]*candidates/);
    expect(existsSync(out)).toBe(false);
  });
  it('an unreachable LLM server is a provider error (exit 5)', () => {
    const r = n1kit(['prior', '--llm-base-url', 'http://127.0.0.1:9/v1']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/E_PROVIDER/);
  });
});

describe('n1kit series', () => {
  it('analyses a series of trials; bad input exits 3', () => {
    const mk = (id: string, seed: string, effect: number) => {
      const r = n1kit(['design', '--treatments', 'active,placebo', '--blocks', '2', '--period-days', '5', '--seed', seed, '--json']);
      const design = JSON.parse(r.stdout) as { periods: { treatment: string; startDay: number; endDay: number }[] };
      const observations = design.periods.flatMap((p) =>
        Array.from({ length: p.endDay - p.startDay + 1 }, (_, k) => ({ day: p.startDay + k, value: 5 + (p.treatment === 'active' ? effect : 0) + (((k * 3) % 5) - 2) / 4 })),
      );
      return { id, design, observations };
    };
    const input = {
      trials: [mk('p1', 'a', -2), mk('p2', 'b', -1.5), mk('p3', 'c', -2.5)],
      outcome: 'normal',
      reference: 'placebo',
      betterIs: 'lower',
      priors: { populationEffects: { active: { family: 'normal', mean: 0, sd: 5 } } },
      mcmc: { seed: 1, draws: 500, warmup: 500, chains: 2 },
    };
    writeFileSync(join(dir, 'series.json'), JSON.stringify(input));
    const r = n1kit(['series', join(dir, 'series.json'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as { population: { active: { mean: number } }; individuals: Record<string, unknown> };
    expect(res.population.active.mean).toBeLessThan(-1);
    expect(Object.keys(res.individuals).sort()).toEqual(['p1', 'p2', 'p3']);
    const badInput = { ...input, reference: 'nobody' };
    writeFileSync(join(dir, 'series-bad.json'), JSON.stringify(badInput));
    const b = n1kit(['series', join(dir, 'series-bad.json')]);
    expect(b.code).toBe(3);
    expect(b.stderr).toMatch(/E_INVALID_ARGUMENT.*reference/);
  });
});

describe('n1kit demo', () => {
  it('tells the migraine story offline and writes a report with the verdict, the table and seven charts', () => {
    const out = join(dir, 'demo');
    const r = n1kit(['demo', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Step 1\./);
    expect(r.stdout).toMatch(/Step 2\. The N-of-1 trial: 6 periods of 14 days/);
    expect(r.stdout).toMatch(/Recommendation: magnesium/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<svg/g)?.length).toBe(7); // forest, 2 prior-vs-posterior, diary, ranking, schedule, running rate
    expect(html).toMatch(/For the patient: what the trial found/);
    expect(html).toMatch(/Magnesium[^<]* probably cuts the odds of migraine days/); // a yes/no diary: binomial model
    for (const f of ['design.json', 'diary.csv', 'analysis.json', 'prior.json', 'chart-1.svg']) expect(existsSync(join(out, f))).toBe(true);
  });
  it('--json gives the same decision as plain data, deterministic in the seed', () => {
    const a = JSON.parse(n1kit(['demo', '--out', join(dir, 'demo-a'), '--json']).stdout);
    const b = JSON.parse(n1kit(['demo', '--out', join(dir, 'demo-b'), '--json']).stdout);
    expect(a.decision.action).toBe('trial');
    expect(a.recommendation).toEqual(b.recommendation);
    expect(a.posterior).toEqual(b.posterior);
  });
});

describe('n1kit demo with an LLM prior', () => {
  it('elicits the prior from an OpenAI-compatible server given by --llm-base-url, sending no diary', async () => {
    // An LLM that believes magnesium and sleep regularity both help a little.
    const llm = await fakeLlmServer({
      sleepRegularity: { mean: -1.5, sd: 1.5 },
      magnesium: { mean: -1.5, sd: 1.5 },
      coenzymeQ10: { mean: -0.5, sd: 1.5 },
      riboflavin: { mean: -0.5, sd: 1.5 },
    });
    const { bodies } = llm;
    try {
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          [CLI, 'demo', '--out', join(dir, 'demo-llm'), '--json', '--llm-base-url', llm.url, '--llm-model', 'test-model'],
          { encoding: 'utf8', env: { ...process.env, N1KIT_LLM_BASE_URL: '' }, timeout: 60_000 },
          (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)),
        );
      });
      const result = JSON.parse(stdout) as { prior: { source: { provider: string; model?: string } }; decision: { action: string } };
      expect(result.prior.source.model).toBe('test-model');
      expect(result.decision.action).toBe('trial');
      expect(bodies.length).toBeGreaterThan(0);
      for (const b of bodies) {
        expect(JSON.parse(b).model).toBe('test-model');
        expect(b).not.toMatch(/diary|"day"/); // only the request's candidates and outcome go out
      }
    } finally {
      llm.close();
    }
  });
});

describe('command gaps: design reminders and warnings, prior features and summaries, report options', () => {
  it('design --reminder and --dtstamp give a reproducible iCalendar file with one alarm per period', () => {
    const args = ['design', '--treatments', 'a,b,c', '--blocks', '2', '--seed', 'r', '--start-date', '2026-12-01', '--format', 'ics', '--dtstamp', '2026-12-01T09:00:00Z', '--reminder', '480'];
    expect(n1kit([...args, '--out', join(dir, 'r1.ics')]).code).toBe(0);
    expect(n1kit([...args, '--out', join(dir, 'r2.ics')]).code).toBe(0);
    const ics = readFileSync(join(dir, 'r1.ics'), 'utf8');
    expect(ics).toBe(readFileSync(join(dir, 'r2.ics'), 'utf8'));
    expect(ics.match(/BEGIN:VALARM/g)?.length).toBe(6);
    expect(ics).toMatch(/DTSTAMP:20261201T090000Z/);
  });

  it('design warns on an unbalanced Williams design and on back-to-back periods, on stderr only', () => {
    const w = n1kit(['design', '--treatments', 'a,b,c', '--blocks', '2', '--randomization', 'williams', '--seed', '1']);
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/warning: a Williams design for 3 treatments is balanced .* multiple of 6 blocks; 2 blocks leave it unbalanced/);
    const ok = n1kit(['design', '--treatments', 'a,b', '--blocks', '2', '--seed', '1', '--max-consecutive', '1']);
    expect(ok.stderr).toBe('');
    const runs = n1kit(['design', '--treatments', 'a,b', '--blocks', '3', '--randomization', 'fixed', '--seed', '1', '--json']);
    const d = JSON.parse(runs.stdout) as { periods: { treatment: string }[] };
    const backToBack = d.periods.some((p, i) => i > 0 && d.periods[i - 1]?.treatment === p.treatment);
    expect(/runs back to back/.test(runs.stderr)).toBe(backToBack);
  });

  it('prior --features sends only allow-listed features to the LLM server and prints mixtures readably', async () => {
    const llm = await fakeLlmServer(Object.fromEntries(['magnesium', 'sleepRegularity', 'riboflavin', 'coenzymeQ10'].map((id) => [id, { mean: -1, sd: 1 }])));
    const { bodies } = llm;
    try {
      const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [CLI, 'prior', '--llm-base-url', llm.url, '--features', 'ageBand=30-39,name=Alice', '--allow-features', 'ageBand'],
          { env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' },
          (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(bodies.length).toBeGreaterThan(0);
      for (const b of bodies) {
        expect(b).toContain('30-39');
        expect(b).not.toContain('Alice');
      }
      // A robustified LLM prior is a mixture: printed as mean, sd and interval, never raw JSON.
      expect(r.stdout).toMatch(/magnesium\s+mixture of \d+\s+-?\d+\.\d\d\s+\d+\.\d\d\s+\[-?\d+\.\d\d, -?\d+\.\d\d\]/);
      expect(r.stdout).not.toMatch(/"family"/);
    } finally {
      llm.close();
    }
  });

  it('report takes labels, an MCID, the outcome in words and deviations', () => {
    const labels = join(dir, 'labels.json');
    writeFileSync(labels, JSON.stringify({ active: 'Active 10 mg' }));
    writeFileSync(join(dir, 'dev.json'), JSON.stringify([{ kind: 'extra-day', day: 3, planned: 'placebo', recorded: 'active' }]));
    const html = join(dir, 'full.html');
    const r = n1kit(['report', '--design', join(dir, 'ab.json'), '--observations', join(dir, 'diary.csv'), '--analysis', join(dir, 'analysis.json'), '--labels', labels, '--label', 'placebo=Dummy pill', '--mcid', '1', '--outcome-name', 'pain score', '--unit', 'points', '--deviations', join(dir, 'dev.json'), '--out', html]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Active 10 mg probably cuts pain score by about/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('Dummy pill (reference)');
    expect(page).toContain('extra-day');
    expect(page).toContain('MCID -1.00');
    const bad = n1kit(['report', '--design', join(dir, 'ab.json'), '--analysis', join(dir, 'analysis.json'), '--label', 'oops', '--out', join(dir, 'never2.html')]);
    expect(bad.code).toBe(3);
    expect(existsSync(join(dir, 'never2.html'))).toBe(false);
  });
});
