/**
 * `n1kit/queue`: simulation shards on a BullMQ (Redis) queue, for any number of machines.
 * Node-only; `bullmq` is an optional peer dependency, loaded when a function here is called.
 *
 * Each shard is one job (`jobId` = run id + shard index, so a re-enqueue is idempotent); a
 * worker runs it with `runSimulationShard` and returns the partial as the job's result. A
 * worker that dies mid-shard loses its lock; BullMQ's stalled-job check hands the shard to
 * another worker, and since a shard's result depends only on (spec, range), the merged result
 * is unchanged.
 *
 * @packageDocumentation
 */
import type { ConnectionOptions, Job } from 'bullmq';
import { fail, integer, nonEmptyString, plainObject } from '../validate.js';
import type { OperatingCharacteristics, ShardExecutor, SimulateTrialsOptions, SimulationPartial, SimulationShard, SimulationSpec } from './trials.js';
import { abortReason, runSimulationShard, simulateTrials } from './trials.js';

/** Options shared by the queue functions. */
export interface QueueOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  readonly url: string;
  /** Queue name. @defaultValue 'n1kit-simulate' */
  readonly name?: string;
  /** Lock duration of a shard (ms); a worker silent this long is presumed dead. @defaultValue 30000 */
  readonly lockDuration?: number;
  /** How often workers look for stalled shards (ms). @defaultValue 30000 */
  readonly stalledInterval?: number;
}

function connectionOf(fn: string, url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(nonEmptyString(fn, 'url', url));
  } catch {
    return fail(fn, 'url', 'must be a redis:// URL', url);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') fail(fn, 'url', 'must be a redis:// or rediss:// URL', url);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

async function loadBullmq(fn: string): Promise<typeof import('bullmq')> {
  try {
    return await import('bullmq');
  } catch (e) {
    return fail(fn, 'bullmq', 'must be installed to use n1kit/queue (npm install bullmq)', (e as Error).message);
  }
}

/**
 * A {@link ShardExecutor} that enqueues the shards on a BullMQ queue and waits for their
 * partials (returned in shard order, whichever worker ran them).
 *
 * @param options - Redis URL and queue name
 * @returns the executor
 * @throws ValidationError for a bad URL or a missing bullmq
 * @example
 * ```ts
 * const oc = await simulateTrials(spec, { executor: queueExecutor({ url: 'redis://127.0.0.1:6379' }) });
 * ```
 * @see https://docs.bullmq.io (Queue, QueueEvents, Job.waitUntilFinished)
 */
export function queueExecutor(options: QueueOptions): ShardExecutor {
  const fn = 'queueExecutor';
  const o = plainObject(fn, 'options', options) as unknown as QueueOptions;
  const connection = connectionOf(fn, o.url);
  const name = o.name === undefined ? 'n1kit-simulate' : nonEmptyString(fn, 'options.name', o.name);
  return async (shards, run) => {
    const { Queue, QueueEvents } = await loadBullmq(fn);
    const queue = new Queue(name, { connection });
    const events = new QueueEvents(name, { connection });
    const runId = `${Date.now().toString(36)}-${globalThis.crypto.randomUUID()}`;
    let onAbort: (() => void) | undefined;
    try {
      await events.waitUntilReady();
      const jobs = await queue.addBulk(
        shards.map((sh, i) => ({
          name: 'shard',
          data: sh,
          opts: { jobId: `${runId}-${i}`, attempts: 5, backoff: { type: 'fixed', delay: 200 }, removeOnComplete: true, removeOnFail: 100 },
        })),
      );
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(run.signal === undefined ? new Error('aborted') : abortReason(run.signal));
        if (run.signal?.aborted) onAbort();
        run.signal?.addEventListener('abort', onAbort, { once: true });
      });
      const results = await Promise.race([
        Promise.all(
          jobs.map(async (job: Job) => {
            const p = (await job.waitUntilFinished(events)) as SimulationPartial;
            run.onShardDone?.(p);
            return p;
          }),
        ),
        aborted,
      ]);
      return results;
    } catch (e) {
      if (run.signal?.aborted) {
        // Remove this run's waiting shards so workers do not compute them for nobody.
        await Promise.all(shards.map((_, i) => queue.remove(`${runId}-${i}`).catch(() => 0)));
      }
      throw e;
    } finally {
      if (onAbort !== undefined) run.signal?.removeEventListener('abort', onAbort);
      await events.close();
      await queue.close();
    }
  };
}

