import { type Rng, type RngState, type Seed, createRng, restoreRng } from '../rng/index.js';
import { checkRng } from '../rng/rng.js';
import { fail, integer, knownKeys, nonEmptyString, plainObject, setOwn, uniqueLabels } from '../validate.js';
import {
  type AllocationControls,
  type ResolvedAllocationControls,
  applyControlsInPlace,
  checkFeasible,
  resolveControls,
} from './controls.js';

/** The policies n1kit implements (the `policy` tag of a {@link PolicyState}). */
export type PolicyName =
  | 'thompsonSampling'
  | 'topTwoThompson'
  | 'ucb1'
  | 'epsilonGreedy'
  | 'softmax'
  | 'linUCB'
  | 'linearThompson'
  | 'logisticThompson';

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** What `select` returns: the chosen arm and the allocation distribution it was drawn from. */
export interface BanditSelection {
  /** The chosen arm. */
  readonly arm: string;
  /**
   * The probabilities the arm was actually drawn with (after burn-in, power, floor and cap),
   * for every known arm (retired arms: 0). Log these as propensities for off-policy evaluation.
   */
  readonly probabilities: Readonly<Record<string, number>>;
  /**
   * `'exact'` when the raw allocation has a closed form (UCB1, ε-greedy, softmax, LinUCB) or
   * is P(arm is best) computed by numerical integration (the Thompson-sampling policies at
   * their default `draws`, accurate to about 1e-12); `'monte-carlo'` when it is an estimate
   * of P(arm is best) from `draws` posterior draws.
   * The arm is then drawn from that estimate (after the controls), so the reported
   * probabilities are exactly the arm's probability given the draws: IPS/DR with them stay
   * unbiased as long as every arm the target policy can choose has a positive reported
   * probability — which a `minProbability` floor guarantees, even with `draws: 1`.
   */
  readonly method: 'exact' | 'monte-carlo';
  /** Number of posterior draws behind a Monte Carlo allocation. */
  readonly draws?: number;
  /**
   * Per active arm: index scores (UCB1, LinUCB), mean rewards (ε-greedy, softmax; the
   * `initialValue` for untried arms), posterior means (Thompson sampling, linear Thompson:
   * xᵀμₐ), or the linear predictor xᵀθ̂ₐ at the posterior mode (logistic Thompson, logit scale).
   */
  readonly scores?: Readonly<Record<string, number>>;
  /**
   * Active arms left out of `scores` because their score is unbounded: UCB1's arms not yet
   * tried (their index is +∞, so they are chosen first). Present only when some arm is left
   * out; `scores` never holds Infinity or NaN (JSON would turn them into null).
   */
  readonly unscored?: readonly string[];
}

/** One observed reward, for {@link BanditPolicy.updateMany}. */
export interface BanditFeedback {
  readonly arm: string;
  readonly reward: number;
  /** The context the arm was chosen in (contextual policies only). */
  readonly context?: ArrayLike<number>;
}

/** Plain-JSON state of a policy; {@link restorePolicy} resumes it bit for bit. */
export interface PolicyState {
  readonly kind: 'n1kit.policy';
  readonly version: 1;
  readonly policy: PolicyName;
  readonly arms: readonly string[];
  readonly retired: readonly boolean[];
  readonly controls: ResolvedAllocationControls;
  readonly selections: number;
  readonly updates: number;
  readonly rng: RngState | null;
  readonly params: { readonly [key: string]: JsonValue };
  readonly stats: { readonly [key: string]: JsonValue };
}

/**
 * An allocation policy. Every policy in n1kit has this shape; contextual policies require
 * `context` (an array of `dimension` finite numbers) in `select` and `update`.
 */
