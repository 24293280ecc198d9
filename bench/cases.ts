// The per-scorer benchmark cases and their budgets (../shared/spec/quality.md): ROUGE-L at
// 300 words ≤ 300 µs, math_verify on a typical numeric answer ≤ 20 µs, every other scorer ≤ 5 µs.
import {
  ZH_CHARS_PER_WORD, choiceItems, emItems, lineItems, mathItems, retrievalItems, summaryItems, tableItems,
  type BenchItem, type LineMetric, type MathKind,
} from './generate.js';

export interface ScorerCase {
  name: string;
  scorer: string;
  /** Input size, when the case is about size (e.g. "300 words"). */
  size?: string;
  items: BenchItem[];
  /**
   * Which form the budget is judged on: the verl row as trainers send it (think section
   * included), or for ROUGE-L the native item whose response is exactly the summary of that size.
   */
  judged: 'verl' | 'native';
  /** Microseconds per item; undefined when the spec sets no budget for the case. */
  budgetUs?: number;
  note?: string;
}

const ROUGE_WORDS = [100, 300, 2000];
const LINE_METRICS: readonly LineMetric[] = ['Accuracy', 'F1_Score', 'SubEM', 'NDCG', 'Pairwise_Accuracy'];
const LINE_NAMES: Readonly<Record<LineMetric, string>> = { Accuracy: 'accuracy', F1_Score: 'f1', SubEM: 'subem', NDCG: 'ndcg', Pairwise_Accuracy: 'pairwise' };
const MATH_KINDS: readonly MathKind[] = ['int', 'decimal', 'fraction', 'latex'];

/** Distinct items per case: enough that caches and branch predictors see variety. */
const ITEMS = 64;
/**
 * Summaries: fewer. A timed run covers whole reuse cycles (16 uses of each gold), and at
 * 0.1-1.4 ms a summary, 64 of them made runs of 0.2-0.7 s and three quarters of the per-scorer
 * section's time (quality.md gives the whole bench 3 minutes on 2 cores).
 */
const SUMMARY_ITEMS = 16;
const LONG_SUMMARY_ITEMS = 8;

export function scorerCases(seed: number): ScorerCase[] {
  let s = seed;
  const next = () => (s = (s * 7919 + 104729) >>> 0);
  const cases: ScorerCase[] = [
    { name: 'em', scorer: 'em', items: emItems(next(), ITEMS), judged: 'verl', budgetUs: 5 },
    { name: 'choice', scorer: 'choice', items: choiceItems(next(), ITEMS), judged: 'verl', budgetUs: 5 },
    ...LINE_METRICS.map((m): ScorerCase => ({ name: LINE_NAMES[m], scorer: LINE_NAMES[m], items: lineItems(next(), m, ITEMS), judged: 'verl', budgetUs: 5 })),
    { name: 'iou', scorer: 'iou', size: '1-7 rows', items: tableItems(next(), ITEMS), judged: 'verl', budgetUs: 5 },
    {
      name: 'iou big',
      scorer: 'iou',
      size: '8-12 rows',
      items: tableItems(seed ^ 0x7ab1e, ITEMS, 'big'), // its own seed, so the cases after it keep theirs
      judged: 'verl',
      note: 'pretty-printed tables of 8-12 rows, about 5 times the typical document: no budget, shows how the cost grows',
    },
    {
      name: 'retrieval_calculate',
      scorer: 'retrieval_calculate',
      items: retrievalItems(next(), ITEMS),
      judged: 'verl',
      budgetUs: 20,
      note: 'includes a math_verify of the boxed number, so judged on the math_verify budget',
    },
    ...MATH_KINDS.map(
      (k): ScorerCase => ({
        name: `math_verify ${k}`,
        scorer: 'math_verify',
        items: mathItems(next(), k, ITEMS),
        judged: 'verl',
        ...(k === 'latex' ? { note: 'LaTeX expressions (roots, π, polynomials, scientific notation): no budget in the spec' } : { budgetUs: 20 }),
      }),
    ),
  ];
  for (const lang of ['en', 'zh'] as const) {
    for (const words of ROUGE_WORDS) {
      const size = lang === 'en' ? words : Math.round(words * ZH_CHARS_PER_WORD);
      cases.push({
        name: `rouge_l ${lang} ${words}w`,
        scorer: 'rouge_l',
        size: lang === 'en' ? `${size} words` : `${size} chars`,
        items: summaryItems(next(), lang, size, words >= 2000 ? LONG_SUMMARY_ITEMS : SUMMARY_ITEMS),
        judged: 'native',
        ...(words === 300 && { budgetUs: 300 }),
      });
    }
  }
  // Items reach a scorer parsed from a request body, as flat strings; the generator builds
  // them by concatenation (rope strings that every character read would have to walk).
  return cases.map((c) => ({ ...c, items: JSON.parse(JSON.stringify(c.items)) as BenchItem[] }));
}
