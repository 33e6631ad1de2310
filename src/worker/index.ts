/**
 * `n1kit/worker`: analyses and bandits off the main thread, with the same plain-data API.
 *
 * In the worker script: `exposeWorkerFunctions(self, workerFunctions)`. On the main thread:
 * `const n1 = wrapWorker(worker); await n1.analyzeTrial(input)`. A small `postMessage` protocol
 * of its own (no comlink): every n1kit input and result is plain data already, so nothing
 * needs proxying, and errors come back as the same `N1kitError` classes with their `code`.
 * The client (`wrapWorker`) imports no statistics, so the main bundle stays small.
 *
 * @packageDocumentation
 */
export { type WorkerClient, type WorkerFunctionTable, wrapWorker } from './client.js';
export { exposeWorkerFunctions } from './expose.js';
export { banditSelect, banditUpdate, type WorkerFunctions, workerFunctions } from './functions.js';
export { type MessageEndpoint, WORKER_PROTOCOL, type WorkerErrorData, type WorkerReply, type WorkerRequest } from './protocol.js';
