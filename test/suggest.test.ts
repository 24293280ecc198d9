// "Did you mean": near-misses of a data_source, task or LongBench-Pro sub-task stay errors, and
// the message names the likely name; far-off names get no suggestion.
import { describe, expect, it } from 'vitest';
import { scoreItem } from '../rewards/index.js';
import { LBP_SUBTASK_METRIC } from '../rewards/longbenchPro.js';
import { knownTaskNames } from '../rewards/registry.js';
import { didYouMean, suggestNames } from '../rewards/suggest.js';
import { VERL_DATA_SOURCES } from '../rewards/verlRouting.js';

const SUBTASKS = Object.keys(LBP_SUBTASK_METRIC);
const TASKS = knownTaskNames();
const SOURCES = VERL_DATA_SOURCES.map((r) => r.data_source);

describe('suggestNames', () => {
  it.each([
    ['longbench-pro', ['longbench_pro'], SOURCES],
    ['LongBench Pro', ['longbench_pro'], SOURCES],
    ['em', ['EM'], SOURCES],
    ['Selection', ['selection'], SOURCES],
    ['multitable_qa_pretraining', ['multitableqa_pretraining'], SOURCES],
    ['t7.1 global conflict & inconsistency localization', ['T7.1 Global Conflict & Inconsistency Localization'], SUBTASKS],
    ['T7.1', ['T7.1 Global Conflict & Inconsistency Localization'], SUBTASKS],
    ['T10', ['T10.1 Large-Scale In-Context Rule Induction', 'T10.2 Targeted Example-Based Rule Induction'], SUBTASKS],
    ['Global Conflict and Inconsistency Localization', ['T7.1 Global Conflict & Inconsistency Localization'], SUBTASKS],
    ['T5.1 Full Sentence Citation Alignment', ['T5.1 Full-Sentence Citation Alignment'], SUBTASKS],
    ['math', ['math_verify', 'math_verify_metric', 'math_dapo'], TASKS],
    ['rougel', ['rouge_l'], TASKS],
    ['ROUGE-L', ['rouge_l'], TASKS],
    ['f1-score', ['F1_Score'], TASKS],
    ['pairwise_acuracy', ['Pairwise_Accuracy'], TASKS],
    ['retreival_calculate', ['retrieval_calculate'], TASKS],
    ['warning', ['warn'], ['fatal', 'error', 'warn', 'info', 'debug']],
    ['selections', ['selection'], SOURCES],
  ])('%j → %j', (input, expected, known) => {
    expect(suggestNames(input, known)).toEqual(expected);
  });

  it.each([
    ['bogus', TASKS],
    ['gsm8k', SOURCES],
    ['ppo', ['grpo', 'drgrpo', 'qwenlong', 'tmn_grpo']],
    ['T99', SUBTASKS],
    ['T1', ['T10.1 Large-Scale In-Context Rule Induction']], // a prefix must end at a word or number part
    ['x', TASKS],
    ['', TASKS],
  ])('no suggestion for %j', (input, known) => {
    expect(suggestNames(input, known)).toEqual([]);
    expect(didYouMean(input, known)).toBe('');
  });

  it('offers at most three names, and nothing for a value that is not a string', () => {
    expect(suggestNames('T', SUBTASKS)).toEqual([]);
    expect(suggestNames('T1', SUBTASKS)).toEqual(['T1.1 Global Cohesive Retrieval', 'T1.2 Key-Snippet Retrieval']);
    expect(suggestNames('T8', SUBTASKS)).toHaveLength(3);
    expect(didYouMean(7, TASKS)).toBe('');
  });
});

const errorOf = (item: unknown) => scoreItem(item).error;
const gt = { doc_ids: ['x'], summary: 'English' };

describe('unknown names in items are errors that name the likely one', () => {
  it('data_source', () => {
    for (const [dataSource, hint] of [
      ['longbench-pro', '(did you mean "longbench_pro"?)'],
      ['em', '(did you mean "EM"?)'],
      ['Math-LongCoT-Math-Verify', '(did you mean "math_longcot_math_verify"?)'],
      ['math_verify', '(did you mean "math_dapo_math_verify" or a data_source containing "math_longcot_math_verify"?)'],
      ['AIME2024', '(did you mean "aime2024"?)'],
      ['math##algebra', '(did you mean a data_source starting with "MATH##" or "math"?)'],
      ['rouge_l', '("rouge_l" is a native task: send a native item {task, response, reference} instead of a verl row)'],
    ]) {
      const error = errorOf({ data_source: dataSource, solution_str: '</think>x', ground_truth: { golden_label: 'x' }, extra_info: {} });
      expect(error?.code, dataSource).toBe('unknown_data_source');
      expect(error?.message).toContain(`unknown data_source ${JSON.stringify(dataSource)} ${hint}; known: MATH##*, aime*, math_dapo, `);
    }
  });

  it('the known list explains its x* (prefix) and *…* (substring) entries', () => {
    const message = errorOf({ data_source: 'gsm8k', solution_str: 'x', ground_truth: 'x' })!.message;
    expect(message).not.toMatch(/did you mean/);
    expect(message).toMatch(/\*math_longcot_math_verify\*/);
    expect(message).toMatch(/ \(x\* stands for any data_source starting with x, e\.g\. "aime2024"\) /);
    expect(scoreItem({ data_source: 'aime2024', solution_str: '<think>a</think>\\boxed{1}', ground_truth: '1' }).score).toBe(1);
    expect(message).toMatch(/\(\*x\* stands for any data_source containing x, e\.g\. "dapo_math_longcot_math_verify"\)$/);
    // The example in the legend is itself routed.
    expect(scoreItem({ data_source: 'dapo_math_longcot_math_verify', solution_str: '<think>a</think>\\boxed{1}', ground_truth: '1' }).score).toBe(1);
  });

  it('LongBench-Pro sub-task in extra_info.reward_mode', () => {
    for (const mode of ['t7.1 global conflict & inconsistency localization', 'T7.1', 'T7.1 Global Conflict and Inconsistency Localization']) {
      const error = errorOf({ data_source: 'longbench_pro', solution_str: '</think>[Answer]\nx', ground_truth: gt, extra_info: { reward_mode: mode } });
      expect(error?.code).toBe('unknown_task');
      expect(error?.message).toContain(`(did you mean "T7.1 Global Conflict & Inconsistency Localization"?); known: T1.1 `);
    }
  });

  it('native task', () => {
    expect(errorOf({ task: 'math', response: 'x', reference: 'x' })).toMatchObject({
      code: 'unknown_task',
      message: expect.stringContaining('unknown task "math" (did you mean "math_verify", "math_verify_metric" or "math_dapo"?); known: em, '),
    });
    expect(errorOf({ task: 'ROUGE-L', response: 'x', reference: ['x'] })!.message).toContain('(did you mean "rouge_l"?)');
    expect(errorOf({ task: 'longbench_pro', response: 'x', reference: ['x'] })!.message).toContain(
      '("longbench_pro" is a verl data_source: send a verl row {data_source, solution_str, ground_truth, extra_info} instead, or name a LongBench-Pro sub-task as the task)',
    );
    expect(errorOf({ task: 'bogus', response: 'x', reference: 'x' })!.message).toMatch(/^unknown task "bogus"; known: em, /);
  });
});

