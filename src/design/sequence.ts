/**
 * The randomisation schemes: each returns the sequence of treatment indices (0 … k−1), one per
 * period, `k × blocks` long. Restricted randomisation (`maxConsecutive`) is done by rejection,
 * which keeps the draw uniform over the allowed sequences; where rejection would take too long
 * an exact counting sampler (uniform as well) takes over, so the mixture stays uniform.
 *
 * Internal module: {@link designTrial} is the public entry point.
 *
 * @packageDocumentation
 */
import { logSumExp } from '../dist/special.js';
import type { Rng } from '../rng/rng.js';
import { fail } from '../validate.js';
import { williamsSquare } from './williams.js';

/** Longest run of equal neighbours in `seq` (0 for an empty sequence). */
export function longestRun(seq: ArrayLike<unknown>): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < seq.length; i++) {
    run = i > 0 && seq[i] === seq[i - 1] ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

function range(k: number): number[] {
  return Array.from({ length: k }, (_, i) => i);
}

/**
 * Block randomisation: every block a uniformly random permutation. A run can only cross a block
 * boundary and is at most 2 long, so only `maxConsecutive = 1` restricts anything: then a block
 * may not start with the treatment that ended the previous one. Redrawing that block alone is
 * exact: by symmetry of the labels the number of allowed completions does not depend on which
 * treatment ended the block, so block-by-block rejection is uniform over allowed sequences.
 */
export function blockSequence(k: number, blocks: number, maxConsecutive: number | undefined, rng: Rng): number[] {
  const out: number[] = [];
  const ids = range(k);
  let prevLast = -1;
  for (let b = 0; b < blocks; b++) {
    let perm = rng.shuffle(ids);
    while (maxConsecutive === 1 && perm[0] === prevLast) perm = rng.shuffle(ids);
    out.push(...perm);
    prevLast = perm[k - 1] as number;
  }
  return out;
}

/**
 * Complete randomisation: a uniformly random permutation of the multiset holding each treatment
 * `blocks` times, restricted to runs ≤ `maxConsecutive` (always satisfiable for k ≥ 2).
 *
 * Rejection with early abandon: each attempt is a Fisher–Yates shuffle filled from the front
 * (position i takes a uniform pick of the items not yet placed, so a completed attempt is a
 * uniform permutation whatever order the items started in) and is abandoned at the first run
 * longer than allowed. After `stepBudget` placements without success, the exact counting
 * sampler takes over; both are uniform over the allowed sequences, so the result is too.
 */
export function completeSequence(
  k: number,
  blocks: number,
  maxConsecutive: number | undefined,
  rng: Rng,
  stepBudget = 2_000_000,
): number[] {
  const items: number[] = [];
  for (let b = 0; b < blocks; b++) for (let t = 0; t < k; t++) items.push(t);
  if (maxConsecutive === undefined || maxConsecutive >= blocks) return rng.shuffle(items);
  const n = items.length;
  let steps = 0;
  while (steps < stepBudget) {
    let run = 0;
    let ok = true;
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(rng.uniform() * (n - i));
      const t = items[j] as number;
      items[j] = items[i] as number;
      items[i] = t;
      steps++;
      run = i > 0 && t === items[i - 1] ? run + 1 : 1;
      if (run > maxConsecutive) {
        ok = false;
        break;
      }
    }
    if (ok) return items;
  }
  return completeSequenceExact(k, blocks, maxConsecutive, rng);
}

/** Most memoised states the exact samplers may create before giving up. */
const STATE_BUDGET = 3_000_000;

interface CompleteState {
  /** Remaining counts of the treatments other than the last one, sorted descending. */
  readonly others: readonly number[];
  /** Remaining count of the last treatment. */
  readonly last: number;
  /** Length of the current run of the last treatment. */
  readonly run: number;
  readonly key: string;
}

function completeState(others: number[], last: number, run: number): CompleteState {
  others.sort((a, b) => b - a);
  return { others, last, run, key: `${others.join(',')}|${last}|${run}` };
}

/**
 * Exact uniform sampler for complete randomisation with runs ≤ m. Counts the allowed
 * completions of every state (log scale, memoised; a state only needs the sorted counts of
 * the other treatments, the last treatment's count and its run length) and draws each next
 * treatment with probability proportional to its completions.
 */
