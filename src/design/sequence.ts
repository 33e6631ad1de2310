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
import { logSumExp } from '../distributions/logsumexp.js';
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

/** Most states the exact complete-randomisation sampler may create before giving up. */
const COMPLETE_STATE_BUDGET = 400_000;

/**
 * Exact uniform sampler for complete randomisation with runs ≤ m. The number of allowed
 * completions of a partial sequence depends only on the remaining counts of the other
 * treatments (as a sorted multiset), the remaining count of the last treatment and its current
 * run length. Those states are enumerated level by level (one period per level), their
 * completions counted backwards on the log scale, and each next treatment drawn with
 * probability proportional to its completions.
 *
 * @throws ValidationError when the state space exceeds its budget
 */
export function completeSequenceExact(k: number, blocks: number, m: number, rng: Rng): number[] {
  const radix = blocks + 1;
  const n = k * blocks;
  const tooBig = (): never =>
    fail('designTrial', 'maxConsecutive', `= ${m} is too restrictive to sample for ${k} treatments × ${blocks} blocks of complete randomization; raise it or use 'block' randomization`, m);
  if (radix ** k * (m + 1) > Number.MAX_SAFE_INTEGER) tooBig();
  // key = ((Σ others[i]·radix^i)·radix + last)·(m + 1) + run, others sorted descending
  const encode = (others: readonly number[], last: number, run: number): number => {
    let key = 0;
    for (let i = others.length - 1; i >= 0; i--) key = key * radix + (others[i] as number);
    return (key * radix + last) * (m + 1) + run;
  };
  interface Node {
    readonly children: number[];
    readonly logMults: number[];
    logCount: number;
  }
  const nodes = new Map<number, Node>();
  const expand = (others: readonly number[], last: number, run: number, next: Map<number, { others: number[]; last: number; run: number }>): Node => {
    const node: Node = { children: [], logMults: [], logCount: Number.NEGATIVE_INFINITY };
    const add = (o: number[], l: number, r: number, logMult: number) => {
      o.sort((a, b) => b - a);
      const key = encode(o, l, r);
      node.children.push(key);
      node.logMults.push(logMult);
      if (!nodes.has(key) && !next.has(key)) next.set(key, { others: o, last: l, run: r });
    };
    if (last > 0 && run < m) add([...others], last - 1, run + 1, 0);
    for (let i = 0; i < others.length; i++) {
      const v = others[i] as number;
      if (v === 0 || (i > 0 && others[i - 1] === v)) continue;
      let mult = 0;
      for (const w of others) if (w === v) mult++;
      const rest = [...others];
      rest.splice(i, 1);
      rest.push(last);
      add(rest, v - 1, 1, Math.log(mult));
    }
    return node;
  };
  // Forward: every state reachable after the first period, level by level.
  let level = new Map<number, { others: number[]; last: number; run: number }>();
  const firstOthers = new Array<number>(k - 1).fill(blocks);
  const rootKey = encode(firstOthers, blocks - 1, 1); // by symmetry every first treatment is alike
  level.set(rootKey, { others: firstOthers, last: blocks - 1, run: 1 });
  const levels: number[][] = [];
  for (let depth = 1; depth <= n; depth++) {
    const next = new Map<number, { others: number[]; last: number; run: number }>();
    const keys: number[] = [];
    for (const [key, st] of level) {
      keys.push(key);
      nodes.set(key, depth === n ? { children: [], logMults: [], logCount: 0 } : expand(st.others, st.last, st.run, next));
      if (nodes.size + next.size > COMPLETE_STATE_BUDGET) tooBig();
    }
    levels.push(keys);
    level = next;
  }
  // Backward: log number of allowed completions of each state.
  for (let d = levels.length - 2; d >= 0; d--) {
    for (const key of levels[d] as number[]) {
      const node = nodes.get(key) as Node;
      const terms = node.children.map((c, i) => (node.logMults[i] as number) + (nodes.get(c) as Node).logCount);
      node.logCount = terms.length === 0 ? Number.NEGATIVE_INFINITY : logSumExp(terms);
    }
  }
  // Sample: the first treatment uniformly, then each next one ∝ its completions.
  const counts = new Array<number>(k).fill(blocks);
  const out: number[] = [];
  let last = rng.integer(k);
  let run = 1;
  counts[last] = blocks - 1;
  out.push(last);
  for (let step = 1; step < n; step++) {
    const logW: number[] = [];
    for (let t = 0; t < k; t++) {
      const c = counts[t] as number;
      if (c === 0 || (t === last && run >= m)) {
        logW.push(Number.NEGATIVE_INFINITY);
        continue;
      }
      const others: number[] = [];
      for (let j = 0; j < k; j++) if (j !== t) others.push(counts[j] as number);
      others.sort((a, b) => b - a);
      const node = nodes.get(encode(others, c - 1, t === last ? run + 1 : 1));
      logW.push(node === undefined ? Number.NEGATIVE_INFINITY : node.logCount);
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
 * the previous block (longer runs cannot occur: each row is a permutation). That is drawn by
 * rejection with early abandon over the whole row sequence (uniform over the allowed ones),
 * and after `stepBudget` placements by the exact counting sampler {@link williamsRowOrderExact}
 * (uniform as well), which also proves infeasibility.
 */
export function williamsSequence(
  k: number,
  blocks: number,
  maxConsecutive: number | undefined,
  rng: Rng,
  stepBudget?: number,
): number[] {
  const rows = williamsSquare(k);
  const size = rows.length;
  const q = Math.floor(blocks / size);
  const r = blocks % size;
  // Rejection gets a short budget when the exact sampler can take over, a long one otherwise.
  const exactFits = williamsExactFits(size, k, q, r);
  const budget = stepBudget ?? (exactFits ? 2_000_000 : 60_000_000);
  const ids = range(size);
  let order: number[] | undefined;
  if (maxConsecutive !== 1) {
    const chosen: number[] = [];
    for (let c = 0; c < q; c++) chosen.push(...ids);
    chosen.push(...rng.shuffle(ids).slice(0, r));
    order = rng.shuffle(chosen);
  } else {
    if (k === 2 && blocks >= 2) {
      // Rows AB and BA: both are used, and wherever they meet a treatment repeats.
      fail('designTrial', 'maxConsecutive', 'cannot be 1 for a two-treatment Williams design with 2 or more blocks (AB and BA always meet)', maxConsecutive);
    }
    // A junction is forbidden with probability about 1/k (the next row starts with the
    // treatment that ended the last one), so rejection needs about (1 - 1/k)^-(blocks - 1)
    // attempts; fail at once when that is out of reach and the exact sampler cannot help.
    const expectedSteps = (size + k) * (1 - 1 / k) ** -(blocks - 1);
    if (!exactFits && expectedSteps > budget / 4) williamsRowOrderExact(rows, blocks, rng); // throws
    let steps = 0;
    attempts: while (steps < budget) {
      const items: number[] = [];
      for (let c = 0; c < q; c++) items.push(...ids);
      items.push(...rng.shuffle(ids).slice(0, r));
      steps += size;
      for (let i = 0; i < blocks; i++) {
        const j = i + Math.floor(rng.uniform() * (blocks - i));
        const t = items[j] as number;
        items[j] = items[i] as number;
        items[i] = t;
        steps++;
        if (i > 0 && (rows[items[i - 1] as number] as number[])[k - 1] === (rows[t] as number[])[0]) continue attempts;
      }
      order = items;
      break;
    }
    order ??= williamsRowOrderExact(rows, blocks, rng);
  }
  const labels = rng.shuffle(range(k));
  const out: number[] = [];
  for (const o of order) for (const t of rows[o] as number[]) out.push(labels[t] as number);
  return out;
}

/** Largest memo the exact Williams sampler may allocate (entries). */
const WILLIAMS_MEMO_BUDGET = 6_000_000;
/** Most row subsets the exact Williams sampler may weigh. */
const WILLIAMS_SUBSET_BUDGET = 5_000;

function binomial(n: number, r: number): number {
  let c = 1;
  for (let i = 0; i < r; i++) c = (c * (n - i)) / (i + 1);
  return Math.round(c);
}

/** Whether {@link williamsRowOrderExact} stays within its memory and subset budgets. */
function williamsExactFits(size: number, k: number, q: number, r: number): boolean {
  return (q + 2) ** size * k <= WILLIAMS_MEMO_BUDGET && binomial(size, r) <= WILLIAMS_SUBSET_BUDGET;
}

function combinations(n: number, r: number): number[][] {
  const out: number[][] = [];
  const cur: number[] = [];
  const rec = (start: number): void => {
    if (cur.length === r) {
      out.push([...cur]);
      return;
    }
    for (let i = start; i < n; i++) {
      cur.push(i);
      rec(i + 1);
      cur.pop();
    }
  };
  rec(0);
  return out;
}

/**
 * Exact uniform draw of a Williams row order with no block starting with the treatment that
 * ended the previous block. Counts the allowed completions of every state (remaining uses of
 * each row, last treatment) in a mixed-radix memo, weighs each possible set of extra rows by its
 * number of allowed orders, then draws rows one at a time proportionally to their completions.
 *
 * @throws ValidationError when no allowed order exists, or the counting would exceed its budget
 */
export function williamsRowOrderExact(rows: readonly (readonly number[])[], blocks: number, rng: Rng): number[] {
  const size = rows.length;
  const k = (rows[0] as readonly number[]).length;
  const q = Math.floor(blocks / size);
  const r = blocks % size;
  const first = rows.map((row) => row[0] as number);
  const last = rows.map((row) => row[k - 1] as number);
  const radix = q + 2;
  const strides: number[] = [];
  let states = 1;
  for (let s = 0; s < size; s++) {
    strides.push(states);
    states *= radix;
  }
  if (!williamsExactFits(size, k, q, r)) {
    fail('designTrial', 'maxConsecutive', `= 1 is too restrictive to sample for ${k} treatments × ${blocks} Williams blocks; use fewer blocks or maxConsecutive >= 2`, 1);
  }
  const memo = new Float64Array(states * k).fill(-1);
  const counts = new Array<number>(size).fill(0);
  // Allowed completions from the current `counts` (index idx) after a row ending in lastSym.
  const count = (idx: number, remaining: number, lastSym: number): number => {
    if (remaining === 0) return 1;
    const key = idx * k + lastSym;
    const cached = memo[key] as number;
    if (cached >= 0) return cached;
    let total = 0;
    for (let s = 0; s < size; s++) {
      if ((counts[s] as number) === 0 || first[s] === lastSym) continue;
      counts[s] = (counts[s] as number) - 1;
      total += count(idx - (strides[s] as number), remaining - 1, last[s] as number);
      counts[s] = (counts[s] as number) + 1;
    }
    memo[key] = total;
    return total;
  };
  const setCounts = (extra: readonly number[]): number => {
    let idx = 0;
    for (let s = 0; s < size; s++) {
      counts[s] = q + (extra.includes(s) ? 1 : 0);
      idx += (counts[s] as number) * (strides[s] as number);
    }
    return idx;
  };
  const rootWeights = (idx: number): number[] =>
    rows.map((_, s) => {
      if ((counts[s] as number) === 0) return 0;
      counts[s] = (counts[s] as number) - 1;
      const w = count(idx - (strides[s] as number), blocks - 1, last[s] as number);
      counts[s] = (counts[s] as number) + 1;
      return w;
    });
  const subsets = r === 0 ? [[]] : combinations(size, r);
  const subsetWeights = subsets.map((sub) => rootWeights(setCounts(sub)).reduce((a, b) => a + b, 0));
  if (!(subsetWeights.reduce((a, b) => a + b, 0) > 0)) {
    fail('designTrial', 'maxConsecutive', `cannot be 1 for ${k} treatments × ${blocks} Williams blocks: no row order avoids a repeat`, 1);
  }
  let idx = setCounts(subsets[drawWeighted(subsetWeights, rng)] as number[]);
  const order: number[] = [];
  let lastSym = -1;
  for (let step = 0; step < blocks; step++) {
    const remaining = blocks - step - 1;
    const w = rows.map((_, s) => {
      if ((counts[s] as number) === 0 || first[s] === lastSym) return 0;
      counts[s] = (counts[s] as number) - 1;
      const c = count(idx - (strides[s] as number), remaining, last[s] as number);
      counts[s] = (counts[s] as number) + 1;
      return c;
    });
    const s = drawWeighted(w, rng);
    counts[s] = (counts[s] as number) - 1;
    idx -= strides[s] as number;
    lastSym = last[s] as number;
    order.push(s);
  }
  return order;
}

/** Draws an index with probability ∝ w[i] (w ≥ 0, not all 0). */
function drawWeighted(w: readonly number[], rng: Rng): number {
  const total = w.reduce((a, b) => a + b, 0);
  let u = rng.uniform() * total;
  let lastOk = -1;
  for (let i = 0; i < w.length; i++) {
    const x = w[i] as number;
    if (x <= 0) continue;
    lastOk = i;
    u -= x;
    if (u < 0) return i;
  }
  return lastOk;
}
