/**
 * The message protocol between {@link wrapWorker} and {@link exposeWorkerFunctions}: one
 * request per call, one reply per request, matched by `id`. Everything is plain data
 * (structured clone), like every n1kit input and result.
 *
 * @packageDocumentation
 */

/** Tag on every n1kit worker message, so other messages on the same port are ignored. */
export const WORKER_PROTOCOL = 'n1kit.worker.v1';

/** A call: run `fn` with `args`. */
export interface WorkerRequest {
  readonly protocol: typeof WORKER_PROTOCOL;
  readonly id: number;
  readonly fn: string;
  readonly args: readonly unknown[];
}

/** An N1kitError as plain data (code, function, field, value, message). */
export interface WorkerErrorData {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
  readonly fn: string | undefined;
  readonly field: string | undefined;
  readonly value: unknown;
}

/** The reply to a call: its value, or the error it threw. */
export type WorkerReply =
  | { readonly protocol: typeof WORKER_PROTOCOL; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly protocol: typeof WORKER_PROTOCOL; readonly id: number; readonly ok: false; readonly error: WorkerErrorData };

/** The part of `Worker` / `DedicatedWorkerGlobalScope` / `MessagePort` the protocol needs. */
export interface MessageEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
