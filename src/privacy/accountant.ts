/**
 * A privacy budget: tracks the (ε, δ) spent by differentially private releases under basic or
 * advanced composition and refuses a release that would exceed the budget.
 *
 * @packageDocumentation
 */
import { fail, nonNegative, oneOf, plainObject, positive } from '../validate.js';
import { PrivacyBudgetError } from './errors.js';

/** Relative slack for floating-point sums when comparing spent against budget (10 × 0.1 = 1). */
const BUDGET_TOLERANCE = 1e-12;

/** How spent (ε, δ) are added up. */
export type CompositionRule = 'basic' | 'advanced';

/** Options of {@link createPrivacyAccountant}. */
export interface PrivacyAccountantOptions {
  /** The total ε budget (> 0). */
  readonly epsilon: number;
  /**
   * The total δ budget, in [0, 1).
   * @defaultValue 0 (pure ε-differential privacy: only Laplace releases fit)
   */
  readonly delta?: number;
  /**
   * `'basic'`: ε and δ add up. `'advanced'`: the tighter of basic composition and advanced
   * composition (Dwork, Rothblum & Vadhan 2010), which spends `advancedDelta` of the δ budget
   * once and pays off when many small releases are made.
   * @defaultValue `'basic'`
   */
  readonly composition?: CompositionRule;
  /**
   * δ′ of advanced composition, in (0, delta]; only with `composition: 'advanced'`.
   * @defaultValue half the δ budget
   */
  readonly advancedDelta?: number;
}

/** The privacy cost of one release. */
export interface PrivacyCost {
  /** ε of the release (> 0). */
  readonly epsilon: number;
  /** δ of the release, in [0, 1). @defaultValue 0 */
  readonly delta?: number;
  /** A free-text note (e.g. what was released); stored with the accountant's state. */
  readonly label?: string;
}

/** (ε, δ) totals. */
export interface PrivacyLoss {
  readonly epsilon: number;
  readonly delta: number;
}

/** Serialised accountant (plain JSON), for {@link restorePrivacyAccountant}. */
export interface PrivacyAccountantState {
  readonly kind: 'n1kit.privacyAccountant';
  readonly version: 1;
  readonly budget: PrivacyLoss;
  readonly composition: CompositionRule;
  readonly advancedDelta: number | null;
  readonly releases: readonly { readonly epsilon: number; readonly delta: number; readonly label?: string }[];
}

/** A privacy budget accountant (see {@link createPrivacyAccountant}). */
export interface PrivacyAccountant {
  /** Records a release; throws {@link PrivacyBudgetError} (spending nothing) when it would exceed the budget. Returns the new total. */
  spend(cost: PrivacyCost): PrivacyLoss;
  /** Whether `cost` would fit in the remaining budget (spends nothing). */
  canSpend(cost: PrivacyCost): boolean;
  /** The total (ε, δ) spent so far under the accountant's composition rule. */
  spent(): PrivacyLoss;
  /** The budget minus {@link PrivacyAccountant.spent} (never negative). */
  remaining(): PrivacyLoss;
  /** The number of releases recorded. */
  readonly releases: number;
  /** The accountant's state as plain JSON. */
  toJSON(): PrivacyAccountantState;
}

interface Release {
  readonly epsilon: number;
  readonly delta: number;
  readonly label?: string;
}

function checkCost(fn: string, cost: unknown): Release {
  plainObject(fn, 'cost', cost);
  const c = cost as PrivacyCost;
  const epsilon = positive(fn, 'epsilon', c.epsilon);
  const delta = c.delta === undefined ? 0 : nonNegative(fn, 'delta', c.delta);
  if (delta >= 1) fail(fn, 'delta', 'must be in [0, 1)', delta);
  if (c.label !== undefined && typeof c.label !== 'string') fail(fn, 'label', 'must be a string', c.label);
  return c.label === undefined ? { epsilon, delta } : { epsilon, delta, label: c.label };
}

