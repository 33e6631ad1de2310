/**
 * Worker threads for `simulateTrials` (Node-only; exported from `n1kit/node`).
 *
 * The pool is tinypool rather than piscina: tinypool has no dependencies (piscina pulls in
 * native-optional helpers), is maintained by the vitest team and covers what shards need
 * (a fixed number of `worker_threads`, a task queue, abort signals, clean shutdown).
 *
 * @packageDocumentation
 */
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Tinypool } from 'tinypool';
import { fail, integer, plainObject } from '../validate.js';
import type { OperatingCharacteristics, ShardExecutor, SimulateTrialsOptions, SimulationPartial, SimulationSpec } from './trials.js';
import { abortReason, checkSimulateOptions, simulateTrials as simulateInThread } from './trials.js';
import type { TrialPlan, PlanTrialInput } from './plan.js';
import { planTrial as planInThread } from './plan.js';

/** Options of {@link threadExecutor}. */
export interface ThreadExecutorOptions {
  /** Worker threads. @defaultValue os.availableParallelism() */
  readonly workers?: number;
  /**
   * The worker entry (a module whose default export runs a shard). @defaultValue the built
   * package's `simulate-worker.js`, beside this module
   */
  readonly workerUrl?: string | URL;
}

function resolveThreadOptions(options: ThreadExecutorOptions): { workers: number; url: URL } {
  const fn = 'threadExecutor';
  const o = plainObject(fn, 'options', options) as ThreadExecutorOptions;
  const workers = o.workers === undefined ? availableParallelism() : integer(fn, 'options.workers', o.workers, 1, 1024);
  const url = o.workerUrl === undefined ? defaultWorkerUrl() : new URL(String(o.workerUrl), pathToFileURL(`${process.cwd()}/`));
  if (url.protocol === 'file:' && !existsSync(fileURLToPath(url))) {
    fail(fn, 'options.workerUrl', 'must name an existing worker file (build the package, or pass workerUrl)', fileURLToPath(url));
  }
  return { workers, url };
}

function defaultWorkerUrl(): URL {
  // The worker is dist/simulate-worker.js. ESM: this module is dist/simulate/threads.js (one
  // file per module), so the worker is one folder up; CJS: import.meta is empty, and this code
  // is bundled into dist/node.cjs beside the worker (__dirname).
  const here = typeof import.meta?.url === 'string' ? import.meta.url : undefined;
  if (here !== undefined) {
    const candidates = [new URL('../simulate-worker.js', here), new URL('./simulate-worker.js', here)];
    return candidates.find((u) => existsSync(fileURLToPath(u))) ?? (candidates[0] as URL);
  }
  return pathToFileURL(join(typeof __dirname === 'string' ? __dirname : process.cwd(), 'simulate-worker.js'));
}

/**
 * A {@link ShardExecutor} on `node:worker_threads` (tinypool): shards run in parallel, results
 * come back in shard order, so `simulateTrials` merges the same partials as in one thread.
 *
 * @param options - threads and worker entry
 * @returns the executor
 * @throws ValidationError for a bad `workers` count or a missing worker file
 * @example
 * ```ts
 * const oc = await simulateTrials(spec, { executor: threadExecutor({ workers: 2 }) });
 * ```
 * @see https://github.com/tinylibs/tinypool
 */
export function threadExecutor(options: ThreadExecutorOptions = {}): ShardExecutor {
  const { workers, url } = resolveThreadOptions(options);
  return async (shards, run) => {
    const pooled = poolExecutor(workers, url);
    try {
      return await pooled.executor(shards, run);
    } finally {
      await pooled.close();
    }
  };
}

