// How each scorer's cost grows with the length of the response (issue 14): verl rows whose think
// section fills the response to about 1k, 8k, 32k and 64k characters, in English and in Chinese
// (the think section's language; summaries and their references are in that language too).
// Summaries are judged on the budgets per character of response; everything else is shown.
import { clearResponseCaches, clearScorerCaches, scoreItem, type ItemResult } from '../rewards/index.js';
import {
  choiceItems, emItems, lineItems, mathItems, retrievalItems, summaryItems, tableItems, thinkToLength,
  type BenchItem, type ThinkWriter,
} from './generate.js';
import { timeInterleaved, TimedLoop, type LoopOptions } from './measure.js';
import type { Lang } from './text.js';

export const LENGTHS = [1000, 8000, 32000, 64000] as const;
/** Lengths the per-character budgets are judged at (a 1k response is mostly per-item overhead). */
export const JUDGED_LENGTHS: readonly number[] = [8000, 32000, 64000];
/** µs per character of response (issue 14). */
export const SUMMARY_BUDGET_US_PER_CHAR: Readonly<Record<Lang, number>> = { en: 0.1, zh: 0.15 };

/** Rows per case: a few distinct ones, each a long text. */
const ITEMS = 8;
/** Summaries of this size (words, or Chinese characters) with references of about the same size. */
const SUMMARY_SIZE: Readonly<Record<Lang, number>> = { en: 100, zh: 150 };

interface LengthFamily {
  scorer: string;
  items(seed: number, lang: Lang, writer: ThinkWriter): BenchItem[];
}

const FAMILIES: readonly LengthFamily[] = [
  { scorer: 'em', items: (seed, _lang, w) => emItems(seed, ITEMS, w) },
  { scorer: 'choice', items: (seed, _lang, w) => choiceItems(seed, ITEMS, w) },
  { scorer: 'accuracy', items: (seed, _lang, w) => lineItems(seed, 'Accuracy', ITEMS, w) },
  { scorer: 'f1', items: (seed, _lang, w) => lineItems(seed, 'F1_Score', ITEMS, w) },
  { scorer: 'subem', items: (seed, _lang, w) => lineItems(seed, 'SubEM', ITEMS, w) },
  { scorer: 'ndcg', items: (seed, _lang, w) => lineItems(seed, 'NDCG', ITEMS, w) },
  { scorer: 'pairwise', items: (seed, _lang, w) => lineItems(seed, 'Pairwise_Accuracy', ITEMS, w) },
  { scorer: 'iou', items: (seed, _lang, w) => tableItems(seed, ITEMS, 'typical', w) },
  { scorer: 'retrieval_calculate', items: (seed, _lang, w) => retrievalItems(seed, ITEMS, w) },
  { scorer: 'math_verify', items: (seed, _lang, w) => mathItems(seed, 'int', ITEMS, w) },
  { scorer: 'rouge_l', items: (seed, lang, w) => summaryItems(seed, lang, SUMMARY_SIZE[lang], ITEMS, w) },
];

export interface LengthResult {
  scorer: string;
  lang: Lang;
  /** The length aimed at, and the rows' mean length (characters). */
  length: number;
  meanChars: number;
  /** CPU µs per item (median run) and per character of response. */
  us: number;
  usPerChar: number;
  budgetUsPerChar?: number;
  pass?: boolean;
  errors: number;
}

const score = (item: unknown): ItemResult => scoreItem(item, { timeoutMs: 60_000 });

export function runLengths(seed: number, opts: LoopOptions, onRound?: (round: number) => void): LengthResult[] {
  const cases: { family: LengthFamily; lang: Lang; length: number; rows: unknown[] }[] = [];
  let s = seed;
  for (const family of FAMILIES) {
    for (const lang of ['en', 'zh'] as const) {
      for (const length of LENGTHS) {
        s = (s * 7919 + 104729) >>> 0;
        // As a worker gets them: parsed from JSON, flat strings.
        const rows = JSON.parse(JSON.stringify(family.items(s, lang, thinkToLength(lang, length)).map((i) => i.verl))) as unknown[];
        cases.push({ family, lang, length, rows });
      }
    }
  }
  // Golds are reused by 16 rollouts, as in the per-scorer table; what is cached from responses
  // is dropped before every row (no two responses share anything: the worst case).
  const reuse = { uses: 16, clear: clearScorerCaches };
  const loops = cases.map((c) => new TimedLoop<unknown>(c.rows, score, reuse, clearResponseCaches));
  const timings = timeInterleaved(loops, opts, onRound);
  return cases.map((c, k): LengthResult => {
    const meanChars = c.rows.reduce((n: number, r) => n + (r as { solution_str: string }).solution_str.length, 0) / c.rows.length;
    const us = timings[k]!.us;
    const budget = c.family.scorer === 'rouge_l' && JUDGED_LENGTHS.includes(c.length) ? SUMMARY_BUDGET_US_PER_CHAR[c.lang] : undefined;
    const usPerChar = us / meanChars;
    return {
      scorer: c.family.scorer,
      lang: c.lang,
      length: c.length,
      meanChars: Math.round(meanChars),
      us,
      usPerChar,
      ...(budget !== undefined && { budgetUsPerChar: budget, pass: usPerChar <= budget }),
      errors: c.rows.filter((r) => score(r).score === null).length,
    };
  });
}

