// The GoLongRL dispatcher's routing rules (scorers.md section 2) and the native item form.
import { describe, expect, it } from 'vitest';
import { scoreItem } from '../rewards/index.js';
import { readsFinalPart, VERL_DATA_SOURCES, verlBranch } from '../rewards/verlRouting.js';

const lbp = (solution: string, rewardMode: unknown, gt: unknown = { doc_ids: ['alpha', 'beta'], summary: 'English' }) => ({
  data_source: 'longbench_pro',
  solution_str: solution,
  ground_truth: gt,
  extra_info: { reward_mode: rewardMode },
});
const em = (solution: string, gt: unknown = { golden_label: 'Porto' }) => ({ data_source: 'EM', solution_str: solution, ground_truth: gt, extra_info: {} });

describe('think gate', () => {
  it('scores 0 without </think>', () => {
    expect(scoreItem(em('Porto'))).toMatchObject({ score: 0, reward_type: 'EM' });
  });
  it('scores 0 with two <think> or two </think>', () => {
    expect(scoreItem(em('<think>a<think>b</think>Porto')).score).toBe(0);
    expect(scoreItem(em('a</think>b</think>Porto')).score).toBe(0);
  });
  it('passes with exactly one </think> and no <think>', () => {
    expect(scoreItem(em('reasoning</think>Porto')).score).toBe(1);
  });
  it('explains a gate failure in details', () => {
    expect(scoreItem(em('Porto'), { details: true }).details).toMatchObject({ rule: 'think_gate' });
  });
});

describe('data_source routing', () => {
  it('reports an unknown data_source as an error even when the gate fails', () => {
    for (const ds of ['EM ', 'em', 'Selection', 'openai/gsm8k', 'math_stem_longcot']) {
      const r = scoreItem({ data_source: ds, solution_str: 'no think', ground_truth: 'x' });
      expect(r.error?.code, ds).toBe('unknown_data_source');
      expect(r.score).toBeNull();
    }
  });
  it('routes any data_source containing math_longcot_math_verify to math_verify, whole response', () => {
    const r = scoreItem({ data_source: 'my_math_longcot_math_verify_v3', solution_str: '<think>x</think> so \\boxed{42}', ground_truth: '42' });
    expect(r).toMatchObject({ score: 1, scorer: 'math_verify', reward_type: 'my_math_longcot_math_verify_v3' });
  });
  it('takes the last ground truth of a list', () => {
    expect(scoreItem(em('x</think>Porto', [{ golden_label: 'Lima' }, { golden_label: 'Porto' }])).score).toBe(1);
    expect(scoreItem(em('x</think>Porto', [])).error?.code).toBe('bad_ground_truth');
  });
  it('gives EM the text after the last </think>', () => {
    expect(scoreItem(em('Porto</think>Lima', { golden_label: 'Lima' })).score).toBe(1);
  });
  it('rejects rows whose solution_str or data_source is not a string', () => {
    expect(scoreItem({ data_source: 'EM', solution_str: 5 }).error?.code).toBe('bad_item');
    expect(scoreItem({ data_source: null, solution_str: 'x' }).error?.code).toBe('bad_item');
  });
});

describe('longbench_pro', () => {
  it('reports the sub-task metric as reward type and scorer', () => {
    const r = scoreItem(lbp('t</think>[Answer]\nalpha\nbeta', 'T5.1 Full-Sentence Citation Alignment'));
    expect(r).toMatchObject({ score: 1, reward_type: 'F1_Score', scorer: 'f1' });
  });
  it('an unknown sub-task is unknown_task, naming the known ones', () => {
    const r = scoreItem(lbp('t</think>[Answer]\nalpha', 'T99 Nothing'));
    expect(r.error?.code).toBe('unknown_task');
    expect(r.error?.message).toContain('T1.1 Global Cohesive Retrieval');
  });
  it('a missing summary or doc_ids key is bad_ground_truth', () => {
    expect(scoreItem(lbp('t</think>alpha', 'T3.2 Single-Hop Fact QA', { doc_ids: ['alpha'] })).error?.code).toBe('bad_ground_truth');
    expect(scoreItem(lbp('t</think>alpha', 'T3.2 Single-Hop Fact QA', { summary: 'English' })).error?.code).toBe('bad_ground_truth');
    expect(scoreItem(lbp('t</think>alpha', 'T3.2 Single-Hop Fact QA', 'alpha')).error?.code).toBe('bad_ground_truth');
  });
});