/**
 * Total privacy loss of `releases`: basic composition (Σε, Σδ) and, when `advancedDelta` is
 * given, advanced composition ε = √(2 ln(1/δ′) Σεᵢ²) + Σεᵢ(e^εᵢ − 1), δ = Σδᵢ + δ′.
 */
function compose(releases: readonly Release[], advancedDelta: number | null): PrivacyLoss[] {
  let eps = 0;
  let del = 0;
  let sq = 0;
  let drift = 0;
  for (const r of releases) {
    eps += r.epsilon;
    del += r.delta;
    sq += r.epsilon * r.epsilon;
    drift += r.epsilon * Math.expm1(r.epsilon);
  }
  const out: PrivacyLoss[] = [{ epsilon: eps, delta: del }];
  if (advancedDelta !== null && releases.length > 0) {
    out.push({ epsilon: Math.sqrt(2 * Math.log(1 / advancedDelta) * sq) + drift, delta: del + advancedDelta });
  }
  return out;
}

function build(budget: PrivacyLoss, composition: CompositionRule, advancedDelta: number | null, initial: Release[]): PrivacyAccountant {
  const releases = [...initial];
  const fits = (l: PrivacyLoss): boolean =>
    l.epsilon <= budget.epsilon * (1 + BUDGET_TOLERANCE) && l.delta <= budget.delta * (1 + BUDGET_TOLERANCE);
  /** The smallest-ε valid bound that fits the budget, or undefined. */
  const best = (rs: readonly Release[]): PrivacyLoss | undefined => {
    const ok = compose(rs, advancedDelta).filter(fits);
    if (ok.length === 0) return undefined;
    return ok.reduce((a, b) => (b.epsilon < a.epsilon ? b : a));
  };
  const spent = (): PrivacyLoss => best(releases) ?? compose(releases, null)[0]!;
  const remaining = (): PrivacyLoss => {
    const s = spent();
    return { epsilon: Math.max(0, budget.epsilon - s.epsilon), delta: Math.max(0, budget.delta - s.delta) };
  };
  return {
    spend(cost) {
      const r = checkCost('spend', cost);
      const next = best([...releases, r]);
      if (next === undefined) {
        const left = remaining();
        throw new PrivacyBudgetError(
          `spend: a release with epsilon ${r.epsilon} and delta ${r.delta} would exceed the privacy budget (remaining epsilon ${left.epsilon}, delta ${left.delta})`,
          { epsilon: r.epsilon, delta: r.delta },
          left,
          { fn: 'spend', field: 'epsilon', value: r.epsilon },
        );
      }
      releases.push(r);
      return next;
    },
    canSpend(cost) {
      return best([...releases, checkCost('canSpend', cost)]) !== undefined;
    },
    spent,
    remaining,
    get releases() {
      return releases.length;
    },
    toJSON() {
      return { kind: 'n1kit.privacyAccountant', version: 1, budget, composition, advancedDelta, releases: releases.map((r) => ({ ...r })) };
    },
  };
}

function resolveAccountant(fn: string, o: PrivacyAccountantOptions): { budget: PrivacyLoss; composition: CompositionRule; advancedDelta: number | null } {
  plainObject(fn, 'options', o);
  const epsilon = positive(fn, 'epsilon', o.epsilon);
  const delta = o.delta === undefined ? 0 : nonNegative(fn, 'delta', o.delta);
  if (delta >= 1) fail(fn, 'delta', 'must be in [0, 1)', delta);
  const composition = o.composition === undefined ? 'basic' : oneOf(fn, 'composition', o.composition, ['basic', 'advanced'] as const);
  let advancedDelta: number | null = null;
  if (composition === 'advanced') {
    if (delta === 0) fail(fn, 'delta', "must be > 0 with composition 'advanced' (advanced composition spends some delta)", delta);
    advancedDelta = o.advancedDelta === undefined ? delta / 2 : positive(fn, 'advancedDelta', o.advancedDelta);
    if (advancedDelta > delta) fail(fn, 'advancedDelta', `must be <= delta (${delta})`, advancedDelta);
  } else if (o.advancedDelta !== undefined && o.advancedDelta !== null) {
    fail(fn, 'advancedDelta', "is only allowed with composition 'advanced'", o.advancedDelta);
  }
  return { budget: { epsilon, delta }, composition, advancedDelta };
}

