// multitableqa iou (scorers.md 3.4): multiset IoU of rows keyed by Python str() of their cells.
import { describe, expect, it } from 'vitest';
import { answerText, iouScore } from '../rewards/scorers/iou.js';
import { ScoreFailure, type ScoreContext } from '../rewards/types.js';
import { clearScorerCaches } from '../rewards/lruCache.js';
import { parityMismatches } from './helpers/scorerParity.js';
import { failure } from './helpers/failure.js';

const ctx: ScoreContext = { details: false, deadline: Infinity };
const table = (data: string) => `{"data": ${data}}`;
const gt = (data: string) => ({ golden_label: table(data) });
/** Score a predicted `data` JSON text (inside answer tags) against a gold `data` JSON text. */
const rows = (pred: string, gold: string) => iouScore(`think</think><answer>${table(pred)}</answer>`, gt(gold), ctx).score;

describe('answer text', () => {
  it('takes the first <answer> up to the next </answer>, stripped', () => {
    expect(answerText('x<answer> a </answer>y<answer>b</answer>')).toBe('a');
    expect(answerText('x<answer>\n a \n')).toBe('a');
    expect(answerText('x</answer><answer>a</answer>')).toBe('a');
    expect(answerText('  no tags\u0085')).toBe('no tags');
  });
});

describe('row matching', () => {
  it('scores identical tables 1 in any row order', () => {
    expect(rows('[["a", 1], ["b", 2]]', '[["b", 2], ["a", 1]]')).toBe(1);
  });
  it('counts rows as a multiset', () => {
    expect(rows('[[1], [1], [2]]', '[[1], [2], [2]]')).toBe(2 / 4);
    expect(rows('[[1], [1]]', '[[1]]')).toBe(1 / 2);
    expect(rows('[[1]]', '[[1], [2], [3]]')).toBe(1 / 3);
  });
  it('compares cells by Python str()', () => {
    expect(rows('[["1"]]', '[[1]]')).toBe(1);
    expect(rows('[[1.0]]', '[[1]]')).toBe(0);
    expect(rows('[["1.0"]]', '[[1.0]]')).toBe(1);
    expect(rows('[["True", "None"]]', '[[true, null]]')).toBe(1);
    expect(rows('[["true"]]', '[[true]]')).toBe(0);
    expect(rows('[["1e+16"]]', '[[1e16]]')).toBe(1);
    expect(rows('[["1e-05", "0.0001"]]', '[[0.00001, 0.0001]]')).toBe(1);
    expect(rows('[["-0.0", "0"]]', '[[-0.0, -0]]')).toBe(1);
    expect(rows('[["inf", "nan"]]', '[[Infinity, NaN]]')).toBe(1);
  });
  it('keeps big integers exact', () => {
    expect(rows('[[12345678901234567890]]', '[[12345678901234567890]]')).toBe(1);
    expect(rows('[[12345678901234567891]]', '[[12345678901234567890]]')).toBe(0);
    expect(rows('[["12345678901234567890"]]', '[[12345678901234567890]]')).toBe(1);
  });
  it('prints nested cells as Python repr', () => {
    expect(rows(`[["[1, 'a', None]", "{'k': True}"]]`, '[[[1, "a", null], {"k": true}]]')).toBe(1);
    expect(rows(`[["{'k': 'True'}"]]`, '[[{"k": true}]]')).toBe(0);
    expect(rows(`[["[\\"it's\\"]"]]`, `[[["it's"]]]`)).toBe(1);
  });
  it('keys non-list rows by str(row), distinct from one-cell tuples', () => {
    expect(rows('["x", "y"]', '[["x"], ["y"]]')).toBe(0);
    expect(rows('[{"name": "a", "v": 1}]', '[{"name": "a", "v": 1}]')).toBe(1);
    expect(rows('[{"v": 1, "name": "a"}]', '[{"name": "a", "v": 1}]')).toBe(0); // dict repr keeps key order
    expect(rows('[{"a": 1, "a": 2}]', '[{"a": 2}]')).toBe(1); // last value of a repeated key
    expect(rows('[3.0, "x"]', '["3.0", "x"]')).toBe(1);
  });
  it('scores 0 when both tables are empty', () => {
    expect(rows('[]', '[]')).toBe(0);
  });
});

describe('predicted table shapes', () => {
  const score = (response: string, gold = '[["a"]]') => iouScore(response, gt(gold), ctx).score;
  it('reads the whole response when there are no answer tags (so a think part breaks the JSON)', () => {
    expect(score(table('[["a"]]'))).toBe(1);
    expect(score(`reasoning</think>\n${table('[["a"]]')}`)).toBe(0);
  });
  it('reads an unclosed answer to the end', () => {
    expect(score(`r</think><answer>${table('[["a"]]')}\n`)).toBe(1);
  });
  it('gives no rows for invalid JSON, a top-level list, or a missing data key', () => {
    expect(score('<answer>```json\n{"data": [["a"]]}\n```</answer>')).toBe(0);
    expect(score('<answer>{"data": [["a"]]} These are the rows.</answer>')).toBe(0);
    expect(score('<answer>[["a"]]</answer>')).toBe(0);
    expect(score('<answer>{"rows": [["a"]]}</answer>')).toBe(0);
    expect(score('<answer>{"data": [["a"], [True]]}</answer>')).toBe(0);
    expect(iouScore('<answer>[["a"]]</answer>', gt('[]'), ctx).score).toBe(0);
  });
  it('scores 0 when data is not a list, before looking at the gold rows', () => {
    expect(score('<answer>{"data": {"rows": [["a"]]}}</answer>')).toBe(0);
    expect(score('<answer>{"data": null}</answer>')).toBe(0);
    expect(score('<answer>{"data": "a"}</answer>', '5')).toBe(0);
  });
  it("raises where the reference's json.loads raises something other than JSONDecodeError", () => {
    expect(failure(() => score(`<answer>{"data": [[${'9'.repeat(5000)}]]}</answer>`)).code).toBe('bad_item');
    expect(failure(() => score(`<answer>${'['.repeat(2000)}</answer>`)).code).toBe('bad_item');
  });
});

