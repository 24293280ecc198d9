// GoLongRL math_dapo.compute_score(solution, ground_truth, is_use_math_verify=True), i.e.
// math_verify_from_sky: Math-Verify parse() of the last 500 code points, a quick string match
// of the extracted text against the gold strings, then verify(parse("\boxed{gold}"), parsed).

import { jsPyTypeName, pyFromJs, pyStr } from '../pyjson.js';
import { lastCodePoints, codePointLength } from '../text.js';
import { ScoreFailure, type ScoreContext, type ScorerOutput } from '../types.js';
import { parseAnswer, type Extraction } from '../math/extract.js';
import { verifyLists, type Answer } from '../math/compare.js';
import { show } from '../math/nodes.js';
import { LruCache } from '../lruCache.js';

/** Gold strings longer than this cannot be parsed within an item budget (the regexes are superlinear). */
export const MAX_GOLD_CODE_POINTS = 10_000;

// Parsed gold answers per worker: a batch scores many rollouts against the same gold.
const GOLD_CACHE = new LruCache<Extraction>(2000);

function parseGold(gold: string, ctx: ScoreContext): Extraction {
  return GOLD_CACHE.get(gold, (g) => parseAnswer(`\\boxed{${g}}`, ctx));
}

export type MathVerifyRule = 'no_extraction' | 'unsupported_construct' | 'string_match' | 'verify_equal' | 'verify_unequal';

/** parse()'s result list: [value, first fallback string], each only when present. */
export function answers(e: Extraction): Answer[] {
  const out: Answer[] = [];
  if (e.value !== null) out.push(e.value);
  if (e.str) out.push(e.str);
  return out;
}

/**
 * The reference's `ground_truth = [gt] if isinstance(gt, str) else gt`, then
 * `parsed[1] in ground_truth` and `for gt in ground_truth`: the candidate gold strings with
 * Python semantics (dict -> keys, list -> str() of each element); `in` on anything else raises.
 */
function goldCandidates(gold: unknown, extracted: string, goldType = jsPyTypeName(gold)): { members: boolean; items: string[] } {
  if (typeof gold === 'string') return { members: gold === extracted, items: [gold] };
  if (Array.isArray(gold)) {
    // f"\\boxed{{{gt}}}" formats each element with str(): Python's (a float 100.0 prints "100.0").
    const list = pyFromJs(gold);
    return { members: gold.some((g) => typeof g === 'string' && g === extracted), items: list.t === 'list' ? list.v.map(pyStr) : [] };
  }
  if (gold !== null && typeof gold === 'object') {
    const keys = Object.keys(gold);
    return { members: keys.includes(extracted), items: keys };
  }
  throw new ScoreFailure(
    'bad_ground_truth',
    `ground truth is ${goldType}; the reference raises TypeError: argument of type '${goldType}' is not iterable`,
    'ground_truth',
  );
}

/** `goldType`: the gold's Python type name when the caller knows it (a JSON 42.0 is a float). */
export function mathVerifyScore(response: string, gold: unknown, ctx: ScoreContext, goldType?: string): ScorerOutput {
  const window = lastCodePoints(response, 500);
  const parsed = parseAnswer(window, ctx);
  if (ctx.audit) {
    ctx.audit.mathWindow = window;
    ctx.audit.mathWindowAt = response.length - window.length;
    ctx.audit.mathAnswerStart = parsed.start ?? -1;
    ctx.audit.mathAnswerEnd = parsed.end ?? -1;
  }
  const details = (rule: MathVerifyRule, extra: Record<string, unknown> = {}): Record<string, unknown> | undefined =>
    ctx.details
      ? {
          rule,
          extracted: parsed.str,
          extracted_value: parsed.value ? show(parsed.value) : null,
          // The last 500 code points Math-Verify read, and the match that gave the value in it.
          window,
          window_start: response.length - window.length,
          ...(parsed.start !== undefined && { match: { start: parsed.start, end: parsed.end, via: parsed.via } }),
          gold,
          ...extra,
        }
      : undefined;
  if (parsed.unsupported) return withDetails(0, details('unsupported_construct', { unsupported: parsed.unsupported }));
  if (parsed.value === null || !parsed.str) return withDetails(0, details('no_extraction'));
  const { members, items } = goldCandidates(gold, parsed.str, goldType);
  if (members) return withDetails(1, details('string_match'));
  const target = answers(parsed);
  const goldParses: Record<string, unknown>[] = [];
  for (const g of items) {
    if (codePointLength(g) > MAX_GOLD_CODE_POINTS) {
      throw new ScoreFailure('timeout', `ground truth of ${codePointLength(g)} code points is too long to parse within the item budget`);
    }
    const goldParsed = parseGold(g, ctx);
    if (ctx.details) {
      goldParses.push({
        gold: g,
        parsed: goldParsed.str,
        parsed_value: goldParsed.value ? show(goldParsed.value) : null,
        ...(goldParsed.unsupported ? { unsupported: goldParsed.unsupported } : {}),
      });
    }
    if (verifyLists(answers(goldParsed), target, ctx)) return withDetails(1, details('verify_equal', { gold_parse: goldParses }));
  }
  return withDetails(0, details('verify_unequal', { gold_parse: goldParses }));
}

function withDetails(score: number, details: Record<string, unknown> | undefined): ScorerOutput {
  return details ? { score, details } : { score };
}