/**
 * Creates a privacy budget accountant. Each differentially private release spends some
 * (ε, δ); the accountant adds them up by basic composition (Σε, Σδ) or, with
 * `composition: 'advanced'`, by the tighter of basic and advanced composition
 * (ε′ = √(2k ln(1/δ′))·ε + kε(e^ε − 1), δ = kδ + δ′ for k releases of (ε, δ), in its
 * heterogeneous form), and refuses any release that would exceed the budget. Pass it as
 * `accountant` to {@link privateMean} or {@link privateEffectEstimate}.
 *
 * Advanced composition assumes the sequence of (εᵢ, δᵢ) is fixed in advance; when releases'
 * parameters are chosen adaptively from earlier results, use `'basic'` (Rogers et al. 2016).
 *
 * @param options - the budget and composition rule
 * @returns an accountant
 * @throws ValidationError (`'E_INVALID_ARGUMENT'`) on a bad budget
 * @example
 * ```ts
 * const acc = createPrivacyAccountant({ epsilon: 1, delta: 1e-5 });
 * acc.spend({ epsilon: 0.25 });
 * acc.remaining(); // returns { epsilon: 0.75, delta: 0.00001 }
 * ```
 * @see Dwork & Roth (2014), The Algorithmic Foundations of Differential Privacy, Thm 3.16 (basic) and 3.20 (advanced).
 * @see Dwork, Rothblum & Vadhan (2010), Boosting and differential privacy, FOCS.
 * @see Kairouz, Oh & Viswanath (2015), The composition theorem for differential privacy, ICML.
 */
export function createPrivacyAccountant(options: PrivacyAccountantOptions): PrivacyAccountant {
  const r = resolveAccountant('createPrivacyAccountant', options);
  return build(r.budget, r.composition, r.advancedDelta, []);
}

/**
 * Rebuilds an accountant from {@link PrivacyAccountant.toJSON}, with every recorded release.
 *
 * @param state - the serialised state (e.g. after `JSON.parse`)
 * @returns the accountant, continuing where the saved one stopped
 * @throws ValidationError when the state is malformed or over budget
 * @example
 * ```ts
 * const acc = createPrivacyAccountant({ epsilon: 1, delta: 1e-5 });
 * acc.spend({ epsilon: 0.25 });
 * const saved = JSON.stringify(acc);
 * const again = restorePrivacyAccountant(JSON.parse(saved));
 * again.remaining(); // same as acc.remaining()
 * ```
 * @see {@link createPrivacyAccountant}
 */
export function restorePrivacyAccountant(state: PrivacyAccountantState): PrivacyAccountant {
  const fn = 'restorePrivacyAccountant';
  plainObject(fn, 'state', state);
  if (state.kind !== 'n1kit.privacyAccountant' || state.version !== 1) fail(fn, 'state', 'must come from PrivacyAccountant.toJSON()', state.kind);
  plainObject(fn, 'state.budget', state.budget);
  const r = resolveAccountant(fn, {
    epsilon: state.budget.epsilon,
    delta: state.budget.delta,
    composition: state.composition,
    ...(state.advancedDelta === null ? {} : { advancedDelta: state.advancedDelta }),
  });
  if (!Array.isArray(state.releases)) fail(fn, 'state.releases', 'must be an array', state.releases);
  const releases = state.releases.map((x) => checkCost(fn, x));
  const acc = build(r.budget, r.composition, r.advancedDelta, []);
  for (const rel of releases) {
    if (!acc.canSpend(rel)) fail(fn, 'state.releases', 'exceed the budget', releases.length);
    acc.spend(rel);
  }
  return acc;
}