export interface BanditPolicy {
  /** Which policy this is. */
  readonly policy: PolicyName;
  /** The active (not retired) arms, in order of addition. */
  readonly arms: readonly string[];
  /** Context length for contextual policies, else undefined. */
  readonly dimension: number | undefined;
  /** Number of selections made so far. */
  readonly selections: number;
  /** Number of rewards received so far. */
  readonly updates: number;
  /**
   * Chooses an arm. Uses `rng` when given, else the policy's own generator (option `seed`),
   * whose state travels in {@link BanditPolicy.toJSON}.
   */
  select(rng?: Rng | null, context?: ArrayLike<number>): BanditSelection;
  /**
   * Records one reward (may arrive late, in any order). Rewards and context entries must be
   * finite with magnitude ≤ 1e100 (so that the policy's sums stay finite).
   */
  update(arm: string, reward: number, context?: ArrayLike<number>): void;
  /** Records a batch of rewards; validates all of them before applying any. */
  updateMany(feedback: readonly BanditFeedback[]): void;
  /**
   * Adds a new arm; Thompson-sampling policies take an optional prior in their prior format,
   * the others take none (passing one throws).
   */
  addArm(arm: string, prior?: unknown): void;
  /** Retires an arm: it is no longer selected; late rewards for it are still accepted. */
  retireArm(arm: string): void;
  /** The full state as plain JSON, generator included. */
  toJSON(): PolicyState;
}

/** Options every policy accepts. */
export interface PolicyBaseOptions extends AllocationControls {
  /** Arm labels (unique, non-empty strings). */
  arms: readonly string[];
  /**
   * Seed of the policy's own generator, used when `select` is called without an `Rng`.
   * @defaultValue none (then `select` needs an `Rng`)
   */
  seed?: Seed;
}

/**
 * A decision made by drawing the arm directly (classical Thompson sampling: the arg-max of one
 * posterior draw per arm), whose probability is the exact raw allocation P(arm is best). Used
 * only when the controls leave the raw allocation unchanged; the allocation is then computed
 * when `probabilities` is first read, from a snapshot of the posterior taken at `select`.
 */
export interface DirectDraw {
  /** Position in `active` of the chosen arm. */
  readonly chosen: number;
  /** Writes the raw allocation over the active positions (it sums to 1). */
  allocation(out: Float64Array): void;
  /** Writes the scores over the active positions. */
  scores(out: Float64Array): void;
}

/** True when the controls leave every allocation unchanged at selection `t`. */
export function controlsAreIdentity(c: ResolvedAllocationControls, t: number): boolean {
  if (t < c.burnIn || c.minProbability > 0 || c.maxProbability < 1) return false;
  return (typeof c.power === 'number' ? c.power : t / (2 * c.power.horizon)) === 1;
}

/**
 * Index of the arg-max of `v[0..k)`; exact ties are broken uniformly at random with one extra
 * `rng.uniform()` (drawn only when there is a tie), the tie rule of `addArgmaxShare`.
 */
export function argmaxRandomTie(v: Float64Array, k: number, rng: Rng): number {
  let best = 0;
  let bv = v[0]!;
  let ties = 1;
  for (let j = 1; j < k; j++) {
    const x = v[j]!;
    if (x > bv) {
      bv = x;
      best = j;
      ties = 1;
    } else if (x === bv) ties++;
  }
  if (ties === 1) return best;
  let r = Math.min(ties - 1, Math.floor(rng.uniform() * ties));
  for (let j = 0; j < k; j++) {
    if (v[j] === bv) {
      if (r === 0) return j;
      r--;
    }
  }
  return best;
}

/** What a concrete policy supplies to {@link makePolicy}. */
export interface PolicyCore {
  readonly dimension: number | undefined;
  /** Raw allocation over the active arm indices `active` into `out` (sums to 1). */
  raw(
    rng: Rng,
    active: readonly number[],
    context: Float64Array | undefined,
    out: Float64Array,
    scores: Float64Array,
  ): { method: 'exact' | 'monte-carlo'; draws?: number; scores: boolean };
  /**
   * Optional: draws the arm directly when the controls are the identity (see
   * {@link DirectDraw}); `null` falls back to {@link PolicyCore.raw}.
   */
  direct?(rng: Rng, active: readonly number[], context: Float64Array | undefined): DirectDraw | null;
  /** Throws unless `reward` is acceptable. */
  checkReward(fn: string, field: string, reward: number): void;
  observe(arm: number, reward: number, context: Float64Array | undefined): void;
  addArm(fn: string, prior: unknown): void;
  params(): { [key: string]: JsonValue };
  stats(): { [key: string]: JsonValue };
}

export interface PolicyBase {
  arms: string[];
  retired: boolean[];
  controls: ResolvedAllocationControls;
  selections: number;
  updates: number;
  rng: Rng | null;
}