/** A thread pool kept across executor calls (a plan's grid points) until `close`. */
function poolExecutor(workers: number, url: URL): { executor: ShardExecutor; close: () => Promise<void> } {
  let pool: Tinypool | undefined;
  const executor: ShardExecutor = async (shards, run) => {
    pool ??= new Tinypool({ filename: url.href, minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
    const p = pool;
    const ac = new AbortController();
    setMaxListeners(shards.length + 16, ac.signal);
    const onAbort = () => ac.abort(run.signal === undefined ? undefined : abortReason(run.signal));
    run.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (run.signal?.aborted) throw abortReason(run.signal);
      return await Promise.all(
        shards.map(async (sh) => {
          const r = (await p.run(sh, { signal: ac.signal })) as SimulationPartial;
          run.onShardDone?.(r);
          return r;
        }),
      );
    } catch (e) {
      if (run.signal?.aborted) throw abortReason(run.signal);
      throw e;
    } finally {
      run.signal?.removeEventListener('abort', onAbort);
    }
  };
  return {
    executor,
    close: async () => {
      const p = pool;
      pool = undefined;
      await p?.destroy();
    },
  };
}

/** The options of the thread versions, checked before they are read (the core's check plus `workerUrl`). */
function threadOptions(fn: string, options: unknown): SimulateTrialsOptions & { workerUrl?: string | URL } {
  if (options === undefined) return {};
  const { workerUrl, ...rest } = plainObject(fn, 'options', options);
  if (workerUrl !== undefined && typeof workerUrl !== 'string' && !(workerUrl instanceof URL)) fail(fn, 'options.workerUrl', 'must be a string or a URL', workerUrl);
  return { ...checkSimulateOptions(fn, rest), ...(workerUrl === undefined ? {} : { workerUrl: workerUrl as string | URL }) };
}

/**
 * `simulateTrials` on worker threads: the same result as the core's one-thread run, bit for
 * bit, `workers` times faster up to the cores available.
 *
 * @param spec - see the core `simulateTrials`
 * @param options - as the core's, plus `workerUrl`; `workers` defaults to 1 (in this thread)
 * @returns the operating characteristics
 * @throws ValidationError for an invalid spec or options; rejects on abort
 * @example
 * ```ts
 * import { simulateTrials } from 'n1kit/node';
 * const oc = await simulateTrials(spec, { workers: 2 });
 * ```
 * @see Percha et al. (2019), JMIR 21(4):e12641
 */
export async function simulateTrials(
  spec: SimulationSpec,
  options: SimulateTrialsOptions & { workerUrl?: string | URL } = {},
): Promise<OperatingCharacteristics> {
  const { workerUrl, ...rest } = threadOptions('simulateTrials', options);
  if (rest.executor !== undefined || (rest.workers ?? 1) <= 1) return simulateInThread(spec, rest);
  return simulateInThread(spec, { ...rest, executor: threadExecutor({ workers: rest.workers ?? 1, ...(workerUrl === undefined ? {} : { workerUrl }) }) });
}

/**
 * `planTrial` on worker threads (see the core `planTrial`).
 *
 * @param input - the plan input
 * @param options - workers, progress, abort, worker entry
 * @returns the plan
 * @throws ValidationError for an invalid input
 * @example
 * ```ts
 * import { planTrial } from 'n1kit/node';
 * const plan = await planTrial({ ...spec, search: { blocks: [2, 4, 6] }, target: { power: 0.8 } }, { workers: 2 });
 * ```
 * @see Percha et al. (2019), JMIR 21(4):e12641
 */
export async function planTrial(
  input: PlanTrialInput,
  options: SimulateTrialsOptions & { workerUrl?: string | URL } = {},
): Promise<TrialPlan> {
  const { workerUrl, ...rest } = threadOptions('planTrial', options);
  if (rest.executor !== undefined || (rest.workers ?? 1) <= 1) return planInThread(input, rest);
  // One pool for the whole grid: starting the threads (loading the bundle in each) is paid once.
  const o = resolveThreadOptions({ workers: rest.workers ?? 1, ...(workerUrl === undefined ? {} : { workerUrl }) });
  const pooled = poolExecutor(o.workers, o.url);
  return planInThread(input, { ...rest, executor: pooled.executor }).finally(() => pooled.close());
}
