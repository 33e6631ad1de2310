/**
 * Node-only entry point (`n1kit/node`): adapters that use `node:` modules. The core entry
 * (`n1kit`) never imports this file, so it stays usable in browsers.
 *
 * @packageDocumentation
 */
export { createFileBackend } from './privacy/file-backend.js';
export type { FileBackendOptions } from './privacy/file-backend.js';
export { planTrial, simulateTrials, threadExecutor } from './simulate/threads.js';
export type { ThreadExecutorOptions } from './simulate/threads.js';