/** Options every policy accepts (PolicyBaseOptions and its AllocationControls). */
const BASE_KEYS = ['arms', 'seed', 'minProbability', 'maxProbability', 'burnIn', 'power'] as const;
/** Each policy's own option keys, beside {@link BASE_KEYS}: a misspelt one (`drawz`, `lamda`) is refused. */
const POLICY_KEYS: Readonly<Record<string, readonly string[]>> = {
  thompsonSampling: ['likelihood', 'priors', 'draws'],
  topTwoThompson: ['likelihood', 'priors', 'draws', 'leaderProbability'],
  ucb1: ['exploration'],
  epsilonGreedy: ['epsilon', 'initialValue'],
  softmax: ['temperature', 'initialValue'],
  linUCB: ['dimension', 'lambda', 'alpha'],
  linearThompson: ['dimension', 'lambda', 'noiseSd', 'draws'],
  logisticThompson: ['dimension', 'lambda', 'draws'],
};

/** Validates the options shared by every policy, and refuses option keys the policy `fn` does not know. */
export function resolveBase(fn: string, o: PolicyBaseOptions): PolicyBase {
  plainObject(fn, 'options', o);
  const own = Object.hasOwn(POLICY_KEYS, fn) ? POLICY_KEYS[fn] : undefined;
  if (own !== undefined) knownKeys(fn, 'options', o, [...BASE_KEYS, ...own]);
  const arms = uniqueLabels(fn, 'arms', o.arms);
  const controls = resolveControls(fn, o);
  checkFeasible(fn, controls, arms.length);
  let rng: Rng | null = null;
  if (o.seed !== undefined) rng = createRng(o.seed);
  return { arms, retired: arms.map(() => false), controls, selections: 0, updates: 0, rng };
}

/** Rebuilds the shared part of a state (validated). */
export function baseFromState(fn: string, s: PolicyState): PolicyBase {
  const arms = uniqueLabels(fn, 'state.arms', s.arms);
  if (!Array.isArray(s.retired) || s.retired.length !== arms.length || !s.retired.every((r) => typeof r === 'boolean')) {
    fail(fn, 'state.retired', `must be ${arms.length} booleans`, s.retired);
  }
  const controls = resolveControls(fn, s.controls as AllocationControls);
  const selections = integer(fn, 'state.selections', s.selections, 0);
  const updates = integer(fn, 'state.updates', s.updates, 0);
  return {
    arms,
    retired: [...s.retired],
    controls,
    selections,
    updates,
    rng: s.rng === null ? null : restoreRng(s.rng),
  };
}

/**
 * Largest magnitude accepted for a reward or a context entry. Policies keep sums of rewards,
 * of squared rewards and of xxᵀ; with |value| ≤ 1e100 those stay finite (no Infinity − Infinity
 * = NaN in a score or probability) for any realistic number of updates.
 */
export const MAX_POLICY_VALUE = 1e100;

function checkValue(fn: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(fn, field, 'must be a finite number', v);
  if (Math.abs(v) > MAX_POLICY_VALUE) fail(fn, field, 'must be within ±1e100 (sums of squares must stay finite)', v);
  return v;
}

/** Reads a context: an array of `d` finite numbers, copied into a Float64Array. */
export function readContext(fn: string, field: string, context: unknown, d: number): Float64Array {
  if (!(Array.isArray(context) || context instanceof Float64Array)) {
    fail(fn, field, `must be an array of ${d} finite numbers`, context);
  }
  const c = context as ArrayLike<number>;
  if (c.length !== d) fail(fn, field, `must have length ${d} (the policy's dimension)`, c.length);
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    out[i] = checkValue(fn, `${field}[${i}]`, c[i]);
  }
  return out;
}

/** Indices of the maxima of `scores` over `active` (exact ties). */
export function argmaxSet(scores: Float64Array, active: readonly number[]): number[] {
  let best = Number.NEGATIVE_INFINITY;
  let set: number[] = [];
  for (const i of active) {
    const v = scores[i]!;
    if (v > best) {
      best = v;
      set = [i];
    } else if (v === best) set.push(i);
  }
  return set.length > 0 ? set : [...active];
}

/**
 * The selection of a {@link DirectDraw}: `probabilities` and `scores` are computed on first
 * read (then cached) from the draw's snapshot. `active`, `position` and the templates are the
 * policy's arrays at `select` (replaced, never mutated, when arms are added or retired).
 */