describe('ground truth shapes', () => {
  const response = `r</think><answer>${table('[["a"], ["b"]]')}</answer>`;
  it('scores 0 with a warning when golden_label is not valid JSON or not a string', () => {
    for (const bad of [{ golden_label: '{"data": [["a"]]' }, { golden_label: null }, { golden_label: { data: [['a']] } }]) {
      const out = iouScore(response, bad, ctx);
      expect(out.score).toBe(0);
      expect(out.warnings?.[0]).toMatch(/^bad_ground_truth: /);
    }
  });
  it('uses any other value as-is, with a warning', () => {
    const plain = iouScore(response, table('[["a"], ["b"]]'), ctx);
    expect(plain).toMatchObject({ score: 0, warnings: [expect.stringMatching(/^bad_ground_truth: /)] });
    const raw = iouScore(response, { data: [['a'], ['c']] }, ctx);
    expect(raw.score).toBe(1 / 3);
    expect(raw.warnings?.[0]).toMatch(/^bad_ground_truth: /);
    expect(iouScore(response, [gt('[["a"], ["b"]]')], ctx).score).toBe(0);
  });
  it('iterates a non-list gold data the way Python does', () => {
    expect(iouScore(`<answer>${table('["a", "b"]')}</answer>`, gt('"ab"'), ctx).score).toBe(1); // characters
    expect(iouScore(`<answer>${table('["k"]')}</answer>`, gt('{"k": 1, "j": 2}'), ctx).score).toBe(1 / 2); // keys
    expect(iouScore(response, { golden_label: '[1, 2]' }, ctx).score).toBe(0); // not a dict: no gold rows
  });
  it('raises bad_ground_truth where iterating gold data raises', () => {
    expect(failure(() => iouScore(response, gt('5'), ctx)).code).toBe('bad_ground_truth');
    expect(failure(() => iouScore(response, gt('null'), ctx)).code).toBe('bad_ground_truth');
    expect(failure(() => iouScore(response, { golden_label: `{"data": [[${'1'.repeat(4400)}]]}` }, ctx)).code).toBe('bad_ground_truth');
  });
});

describe('details', () => {
  it('lists the row keys, matches and total', () => {
    const out = iouScore('<answer>{"data": [["a", 1], "x"]}</answer>', gt('[["a", 1], ["b", 2.0]]'), { ...ctx, details: true });
    expect(out.details).toEqual({
      pred_rows: [['a', '1'], 'x'],
      gold_rows: [['a', '1'], ['b', '2.0']],
      pred_matched: [true, false],
      gold_matched: [true, false],
      matches: 1,
      total: 3,
      answer_in_tag: true,
      rule: 'matched rows over the union of rows (multiset IoU)',
    });
    expect(out.score).toBe(1 / 3);
  });
});

describe('parity with the reference (data_source multitableqa_pretraining)', () => {
  const { total, mismatches } = parityMismatches('multitableqa_pretraining', iouScore, true);
  it(`all ${total} multitableqa rows agree`, () => {
    expect(total).toBeGreaterThan(100);
    expect(mismatches, mismatches.join('\n')).toEqual([]);
  });
});

describe('gold table cache', () => {
  it('scores the same from a cached gold: each row twice, then against a gold parsed afresh', () => {
    // The first pass parses each gold, the second reads it from the cache; clearing in between
    // rows shows the cached parse is the one a fresh parse gives.
    clearScorerCaches();
    const first = parityMismatches('multitableqa_pretraining', iouScore, true);
    const second = parityMismatches('multitableqa_pretraining', iouScore, true);
    expect(second).toEqual(first);
    expect(second.mismatches).toEqual([]);
  });
  it('keeps the cached gold as parsed when a caller changes the details it got', () => {
    const label = { golden_label: table('[["a", 1], ["b", 2]]') };
    const response = '</think><answer>{"data": [["a", 1]]}</answer>';
    const detailed: ScoreContext = { details: true, deadline: Infinity };
    const out = iouScore(response, label, detailed);
    (out.details!.gold_rows as string[][])[0]![0] = 'changed';
    (out.details!.gold_rows as string[][]).pop();
    expect(iouScore(response, label, detailed).details).toMatchObject({ gold_rows: [['a', '1'], ['b', '2']], matches: 1, total: 2 });
  });
});
