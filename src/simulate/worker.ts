/**
 * The worker entry of the thread pool (`dist/simulate-worker.js`): runs one shard per task.
 * Node-only (loaded by tinypool in a `worker_threads` Worker).
 *
 * @packageDocumentation
 */
import type { SimulationPartial, SimulationShard } from './trials.js';
import { runSimulationShard } from './trials.js';

/**
 * Runs one shard in the worker thread (no yielding: nothing else runs in this thread).
 *
 * @param shard - spec and replicate range (plain data, structured-cloned from the main thread)
 * @returns the shard's partial sums
 * @throws ValidationError for an invalid shard
 * @example
 * ```ts
 * // tinypool calls it: await pool.run(shard)
 * ```
 * @see https://github.com/tinylibs/tinypool
 */
export default function runShardTask(shard: SimulationShard): Promise<SimulationPartial> {
  return runSimulationShard(shard, { yieldEveryMs: -1 });
}