function lazySelection(
  d: DirectDraw,
  arms: readonly string[],
  active: readonly number[],
  position: Int32Array,
  allTemplate: Record<string, number>,
  activeTemplate: Record<string, number>,
): BanditSelection {
  const n = position.length;
  let probabilities: Record<string, number> | undefined;
  let scores: Record<string, number> | undefined;
  return {
    arm: arms[active[d.chosen]!]!,
    method: 'exact',
    get probabilities(): Record<string, number> {
      if (probabilities === undefined) {
        const q = new Float64Array(active.length);
        d.allocation(q);
        const out: Record<string, number> = { ...allTemplate };
        for (let i = 0; i < n; i++) {
          const j = position[i]!;
          out[arms[i]!] = j < 0 ? 0 : q[j]!;
        }
        probabilities = out;
      }
      return probabilities;
    },
    get scores(): Record<string, number> {
      if (scores === undefined) {
        const q = new Float64Array(active.length);
        d.scores(q);
        const out: Record<string, number> = { ...activeTemplate };
        active.forEach((i, j) => {
          out[arms[i]!] = q[j]!;
        });
        scores = out;
      }
      return scores;
    },
  };
}

/** Builds the public policy object around a core and the shared state. */
export function makePolicy(name: PolicyName, base: PolicyBase, core: PolicyCore): BanditPolicy {
  const fnSelect = `${name}.select`;
  const fnUpdate = `${name}.update`;
  let active: number[] = [];
  const refreshActive = (): void => {
    active = [];
    base.retired.forEach((r, i) => {
      if (!r) active.push(i);
    });
  };
  refreshActive();
  let raw = new Float64Array(base.arms.length);
  let scores = new Float64Array(base.arms.length);
  let p = new Float64Array(active.length);
  // Templates of the per-decision records (every arm; the active arms), copied by spread and
  // then overwritten key by key: much cheaper than growing a fresh object. The placeholder
  // 0.5 makes V8 lay the fields out as doubles, so storing probabilities does not reshape the
  // copy; every value is overwritten before the record is returned.
  let allTemplate: Record<string, number> = {};
  let activeTemplate: Record<string, number> = {};
  let position = new Int32Array(0); // arm index → index in `active`, or -1 when retired
  const refreshTemplates = (): void => {
    allTemplate = {};
    // setOwn: an arm named '__proto__' stays a key (plain assignment would drop it).
    for (const a of base.arms) setOwn(allTemplate, a, 0.5);
    activeTemplate = {};
    for (const i of active) setOwn(activeTemplate, base.arms[i]!, 0.5);
    position = new Int32Array(base.arms.length).fill(-1);
    active.forEach((i, j) => {
      position[i] = j;
    });
  };
  refreshTemplates();

  const indexOf = (fn: string, field: string, arm: unknown): number => {
    const i = typeof arm === 'string' ? base.arms.indexOf(arm) : -1;
    if (i < 0) fail(fn, field, `must be one of the policy's arms (${base.arms.join(', ')})`, arm);
    return i;
  };
  const ctx = (fn: string, field: string, context: unknown): Float64Array | undefined =>
    core.dimension === undefined ? undefined : readContext(fn, field, context, core.dimension);

  const policy: BanditPolicy = {
    policy: name,
    get arms() {
      return active.map((i) => base.arms[i]!);
    },
    dimension: core.dimension,
    get selections() {
      return base.selections;
    },
    get updates() {
      return base.updates;
    },
    select(rngArg, context) {
      let rng: Rng;
      if (rngArg === undefined || rngArg === null) {
        if (base.rng === null) fail(fnSelect, 'rng', 'must be given when the policy has no `seed`', rngArg);
        rng = base.rng;
      } else {
        rng = checkRng(fnSelect, 'rng', rngArg);
      }
      const x = ctx(fnSelect, 'context', context);
      const k = active.length;
      if (core.direct !== undefined && controlsAreIdentity(base.controls, base.selections)) {
        const d = core.direct(rng, active, x);
        if (d !== null) {
          base.selections++;
          return lazySelection(d, base.arms, active, position, allTemplate, activeTemplate);
        }
      }
      raw.fill(0);
      const info = core.raw(rng, active, x, raw, scores);
      for (let j = 0; j < k; j++) p[j] = raw[active[j]!]!;
      applyControlsInPlace(p, base.controls, base.selections);
      const u = rng.uniform();
      let chosen = k - 1;
      let acc = 0;
      for (let j = 0; j < k; j++) {
        acc += p[j]!;
        if (u < acc) {
          chosen = j;
          break;
        }
      }
      // Never pick an arm with probability 0 through rounding in the last bucket.
      while (p[chosen]! <= 0 && chosen > 0) chosen--;
      base.selections++;
      const probabilities: Record<string, number> = { ...allTemplate };
      for (let i = 0; i < base.arms.length; i++) {
        const j = position[i]!;
        probabilities[base.arms[i]!] = j < 0 ? 0 : p[j]!;
      }
      const out: {
        arm: string;
        probabilities: Record<string, number>;
        method: 'exact' | 'monte-carlo';
        draws?: number;
        scores?: Record<string, number>;
        unscored?: string[];
      } = { arm: base.arms[active[chosen]!]!, probabilities, method: info.method };
      if (info.draws !== undefined) out.draws = info.draws;
      if (info.scores) {
        const sc: Record<string, number> = { ...activeTemplate };
        const unscored: string[] = [];
        for (const i of active) {
          const v = scores[i]!;
          if (Number.isFinite(v)) sc[base.arms[i]!] = v;
          else {
            delete sc[base.arms[i]!];
            unscored.push(base.arms[i]!);
          }
        }
        out.scores = sc;
        if (unscored.length > 0) out.unscored = unscored;
      }
      return out;
    },
    update(arm, reward, context) {
      const i = indexOf(fnUpdate, 'arm', arm);
      checkValue(fnUpdate, 'reward', reward);
      core.checkReward(fnUpdate, 'reward', reward);
      const x = ctx(fnUpdate, 'context', context);
      core.observe(i, reward, x);
      base.updates++;
    },
    updateMany(feedback) {
      const fn = `${name}.updateMany`;
      if (!Array.isArray(feedback)) fail(fn, 'feedback', 'must be an array of { arm, reward, context? }', feedback);
      const checked = feedback.map((f, j) => {
        plainObject(fn, `feedback[${j}]`, f);
        const i = indexOf(fn, `feedback[${j}].arm`, f.arm);
        checkValue(fn, `feedback[${j}].reward`, f.reward);
        core.checkReward(fn, `feedback[${j}].reward`, f.reward);
        return { i, r: f.reward, x: ctx(fn, `feedback[${j}].context`, f.context) };
      });
      for (const c of checked) {
        core.observe(c.i, c.r, c.x);
        base.updates++;
      }
    },
    addArm(arm, prior) {
      const fn = `${name}.addArm`;
      nonEmptyString(fn, 'arm', arm);
      if (base.arms.includes(arm)) fail(fn, 'arm', 'must be a new label', arm);
      checkFeasible(fn, base.controls, active.length + 1);
      core.addArm(fn, prior);
      base.arms.push(arm);
      base.retired.push(false);
      refreshActive();
      refreshTemplates();
      raw = new Float64Array(base.arms.length);
      scores = new Float64Array(base.arms.length);
      p = new Float64Array(active.length);
    },
    retireArm(arm) {
      const fn = `${name}.retireArm`;
      const i = indexOf(fn, 'arm', arm);
      if (base.retired[i]) fail(fn, 'arm', 'is already retired', arm);
      checkFeasible(fn, base.controls, active.length - 1);
      base.retired[i] = true;
      refreshActive();
      refreshTemplates();
      p = new Float64Array(active.length);
    },
    toJSON() {
      return {
        kind: 'n1kit.policy',
        version: 1,
        policy: name,
        arms: [...base.arms],
        retired: [...base.retired],
        controls: {
          minProbability: base.controls.minProbability,
          maxProbability: base.controls.maxProbability,
          burnIn: base.controls.burnIn,
          power: typeof base.controls.power === 'number' ? base.controls.power : { horizon: base.controls.power.horizon },
        },
        selections: base.selections,
        updates: base.updates,
        rng: base.rng === null ? null : base.rng.state(),
        params: core.params(),
        stats: core.stats(),
      };
    },
  };
  return policy;
}

/** Reads a numeric array of length `n` from a state. */
export function stateNumbers(fn: string, field: string, v: unknown, n: number): number[] {
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    fail(fn, field, `must be an array of ${n} finite numbers`, v);
  }
  return v as number[];
}
