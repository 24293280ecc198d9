// Every scorer is total: for any string it returns a number in [0, 1] or a typed item error,
// never throws, never hangs (quality.md "Robustness").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PY_WHITESPACE_CODE_POINTS } from '../rewards/text.js';
import { scoreItem, type ItemErrorCode, type ItemResult } from '../rewards/index.js';

const ERROR_CODES: ItemErrorCode[] = ['unknown_data_source', 'unknown_task', 'bad_ground_truth', 'bad_item', 'judge_required', 'timeout', 'input_too_large'];

function expectTotal(r: ItemResult): void {
  if (r.error) {
    expect(r.score).toBeNull();
    // internal_error would mean a scorer threw something unplanned: a bug.
    expect(ERROR_CODES).toContain(r.error.code);
  } else {
    expect(typeof r.score).toBe('number');
    expect(r.score! >= 0 && r.score! <= 1).toBe(true);
  }
}

const SPACES = PY_WHITESPACE_CODE_POINTS.map((c) => String.fromCharCode(c)).concat(['\ufeff', '\u200b', '\u180e']);
const MARKERS = ['[Answer]', '[答案]', '<think>', '</think>', '\\boxed{', '}', '{', '$', '\\frac{', '<answer>', '</answer>', 'The correct answer is (', '.', '\n', '<relevant_doc_ids>', '<|doc_1|>', '</relevant_doc_ids>', '<continue_reasoning>', '</continue_reasoning>', '\u0000', '\ud800', '\udc00', '😀', '中文', '-', '1', '2.5', '%', '^', '!'];

/** Strings that mix arbitrary text with every marker the scorers look for. */
const hostile = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...SPACES), fc.constantFrom(...MARKERS)), { maxLength: 40 })
  .map((parts) => parts.join(''));

const NATIVE_TASKS: Array<[string, (s: string) => unknown]> = [
  ['em', (s) => s],
  ['choice', (s) => s],
  ['accuracy', (s) => [s]],
  ['f1', (s) => [s, 'x']],
  ['subem', (s) => [s, s]],
  ['ndcg', (s) => [s, 'a', s]],
  ['pairwise', (s) => ['a', s, 'b']],
  ['rouge_l', (s) => [s, 'a. b']],
  ['iou', (s) => s],
  ['math_verify', (s) => s],
  ['retrieval_calculate', (s) => ({ doc_ids: ['<|doc_1|>'], golden_label: s })],
];

describe('every scorer is total on hostile strings', () => {
  for (const [task, reference] of NATIVE_TASKS) {
    it(task, () => {
      fc.assert(
        fc.property(hostile, hostile, (response, ref) => {
          expectTotal(scoreItem({ task, response, reference: reference(ref) }, { timeoutMs: 1000 }));
        }),
        { numRuns: 150 },
      );
    });
  }

  it('Chinese ROUGE-L', () => {
    fc.assert(
      fc.property(hostile, hostile, (response, ref) => {
        expectTotal(scoreItem({ task: 'rouge_l', response, reference: [ref], options: { language: 'zh' } }, { timeoutMs: 1000 }));
      }),
      { numRuns: 100 },
    );
  });

  it('verl rows with arbitrary JSON ground truths', () => {
    const sources = ['longbench_pro', 'multitableqa_pretraining', 'retrieval_calculate', 'selection', 'EM', 'math_longcot_math_verify', 'model_judge', 'nope'];
    fc.assert(
      fc.property(fc.constantFrom(...sources), hostile, fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 2 }), (ds, body, gt, extra) => {
        expectTotal(scoreItem({ data_source: ds, solution_str: `<think>x</think>${body}`, ground_truth: gt, extra_info: extra }, { timeoutMs: 1000 }));
      }),
      { numRuns: 400 },
    );
  });
});

describe('huge and pathological inputs', () => {
  const MB = 1 << 20;
  const huge: Array<[string, string]> = [
    ['1 MB of words', 'word '.repeat(MB / 5)],
    ['1 MB without spaces', 'x'.repeat(MB)],
    ['1 MB of newlines', '\n'.repeat(MB)],
    ['1 MB of NUL', '\u0000'.repeat(MB)],
    ['1 MB of lone surrogates', '\ud800'.repeat(MB)],
    ['unbalanced \\boxed{ 10,000 deep', '\\boxed{'.repeat(10_000)],
    ['[Answer] repeated', '[Answer]'.repeat(100_000)],
    ['<think> repeated', '<think>'.repeat(100_000)],
    ['choice phrase repeated', 'The correct answer is ('.repeat(40_000)],
    ['every Unicode space', SPACES.join('').repeat(30_000)],
  ];
  for (const [name, text] of huge) {
    it(name, () => {
      for (const [task, reference] of NATIVE_TASKS) {
        expectTotal(scoreItem({ task, response: text, reference: reference('a. b') }, { timeoutMs: 2000 }));
      }
    });
  }
});