/**
 * `simulateTrials` through a BullMQ queue: the shards run on whatever `n1kit worker`
 * processes serve the queue; the result equals the one-thread result bit for bit.
 *
 * @param spec - the simulation spec
 * @param options - queue options plus the core options (progress, abort, shardSize)
 * @returns the operating characteristics
 * @throws ValidationError for an invalid spec, URL or options
 * @example
 * ```ts
 * import { simulateOnQueue } from 'n1kit/queue';
 * const oc = await simulateOnQueue(spec, { url: 'redis://10.0.0.5:6379', shardSize: 200 });
 * ```
 * @see https://docs.bullmq.io
 */
export function simulateOnQueue(spec: SimulationSpec, options: QueueOptions & Omit<SimulateTrialsOptions, 'executor' | 'workers'>): Promise<OperatingCharacteristics> {
  const { url, name, lockDuration: _l, stalledInterval: _s, ...rest } = options;
  return simulateTrials(spec, { shardSize: 100, ...rest, executor: queueExecutor({ url, ...(name === undefined ? {} : { name }) }) });
}

/** A running queue worker. */
export interface SimulationWorker {
  /** Resolves when the worker has connected. */
  readonly ready: Promise<void>;
  /** Stops taking shards and closes the connection (waits for the running shard unless `force`). */
  close(force?: boolean): Promise<void>;
}

/**
 * Serves simulation shards from a BullMQ queue in this process (`n1kit worker`). Shards run
 * with periodic yields, so the job lock keeps being renewed while a shard computes.
 *
 * @param options - queue options and `concurrency` (shards at once; 1 per core is right)
 * @returns the worker handle
 * @throws ValidationError for a bad URL, concurrency or missing bullmq
 * @example
 * ```ts
 * import { startSimulationWorker } from 'n1kit/queue';
 * const w = await startSimulationWorker({ url: 'redis://10.0.0.5:6379' });
 * ```
 * @see https://docs.bullmq.io/guide/workers/stalled-jobs
 */
export async function startSimulationWorker(
  options: QueueOptions & { concurrency?: number; onShard?: (shard: SimulationShard) => void },
): Promise<SimulationWorker> {
  const fn = 'startSimulationWorker';
  const o = plainObject(fn, 'options', options) as unknown as QueueOptions & { concurrency?: number; onShard?: (shard: SimulationShard) => void };
  const connection = connectionOf(fn, o.url);
  const name = o.name === undefined ? 'n1kit-simulate' : nonEmptyString(fn, 'options.name', o.name);
  const concurrency = o.concurrency === undefined ? 1 : integer(fn, 'options.concurrency', o.concurrency, 1, 256);
  const lockDuration = o.lockDuration === undefined ? 30_000 : integer(fn, 'options.lockDuration', o.lockDuration, 100, 3_600_000);
  const stalledInterval = o.stalledInterval === undefined ? 30_000 : integer(fn, 'options.stalledInterval', o.stalledInterval, 100, 3_600_000);
  const { Worker } = await loadBullmq(fn);
  const worker = new Worker(
    name,
    async (job: Job) => {
      o.onShard?.(job.data as SimulationShard);
      return runSimulationShard(job.data as SimulationShard, { yieldEveryMs: 20 });
    },
    { connection, concurrency, lockDuration, stalledInterval, maxStalledCount: 5 },
  );
  worker.on('error', () => {
    // Connection errors are retried by ioredis; keep the process alive.
  });
  return {
    ready: worker.waitUntilReady().then(() => undefined),
    close: (force = false) => worker.close(force),
  };
}
