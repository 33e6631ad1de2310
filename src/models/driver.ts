/**
 * The one MCMC driver of the models, in the style of BlackJAX: a model is plain functions over
 * plain data (`init(rng) → state`, `step(rng, state, warmupIteration) → state`, `write(state)`),
 * and the driver forks one random stream per chain, runs warm-up and the kept draws, reports
 * progress, and maps the row-major draw layout to named parameters.
 *
 * States are typed arrays and numbers that a step updates in place and returns (allocation
 * free in the sweep); nothing in a state refers to the driver.
 *
 * @packageDocumentation
 */
import type { Rng } from '../rng/index.js';
import { chainColumn } from './summarize.js';

/** A sampler as the driver sees it. @internal */
export interface ChainModel<S> {
  /** Numbers written per kept draw. */
  readonly width: number;
  /** The chain's starting state (may use `rng`). */
  init(rng: Rng): S;
  /** One sweep; `warmupIteration` counts warm-up sweeps from 0 and is −1 for kept draws. */
  step(rng: Rng, state: S, warmupIteration: number): S;
  /** Writes the current draw to `out[offset .. offset + width)`. */
  write(state: S, out: Float64Array, offset: number): void;
}

/** One chain: `warmup` sweeps, then `draws` kept sweeps, row-major (draws × width). @internal */
export function runChain<S>(model: ChainModel<S>, rng: Rng, warmup: number, draws: number): Float64Array {
  const out = new Float64Array(draws * model.width);
  let s = model.init(rng);
  for (let it = 0; it < warmup; it++) s = model.step(rng, s, it);
  for (let i = 0; i < draws; i++) {
    s = model.step(rng, s, -1);
    model.write(s, out, i * model.width);
  }
  return out;
}

/** How many chains and sweeps, and who hears about progress. @internal */
export interface DriverOptions {
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
  readonly onProgress?: ((chainsDone: number, chains: number) => void) | undefined;
}

/**
 * Runs `o.chains` chains of `model`, chain c on the stream `rng.fork('chain-<c>')`, calling
 * `onProgress(c + 1, chains)` after each. @internal
 */
export function runChains<S>(model: ChainModel<S>, rng: Rng, o: DriverOptions): Float64Array[] {
  const chains: Float64Array[] = [];
  for (let c = 0; c < o.chains; c++) {
    chains.push(runChain(model, rng.fork(`chain-${c}`), o.warmup, o.draws));
    o.onProgress?.(c + 1, o.chains);
  }
  return chains;
}

/** Named columns of a draw layout: each name's column index. @internal */
export type DrawLayout = ReadonlyArray<readonly [name: string, column: number]>;

/** Per-chain draws of every named parameter of `layout`. @internal */
export function namedDraws(chains: readonly Float64Array[], width: number, layout: DrawLayout): Record<string, Float64Array[]> {
  const out: Record<string, Float64Array[]> = {};
  for (const [name, col] of layout) out[name] = chainColumn(chains, width, col);
  return out;
}
