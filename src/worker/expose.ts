/**
 * The worker side of the worker helper: {@link exposeWorkerFunctions} answers the calls of
 * {@link wrapWorker} by running functions from a table.
 *
 * @packageDocumentation
 */
import { fail, plainObject } from '../validate.js';
import type { WorkerFunctionTable } from './client.js';
import { type MessageEndpoint, WORKER_PROTOCOL, type WorkerErrorData, type WorkerReply, type WorkerRequest } from './protocol.js';

function errorData(e: unknown): WorkerErrorData {
  const x = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
  let value: unknown = x.value;
  try {
    value = structuredClone(value);
  } catch {
    value = String(value); // not cloneable: its text
  }
  return {
    name: typeof x.name === 'string' ? x.name : 'Error',
    code: typeof x.code === 'string' ? x.code : undefined,
    message: typeof x.message === 'string' ? x.message : String(e),
    fn: typeof x.fn === 'string' ? x.fn : undefined,
    field: typeof x.field === 'string' ? x.field : undefined,
    value,
  };
}

/**
 * Serves n1kit calls in a worker: call it once in the worker script. Each request runs the
 * named function of `table` (sync or async) and posts back its result or its error (as plain
 * data: `code`, `fn`, `field`, `value`, `message`). Calls run one at a time, in order.
 *
 * @param scope - the worker's global scope (`self`) or a `MessagePort`
 * @param table - the functions to expose, default {@link workerFunctions}; spread it to add yours
 * @returns a function that stops serving
 * @throws ValidationError when `scope` cannot receive messages or `table` is not an object of functions
 * @example
 * ```ts
 * // n1kit.worker.ts
 * import { exposeWorkerFunctions, workerFunctions } from 'n1kit/worker';
 * exposeWorkerFunctions(self, workerFunctions);
 * ```
 * @see WHATWG HTML, Web workers.
 */
export function exposeWorkerFunctions(scope: MessageEndpoint, table: WorkerFunctionTable): () => void {
  const fn = 'exposeWorkerFunctions';
  if (typeof scope !== 'object' || scope === null || typeof scope.postMessage !== 'function' || typeof scope.addEventListener !== 'function') {
    fail(fn, 'scope', 'must be a worker scope or MessagePort', scope);
  }
  plainObject(fn, 'table', table);
  for (const [name, f] of Object.entries(table)) if (typeof f !== 'function') fail(fn, `table.${name}`, 'must be a function', f);
  let queue: Promise<void> = Promise.resolve();
  const listener = (event: { data: unknown }): void => {
    const r = event.data as WorkerRequest | undefined;
    if (typeof r !== 'object' || r === null || r.protocol !== WORKER_PROTOCOL) return;
    queue = queue.then(async () => {
      let reply: WorkerReply;
      try {
        const f = Object.hasOwn(table, r.fn) ? table[r.fn] : undefined;
        if (f === undefined) fail('worker', 'fn', `must be one of ${Object.keys(table).join(', ')}`, r.fn);
        const args = Array.isArray(r.args) ? r.args : [];
        reply = { protocol: WORKER_PROTOCOL, id: r.id, ok: true, value: await (f as (...a: unknown[]) => unknown)(...args) };
      } catch (e) {
        reply = { protocol: WORKER_PROTOCOL, id: r.id, ok: false, error: errorData(e) };
      }
      try {
        scope.postMessage(reply);
      } catch (e) {
        scope.postMessage({ protocol: WORKER_PROTOCOL, id: r.id, ok: false, error: { ...errorData(e), message: `${r.fn}: the result cannot be sent back (not plain data)` } });
      }
    });
  };
  scope.addEventListener('message', listener);
  return () => scope.removeEventListener('message', listener);
}
