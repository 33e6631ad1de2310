/**
 * The parsing side of the OpenAI-compatible adapter: the answer's JSON found in a model's text
 * in linear time (no backtracking regular expression), then checked.
 *
 * @packageDocumentation
 */
import { ownValue, setOwn } from '../../validate.js';

/** One elicited answer for one candidate: the population-average effect's mean and sd. */
export interface ElicitedEffect {
  readonly mean: number;
  readonly sd: number;
}

const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';
const FENCE = '```';

/**
 * The text without its `<think>…</think>` blocks (reasoning models think aloud first; their
 * thoughts are not the answer). An unclosed `<think>` is kept as text. One forward scan: each
 * `indexOf` starts where the last one ended, so the work is linear in the length.
 */
function dropThoughts(raw: string): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const open = raw.indexOf(THINK_OPEN, pos);
    if (open < 0) break;
    const close = raw.indexOf(THINK_CLOSE, open + THINK_OPEN.length);
    if (close < 0) break;
    out += raw.slice(pos, open);
    pos = close + THINK_CLOSE.length;
  }
  return out + raw.slice(pos);
}

/** The body of the first complete ```json fence, or undefined (linear: two `indexOf`s). */
function fencedBlock(text: string): string | undefined {
  const open = text.indexOf(FENCE);
  if (open < 0) return undefined;
  let start = open + FENCE.length;
  if (text.startsWith('json', start) || text.startsWith('JSON', start)) start += 4;
  const close = text.indexOf(FENCE, start);
  return close < 0 ? undefined : text.slice(start, close);
}

/** Finds the JSON object in a model's text: the whole text, a ```json fence, or the outermost braces. */
function extractJson(raw: string): unknown {
  const text = dropThoughts(raw);
  const attempts: string[] = [text.trim()];
  const fence = fencedBlock(text);
  if (fence !== undefined) attempts.push(fence.trim());
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first >= 0 && last > first) attempts.push(text.slice(first, last + 1));
  for (const a of attempts) {
    try {
      return JSON.parse(a);
    } catch {
      // try the next candidate
    }
  }
  throw new Error('the answer holds no parsable JSON object');
}

/** Largest |mean| and sd (and 1 / smallest sd) accepted from a model: beyond it the answer is nonsense and mixture moments overflow. */
const ELICITED_LIMIT = 1e100;

/**
 * Parses and checks one model answer (the `content` string): JSON directly, in a code fence, or
 * between the outermost braces, after dropping any `<think>…</think>` block; shape `{ "effects": { id: { mean, sd } } }` (a bare
 * `{ id: { mean, sd } }` is accepted too); every listed candidate present; `mean` finite with
 * |mean| ≤ 1e100; `sd` in [1e-100, 1e100]. Runs in time linear in the length of `content`.
 *
 * @param content - the model's answer text
 * @param ids - the candidate ids that must be present
 * @returns one `{ mean, sd }` per id
 * @throws Error (plain) saying what is wrong; the provider turns it into a `ProviderError`
 * @example
 * ```ts
 * parseElicitedEffects('Here you are: {"effects":{"mg":{"mean":-1.5,"sd":1}}}', ['mg']); // { mg: { mean: -1.5, sd: 1 } }
 * ```
 * @see Capstick et al. 2024, "AutoElicit", arXiv 2411.17284
 */
export function parseElicitedEffects(content: string, ids: readonly string[]): Record<string, ElicitedEffect> {
  if (typeof content !== 'string') throw new Error('the answer is not text');
  if (!Array.isArray(ids)) throw new Error('the candidate ids are not an array');
  const parsed = extractJson(content);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the answer is not a JSON object');
  const top = parsed as Record<string, unknown>;
  const inner = ownValue(top, 'effects');
  const effects = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : top;
  const out: Record<string, ElicitedEffect> = {};
  for (const id of ids) {
    const e = typeof id === 'string' ? ownValue(effects, id) : undefined;
    if (typeof e !== 'object' || e === null) throw new Error(`the answer has no effect for "${String(id)}"`);
    const mean = ownValue(e as Record<string, unknown>, 'mean');
    const sd = ownValue(e as Record<string, unknown>, 'sd');
    if (typeof mean !== 'number' || !Number.isFinite(mean) || Math.abs(mean) > ELICITED_LIMIT) {
      throw new Error(`"${id}".mean must be a finite number of magnitude at most 1e100`);
    }
    if (typeof sd !== 'number' || !Number.isFinite(sd) || sd <= 0) throw new Error(`"${id}".sd must be a finite number > 0`);
    if (sd < 1 / ELICITED_LIMIT || sd > ELICITED_LIMIT) throw new Error(`"${id}".sd must be in [1e-100, 1e100]`);
    setOwn(out, id, { mean, sd });
  }
  return out;
}

/** What a chat-completions body holds: the first choice's content and finish reason. */
export function parseCompletion(text: string): { content: unknown; finish: unknown } {
  const json = JSON.parse(text) as unknown;
  const choices = typeof json === 'object' && json !== null ? ownValue(json as Record<string, unknown>, 'choices') : undefined;
  const first = Array.isArray(choices) ? (choices[0] as unknown) : undefined;
  if (typeof first !== 'object' || first === null) return { content: undefined, finish: undefined };
  const message = ownValue(first as Record<string, unknown>, 'message');
  const content = typeof message === 'object' && message !== null ? ownValue(message as Record<string, unknown>, 'content') : undefined;
  return { content, finish: ownValue(first as Record<string, unknown>, 'finish_reason') };
}