describe('item messages say how to fix the item', () => {
  it('a verl row with response instead of solution_str, and the other way round', () => {
    expect(errorOf({ data_source: 'EM', response: 'x', ground_truth: { golden_label: 'x' } })).toEqual({
      code: 'bad_item',
      field: 'solution_str',
      message: 'solution_str is missing: verl rows (with data_source) carry the rollout text in solution_str; "response" is the native items\' field ({task, response, reference})',
    });
    expect(errorOf({ task: 'em', solution_str: 'x', reference: 'x' })!.message).toMatch(/^response is missing: native items \(with task\) carry the text in response; "solution_str" is the verl rows' field/);
    expect(errorOf({ task: 'em', response: 'x', ground_truth: 'x' })!.message).toMatch(/^reference is missing: native items carry the gold answer in reference; "ground_truth" is the verl rows' field \(em takes the gold answer string\)/);
    expect(errorOf({ data_source: 'EM', solution_str: 'x', reference: 'x' })!.message).toMatch(/^ground_truth is missing; "reference" is the native items' field, verl rows use ground_truth\. "EM" rows need ground_truth \{"golden_label"/);
    expect(errorOf({ data_source: 'EM', solution_str: 5 })!.message).toBe('solution_str must be a string, not a number');
    expect(errorOf({ data_source: 'EM' })!.message).toBe('solution_str is missing; a verl row is {data_source, solution_str, ground_truth, extra_info}');
    expect(errorOf({ task: 'em', response: null, reference: 'x' })!.message).toBe('response must be a string, not null');
  });

  it('a missing ground_truth or extra_info names the shape the data_source expects, never a Python exception', () => {
    for (const route of VERL_DATA_SOURCES) {
      const dataSource = route.match === 'exact' ? route.data_source : route.match === 'prefix' ? `${route.data_source}_x` : `dapo_${route.data_source}`;
      const error = errorOf({ data_source: dataSource, solution_str: '<think>a</think>b', extra_info: { reward_mode: 'math_verify' } });
      expect(error, dataSource).toEqual({ code: 'bad_ground_truth', field: 'ground_truth', message: `ground_truth is missing. ${JSON.stringify(dataSource)} rows need ground_truth ${route.ground_truth}` });
      expect(error!.message).not.toMatch(/TypeError|NoneType/);
    }
    expect(errorOf({ data_source: 'longbench_pro', solution_str: 'x', ground_truth: gt })!.message).toBe(`extra_info is missing. "longbench_pro" rows need extra_info ${VERL_DATA_SOURCES.find((r) => r.data_source === 'longbench_pro')!.extra_info}`);
  });

  it('a ground truth the reference fails on: what to send first, the reference\'s exception after', () => {
    const error = errorOf({ data_source: 'EM', solution_str: '</think>x', ground_truth: null });
    expect(error?.code).toBe('bad_ground_truth');
    expect(error?.message).toMatch(/^ground_truth is null\. "EM" rows need ground_truth \{"golden_label": "<answer>"\} \(a list: its last element is used\); the reference fails on this row: ground_truth\["golden_label"\] raises TypeError/);
    const lbp = errorOf({ data_source: 'longbench_pro', solution_str: '</think>x', ground_truth: { doc_ids: ['x'] }, extra_info: { reward_mode: 'T5.1 Full-Sentence Citation Alignment' } });
    expect(lbp?.message).toMatch(/^"longbench_pro" rows need ground_truth \{"doc_ids": \[.*"summary": "English" or "Chinese"\}.*; the reference fails on this row: ground_truth\["summary"\] raises KeyError/);
    const mode = errorOf({ data_source: 'longbench_pro', solution_str: '</think>x', ground_truth: gt, extra_info: null });
    expect(mode?.message).toMatch(/^extra_info is null\. "longbench_pro" rows need extra_info \{"reward_mode"/);
  });

  it('an item sent as JSON text instead of an object', () => {
    expect(errorOf('{"task": "em", "response": "x", "reference": "x"}')!.message).toBe('an item must be a JSON object; this one is a string holding JSON text: send the object itself, not its serialisation');
    expect(errorOf('plain')!.message).toBe('an item must be a JSON object');
  });
});
