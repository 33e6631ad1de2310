/** `n1kit simulate`, `n1kit plan`, `n1kit worker`: planning by simulation (thin over the library). */
import type { Command } from 'commander';
import { ValidationError } from '../errors.js';
import { plotPowerCurve } from '../plot/index.js';
import type { PlanTrialInput, TrialPlan } from '../simulate/plan.js';
import { planTrial as planThreads, simulateTrials as simulateThreads } from '../simulate/threads.js';
import type { OperatingCharacteristics, SimulateTrialsOptions, SimulationSpec } from '../simulate/trials.js';
import { fmt, parseJson, readText, table, writeAtomic } from './io.js';
import { renderReport } from './report.js';

const intOpt = (name: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    throw new ValidationError(`n1kit: \`${name}\` must be an integer ≥ ${min}; got ${JSON.stringify(v)}`, { fn: 'n1kit', field: name, value: v });
  }
  return n;
};

/** A progress bar with ETA on stderr when it is a terminal (silent when piped or in CI). */
export function etaBar(label: string, stream: NodeJS.WriteStream = process.stderr): { onProgress: (done: number, total: number) => void; done(): void } {
  const enabled = stream.isTTY === true && process.env.CI === undefined;
  const t0 = Date.now();
  let last = 0;
  return {
    onProgress(done, total) {
      if (!enabled || total <= 0) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 24;
      const filled = Math.round((width * done) / total);
      const rate = done / Math.max(1e-3, (now - t0) / 1000);
      const eta = done > 0 ? Math.round((total - done) / rate) : 0;
      const etaText = done > 0 ? `ETA ${Math.floor(eta / 60)}m${String(eta % 60).padStart(2, '0')}s, ${rate.toFixed(0)}/s` : '';
      stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label} ${etaText}`.padEnd(78).slice(0, 78));
    },
    done() {
      if (enabled) stream.write(`\r${' '.repeat(78)}\r`);
    },
  };
}

function abortOnSigint(): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const on = () => ac.abort(new ValidationError('n1kit: interrupted', { fn: 'n1kit', field: 'signal' }));
  process.once('SIGINT', on);
  return { signal: ac.signal, dispose: () => process.off('SIGINT', on) };
}

async function runOptions(o: { workers?: number; queue?: string; shardSize?: number }, label: string): Promise<{ options: SimulateTrialsOptions; done(): void }> {
  const bar = etaBar(label);
  const stop = abortOnSigint();
  const options: SimulateTrialsOptions = {
    onProgress: bar.onProgress,
    signal: stop.signal,
    ...(o.shardSize === undefined ? {} : { shardSize: o.shardSize }),
    ...(o.workers === undefined ? {} : { workers: o.workers }),
  };
  if (o.queue !== undefined) {
    const { queueExecutor } = await import('../simulate/queue.js');
    return {
      options: { ...options, shardSize: o.shardSize ?? 100, executor: queueExecutor({ url: o.queue }) },
      done: () => {
        bar.done();
        stop.dispose();
      },
    };
  }
  return {
    options,
    done: () => {
      bar.done();
      stop.dispose();
    },
  };
}

/** The operating characteristics as a table. */
export function ocTable(oc: OperatingCharacteristics): string {
  const rows = Object.entries(oc.arms).map(([t, a]) => [t, a.truth, `${fmt(a.probSuccess)} ± ${fmt(a.mcse)}`, a.meanEstimate, a.bias, a.rmse, a.coverage, a.meanPeriods]);
  const s = oc.spec;
  const dec = s.decision ?? {};
  const head = `${oc.replicates} simulated trials (${oc.method}); success when P(better${dec.threshold ? ` by ${dec.threshold}` : ''}) ≥ ${dec.probability ?? 0.95}`;
  const tail = [
    `P(correct best arm): ${fmt(oc.probCorrectBest)}`,
    `mean trial length: ${fmt(oc.meanDays)} of ${oc.plannedDays} planned days${oc.stoppedEarly > 0 ? ` (stopped early in ${fmt(100 * oc.stoppedEarly)}%, ${fmt(oc.expectedDaysSaved)} days saved)` : ''}`,
    `converged: ${fmt(100 * oc.converged)}%${oc.failed > 0 ? `; ${oc.failed} replicates could not be analysed (counted as no success)` : ''}`,
  ];
  return `${head}\n${table(rows, ['arm', 'true effect', 'P(success)', 'mean est.', 'bias', 'rmse', 'coverage', 'periods'])}\n${tail.join('\n')}`;
}

/** The plan as a table. */
export function planTable(plan: TrialPlan): string {
  const rows = plan.grid.map((r) => [r.blocks, r.periodDays, r.washoutDays, r.totalDays, `${fmt(r.power)} ± ${fmt(r.mcse)}`, r === plan.chosen ? (plan.reached ? '<- shortest' : '<- best') : '']);
  return `${table(rows, ['blocks', 'period days', 'washout', 'days', `power (${plan.arm})`, ''])}\n\n${plan.summary}`;
}

/** Registers `simulate`, `plan` and `worker`. */
export function registerSimulateCommands(program: Command): void {
  program
    .command('simulate')
    .description('operating characteristics of a design and decision rule by simulation (power, type I error, bias, coverage)')
    .argument('<spec>', 'simulation spec JSON (design, scenario, analysis, decision, replicates, seed), or - for stdin')
    .option('--workers <n>', 'worker threads on this machine', intOpt('workers', 1))
    .option('--queue <url>', 'run the shards on a BullMQ queue, e.g. redis://127.0.0.1:6379 (start n1kit worker elsewhere)')
    .option('--shard-size <n>', 'replicates per shard', intOpt('shard-size', 1))
    .option('--out <file>', 'write the result JSON to a file')
    .option('--json', 'print JSON instead of a table')
    .action(async (path: string, o) => {
      const spec = parseJson(readText(path), path) as SimulationSpec;
      const run = await runOptions(o, 'replicates');
      let oc: OperatingCharacteristics;
      try {
        oc = await simulateThreads(spec, run.options);
      } finally {
        run.done();
      }
      if (o.out) writeAtomic(o.out, `${JSON.stringify(oc, null, 2)}\n`);
      process.stdout.write(o.json ? `${JSON.stringify(oc, null, 2)}\n` : `${ocTable(oc)}\n`);
    });

  program
    .command('plan')
    .description('how long must the trial be? the shortest design of a grid reaching a target power')
    .argument('<input>', 'JSON: a simulation spec plus search { blocks, periodDays, washoutDays } and target { power }')
    .option('--workers <n>', 'worker threads on this machine', intOpt('workers', 1))
    .option('--queue <url>', 'run the shards on a BullMQ queue')
    .option('--out <file>', 'write the plan JSON to a file')
    .option('--report <file>', 'write an HTML report with the power curve')
    .option('--json', 'print JSON instead of a table')
    .action(async (path: string, o) => {
      const input = parseJson(readText(path), path) as PlanTrialInput;
      const run = await runOptions(o, 'replicates');
      let plan: TrialPlan;
      try {
        plan = await planThreads(input, run.options);
      } finally {
        run.done();
      }
      if (o.out) writeAtomic(o.out, `${JSON.stringify(plan, null, 2)}\n`);
      if (o.report) {
        const { html } = await renderReport('Trial plan', [{ heading: 'Power by trial length', spec: plotPowerCurve(plan), text: [plan.summary] }]);
        writeAtomic(o.report, html);
      }
      process.stdout.write(o.json ? `${JSON.stringify(plan, null, 2)}\n` : `${planTable(plan)}\n`);
    });

  program
    .command('worker')
    .description('serve simulation shards from a BullMQ queue (run on any number of machines)')
    .requiredOption('--queue <url>', 'Redis URL, e.g. redis://10.0.0.5:6379')
    .option('--concurrency <n>', 'shards at once (1 per core)', intOpt('concurrency', 1), 1)
    .option('--lock-ms <n>', 'lock duration: a worker silent this long is presumed dead', intOpt('lock-ms', 100))
    .option('--stalled-ms <n>', 'how often to look for shards of dead workers', intOpt('stalled-ms', 100))
    .action(async (o) => {
      const { startSimulationWorker } = await import('../simulate/queue.js');
      const w = await startSimulationWorker({
        url: o.queue,
        concurrency: o.concurrency,
        ...(o.lockMs === undefined ? {} : { lockDuration: o.lockMs }),
        ...(o.stalledMs === undefined ? {} : { stalledInterval: o.stalledMs }),
        onShard: (sh) => process.stderr.write(`n1kit worker: shard ${sh.start}-${sh.end - 1}\n`),
      });
      await w.ready;
      process.stderr.write(`n1kit worker: serving ${o.queue} (concurrency ${o.concurrency})\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          w.close().then(resolve, resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