export function completeSequenceExact(k: number, blocks: number, m: number, rng: Rng): number[] {
  const memo = new Map<string, number>();
  const children = (s: CompleteState): { state: CompleteState; logMult: number }[] => {
    const out: { state: CompleteState; logMult: number }[] = [];
    if (s.last > 0 && s.run < m) out.push({ state: completeState([...s.others], s.last - 1, s.run + 1), logMult: 0 });
    for (let i = 0; i < s.others.length; i++) {
      const v = s.others[i] as number;
      if (v === 0 || (i > 0 && s.others[i - 1] === v)) continue;
      let mult = 0;
      for (const w of s.others) if (w === v) mult++;
      const rest = [...s.others];
      rest.splice(i, 1);
      rest.push(s.last);
      out.push({ state: completeState(rest, v - 1, 1), logMult: Math.log(mult) });
    }
    return out;
  };
  // Iterative post-order evaluation (a recursion could be thousands of periods deep).
  const logCount = (root: CompleteState): number => {
    const stack: CompleteState[] = [root];
    while (stack.length > 0) {
      const s = stack[stack.length - 1] as CompleteState;
      if (memo.has(s.key)) {
        stack.pop();
        continue;
      }
      const total = s.last + s.others.reduce((a, b) => a + b, 0);
      if (total === 0) {
        memo.set(s.key, 0);
        stack.pop();
        continue;
      }
      const cs = children(s);
      const missing = cs.filter((c) => !memo.has(c.state.key));
      if (missing.length > 0) {
        for (const c of missing) stack.push(c.state);
        continue;
      }
      memo.set(s.key, cs.length === 0 ? Number.NEGATIVE_INFINITY : logSumExp(cs.map((c) => c.logMult + (memo.get(c.state.key) as number))));
      stack.pop();
      if (memo.size > STATE_BUDGET) {
        fail('designTrial', 'maxConsecutive', `is too restrictive to sample exactly for ${k} treatments × ${blocks} blocks; raise it`, m);
      }
    }
    return memo.get(root.key) as number;
  };

  const counts = new Array<number>(k).fill(blocks);
  const out: number[] = [];
  let last = -1;
  let run = 0;
  const n = k * blocks;
  for (let step = 0; step < n; step++) {
    const logW: number[] = [];
    for (let t = 0; t < k; t++) {
      const c = counts[t] as number;
      if (c === 0 || (t === last && run >= m)) {
        logW.push(Number.NEGATIVE_INFINITY);
        continue;
      }
      const others: number[] = [];
      for (let j = 0; j < k; j++) if (j !== t) others.push(counts[j] as number);
      logW.push(logCount(completeState(others, c - 1, t === last ? run + 1 : 1)));
    }
    const t = drawLogWeighted(logW, rng);
    run = t === last ? run + 1 : 1;
    last = t;
    counts[t] = (counts[t] as number) - 1;
    out.push(t);
  }
  return out;
}

/** Draws an index with probability ∝ exp(logW[i]). */
function drawLogWeighted(logW: readonly number[], rng: Rng): number {
  const lse = logSumExp(logW);
  if (!(lse > Number.NEGATIVE_INFINITY)) throw new Error('drawLogWeighted: no allowed choice'); // unreachable when feasible
  let u = rng.uniform();
  let lastOk = -1;
  for (let i = 0; i < logW.length; i++) {
    const w = logW[i] as number;
    if (w === Number.NEGATIVE_INFINITY) continue;
    lastOk = i;
    u -= Math.exp(w - lse);
    if (u < 0) return i;
  }
  return lastOk; // rounding: u was within float error of 1
}

/**
 * Counterbalanced order: pairs of blocks alternate (π, reverse π) and (reverse π, π), so for two
 * treatments the sequence is ABBA BAAB ABBA …; π is a random permutation (which label is A).
 * Within every pair of blocks each treatment's mean position is the same, which balances a
 * linear time trend; ABBA/BAAB alternation also balances a quadratic one for two treatments.
 */
export function counterbalancedSequence(k: number, blocks: number, rng: Rng): number[] {
  const pi = rng.shuffle(range(k));
  const rev = [...pi].reverse();
  const out: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const pair = Math.floor(b / 2);
    const second = b % 2 === 1;
    const reversed = pair % 2 === 0 ? second : !second;
    out.push(...(reversed ? rev : pi));
  }
  return out;
}

/** Fixed order: the treatments as given, in every block. */
export function fixedSequence(k: number, blocks: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < blocks; b++) for (let t = 0; t < k; t++) out.push(t);
  return out;
}

/**
 * Williams randomisation: the blocks are rows of {@link williamsSquare}(k) (size S = k or 2k).
 * Every row is used ⌊blocks / S⌋ times plus a uniformly random set of (blocks mod S) distinct
 * rows once more; the rows are put in uniformly random order and the labels assigned by a
 * random bijection. With `maxConsecutive = 1` no block may start with the treatment that ended
 * the previous block (longer runs cannot occur), drawn by rejection over the whole row
 * sequence, which is uniform over the allowed ones.
 */
export function williamsSequence(
  k: number,
  blocks: number,
  maxConsecutive: number | undefined,
  rng: Rng,
  attempts = 200_000,
): number[] {
  const rows = williamsSquare(k);
  const size = rows.length;
  if (maxConsecutive === 1 && k === 2 && blocks >= 2) {
    // Rows AB and BA: every row is used, and any junction between them repeats a treatment.
    fail('designTrial', 'maxConsecutive', 'cannot be 1 for a two-treatment Williams design with 2 or more blocks (AB and BA always meet)', maxConsecutive);
  }
  const q = Math.floor(blocks / size);
  const r = blocks % size;
  const ids = range(size);
  for (let a = 0; a < attempts; a++) {
    const chosen: number[] = [];
    for (let c = 0; c < q; c++) chosen.push(...ids);
    chosen.push(...rng.shuffle(ids).slice(0, r));
    const order = rng.shuffle(chosen);
    if (maxConsecutive === 1) {
      let ok = true;
      for (let i = 1; i < order.length && ok; i++) {
        const prev = rows[order[i - 1] as number] as number[];
        const next = rows[order[i] as number] as number[];
        if (prev[k - 1] === next[0]) ok = false;
      }
      if (!ok) continue;
    }
    const labels = rng.shuffle(ids.slice(0, k));
    const out: number[] = [];
    for (const o of order) for (const t of rows[o] as number[]) out.push(labels[t] as number);
    return out;
  }
  return fail(
    'designTrial',
    'maxConsecutive',
    `= 1 left no Williams row order found in ${attempts} random draws for ${k} treatments × ${blocks} blocks; use fewer blocks or maxConsecutive >= 2`,
    maxConsecutive,
  );
}