describe('model_verify / model_judge rows', () => {
  const judge = (solution: string, extra: unknown, gt: unknown = '42') => ({ data_source: 'retrieval_model_judge', solution_str: solution, ground_truth: gt, extra_info: extra });
  it('scores 1 on exact equality with extra_info.ground_truth', () => {
    expect(scoreItem(judge('t</think>42', { reward_mode: 'model_judge', ground_truth: '42' })).score).toBe(1);
  });
  it('needs the judge otherwise: judge_required, never a silent 0', () => {
    expect(scoreItem(judge('t</think>forty-two', { reward_mode: 'model_judge', ground_truth: '42' })).error?.code).toBe('judge_required');
    expect(scoreItem(judge('t</think>42', { reward_mode: 'EM', ground_truth: '42' })).error?.code).toBe('judge_required');
  });
  it('uses math_verify for reward_mode math_verify', () => {
    expect(scoreItem(judge('t</think>\\boxed{42.0}', { reward_mode: 'math_verify', ground_truth: '42' })).score).toBe(1);
  });
  it('a missing extra_info.ground_truth is bad_ground_truth', () => {
    expect(scoreItem(judge('t</think>42', { reward_mode: 'math_verify' })).error?.code).toBe('bad_ground_truth');
  });
});

describe('native items', () => {
  it('accepts a scorer name, a reward type or a sub-task name as task', () => {
    expect(scoreItem({ task: 'f1', response: 'a\nb', reference: ['a', 'b'] })).toMatchObject({ score: 1, reward_type: 'F1_Score' });
    expect(scoreItem({ task: 'F1_Score', response: 'a', reference: ['a', 'b'] }).score).toBeCloseTo(2 / 3, 12);
    expect(scoreItem({ task: 'T3.2 Single-Hop Fact QA', response: 'A', reference: ['a'] })).toMatchObject({ score: 1, reward_type: 'Accuracy' });
  });
  it('applies the think option only when asked', () => {
    const item = { task: 'em', response: 'x</think>Porto', reference: 'Porto' };
    expect(scoreItem(item).score).toBe(0);
    expect(scoreItem({ ...item, options: { think: 'strip' } }).score).toBe(1);
    expect(scoreItem({ ...item, response: 'Porto', options: { think: 'gate' } }).score).toBe(0);
  });
  it('rejects unknown tasks, options and fields with specific messages', () => {
    expect(scoreItem({ task: 'bleu', response: 'x', reference: 'x' }).error?.code).toBe('unknown_task');
    expect(scoreItem({ task: 'em', response: 'x', reference: 'x', options: { language: 'zh' } }).error?.message).toContain('does not apply to em');
    expect(scoreItem({ task: 'em', response: 'x', reference: 'x', refernce: 'x' }).error?.message).toContain('refernce');
    expect(scoreItem({ task: 'rouge_l', response: 'x', reference: ['x'], options: { language: 'fr' } }).error?.code).toBe('bad_item');
    expect(scoreItem({ task: 'em', response: 'x' }).error?.message).toContain('reference');
  });
  it('keeps the id and never throws on non-objects', () => {
    expect(scoreItem({ id: 'q1', task: 'em', response: 'x', reference: 'x' }).id).toBe('q1');
    for (const bad of [null, 3, 'x', [1]]) expect(scoreItem(bad).error?.code).toBe('bad_item');
    expect(scoreItem({ id: { a: 1 }, task: 'em', response: 'x', reference: 'x' }).error?.code).toBe('bad_item');
  });
});

describe('the text the audit is told each branch read', () => {
  it("is the part after </think> exactly for the routing table's \"after </think>\" rows", () => {
    for (const route of VERL_DATA_SOURCES) {
      const branch = verlBranch(route.data_source);
      if (!branch || branch === 'longbench_pro') continue; // LongBench-Pro sets the trace's text itself (the whole solution)
      expect([route.data_source, readsFinalPart(branch)]).toEqual([route.data_source, route.response === 'after </think>']);
    }
  });
});
