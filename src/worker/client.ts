/**
 * The main-thread side of the worker helper: {@link wrapWorker} turns a `Worker` running
 * {@link exposeWorkerFunctions} into an object whose methods are the worker's functions,
 * returning promises. This file imports no statistics: an app's main bundle stays small.
 *
 * @packageDocumentation
 */
import { ConvergenceError, N1kitError, type N1kitErrorCode, ProviderError, ValidationError } from '../errors.js';
import { fail, nonEmptyString } from '../validate.js';
import { type MessageEndpoint, WORKER_PROTOCOL, type WorkerErrorData, type WorkerReply, type WorkerRequest } from './protocol.js';
import type { WorkerFunctions } from './functions.js';

/** Any table of worker functions: name to a function of plain data. */
export type WorkerFunctionTable = { readonly [name: string]: (...args: never[]) => unknown };

/** The main-thread proxy of a worker exposing the functions `F`: every call returns a promise. */
export type WorkerClient<F extends WorkerFunctionTable = WorkerFunctions> = {
  readonly [K in keyof F]: (...args: Parameters<F[K]>) => Promise<Awaited<ReturnType<F[K]>>>;
} & {
  /** Calls `fn` by name (for functions added with `exposeWorkerFunctions(scope, table)`). */
  call(fn: string, ...args: unknown[]): Promise<unknown>;
  /** Rejects every pending call and terminates the worker (when it has `terminate`). */
  terminate(): void;
};

function revive(e: WorkerErrorData): Error {
  const details = { fn: e.fn, field: e.field, value: e.value };
  switch (e.code) {
    case 'E_INVALID_ARGUMENT':
      return new ValidationError(e.message, details);
    case 'E_CONVERGENCE':
      return new ConvergenceError(e.message, details);
    case 'E_PROVIDER':
      return new ProviderError(e.message, details);
    case undefined: {
      const err = new Error(e.message);
      err.name = e.name;
      return err;
    }
    default:
      return new N1kitError(e.code as N1kitErrorCode, e.message, details);
  }
}

/**
 * Wraps a Web Worker (or any `MessagePort`-like endpoint) whose script calls
 * {@link exposeWorkerFunctions}: `client.analyzeTrial(input)` runs `analyzeTrial` in the worker
 * and resolves with its result, same plain-data API as on the main thread. Errors come back as
 * the same classes (`ValidationError` with `code`, `fn`, `field`, `value`, ...). Calls may
 * overlap; the worker runs them one after another.
 *
 * @param worker - the worker (`new Worker(url, { type: 'module' })`) or a `MessagePort`
 * @returns the client; `client.call(name, ...args)` reaches functions added to the table,
 *   `client.terminate()` ends the worker and rejects pending calls
 * @throws ValidationError when `worker` has no `postMessage` / `addEventListener`
 * @example
 * ```ts
 * import { wrapWorker } from 'n1kit/worker';
 * const n1 = wrapWorker(new Worker(new URL('./n1kit.worker.js', import.meta.url), { type: 'module' }));
 * const analysis = await n1.analyzeTrial({ design, observations, outcome: 'normal', reference: 'placebo', betterIs: 'lower' });
 * ```
 * @see WHATWG HTML, Web workers (`postMessage`, structured clone).
 */
export function wrapWorker<F extends WorkerFunctionTable = WorkerFunctions>(worker: MessageEndpoint & { terminate?(): void }): WorkerClient<F> {
  const fn = 'wrapWorker';
  if (
    typeof worker !== 'object' ||
    worker === null ||
    typeof worker.postMessage !== 'function' ||
    typeof worker.addEventListener !== 'function'
  ) {
    fail(fn, 'worker', 'must be a Worker or MessagePort', worker);
  }
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  worker.addEventListener('message', (event) => {
    const r = event.data as WorkerReply | undefined;
    if (typeof r !== 'object' || r === null || r.protocol !== WORKER_PROTOCOL) return;
    const p = pending.get(r.id);
    if (p === undefined) return;
    pending.delete(r.id);
    if (r.ok) p.resolve(r.value);
    else p.reject(revive(r.error));
  });
  const call = (name: string, ...args: unknown[]): Promise<unknown> => {
    nonEmptyString('call', 'fn', name);
    const id = next++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      const req: WorkerRequest = { protocol: WORKER_PROTOCOL, id, fn: name, args };
      try {
        worker.postMessage(req);
      } catch (cause) {
        pending.delete(id);
        reject(new ValidationError(`${name}: the arguments cannot be sent to a worker (not plain data)`, { fn: name, field: 'args', cause }));
      }
    });
  };
  const terminate = (): void => {
    worker.terminate?.();
    for (const p of pending.values()) p.reject(new N1kitError('E_INTERNAL', 'wrapWorker: the worker was terminated', { fn }));
    pending.clear();
  };
  return new Proxy({} as WorkerClient<F>, {
    get(_target, prop) {
      if (prop === 'call') return call;
      if (prop === 'terminate') return terminate;
      if (prop === 'then' || typeof prop !== 'string') return undefined; // not a thenable
      return (...args: unknown[]) => call(prop, ...args);
    },
  });
}
