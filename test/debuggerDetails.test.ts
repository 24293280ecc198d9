// The reward debugger's `details`: what each scorer reports when asked, checked against
// independent transcriptions (py-rouge's union written out plainly) or against the score the same
// call returned (the NDCG ranking sums to DCG, the Pairwise pairs count the correct pairs, the IoU
// flags count the matches), and the shared zero-reason classification and explanation HTML.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreItem } from '../rewards/index.js';
import { scoreLongBenchPro } from '../rewards/longbenchPro.js';
import { explainHtml } from '../web/shared/explain.js';
import { zeroReason } from '../web/shared/zeroReason.js';

const ctx = () => ({ details: true, deadline: performance.now() + 10_000 });
const details = (item: unknown) => {
  const r = scoreItem(item, { details: true });
  return { r, d: r.details as Record<string, any> };
};

/** py-rouge's union-LCS word set of a hypothesis against one reference, written out from its definition. */
function pyRougeUnion(hyp: string, ref: string): Set<string> {
  const sentences = (t: string) => t.split('.').filter((p) => p.length > 0).map((p) => p.split(/\s+/).filter(Boolean).join(' '));
  const union = new Set<string>();
  for (const r of sentences(ref)) {
    for (const h of sentences(hyp)) {
      const x = r.split(' ');
      const y = h.split(' ');
      const T = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
      for (let i = 1; i <= x.length; i++) for (let j = 1; j <= y.length; j++) T[i]![j] = x[i - 1] === y[j - 1] ? T[i - 1]![j - 1]! + 1 : Math.max(T[i - 1]![j]!, T[i]![j - 1]!);
      let i = x.length;
      let j = y.length;
      while (i > 0 && j > 0) {
        if (x[i - 1] === y[j - 1]) {
          union.add(x[i - 1]!);
          i--;
          j--;
        } else if (T[i - 1]![j]! > T[i]![j - 1]!) i--;
        else j--;
      }
    }
  }
  return union;
}

describe('ROUGE-L details', () => {
  it('lcs_words is exactly py-rouge\'s union word set, per reference, and its size is llcs', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', '.'), { minLength: 1, maxLength: 40 }).map((t) => t.join(' '));
    fc.assert(
      fc.property(text, fc.array(text, { minLength: 1, maxLength: 3 }), (hyp, refs) => {
        const out = scoreLongBenchPro(hyp, refs, 'Summary', false, ctx());
        const d = out.details as Record<string, any>;
        if (d.reason !== undefined || d.rule === 'empty prediction') return; // py-rouge raised: no words
        refs.forEach((ref, i) => {
          const want = pyRougeUnion(d.prediction, d.answers[i]);
          expect(new Set(d.references[i].lcs_words)).toEqual(want);
          expect(d.references[i].lcs_words).toHaveLength(d.references[i].llcs);
          expect(d.references[i].precision).toBe(d.references[i].llcs / d.references[i].n);
        });
        // py-rouge's sentences: split on ".", non-empty pieces, each whitespace-folded, then split on " "
        const sentences = (d.prediction as string).split('.').filter((p) => p.length > 0).map((p) => p.split(/\s+/).filter(Boolean).join(' ').split(' '));
        expect(d.hypothesis_sentences).toEqual(sentences);
      }),
      { numRuns: 300 },
    );
  });

  it('Chinese: the sentences are the jieba tokens the reference scored', () => {
    const { d } = details({ task: 'rouge_l', response: '今天天气很好', reference: ['今天天气不错'], options: { language: 'zh' } });
    expect(d.language).toBe('Chinese');
    expect(d.hypothesis_sentences).toEqual([d.prediction.split(' ')]);
    expect(d.hypothesis_sentences[0].length).toBeGreaterThan(1);
  });

  it('names the sentence pair whose walk passes the recursion limit', () => {
    const long = Array.from({ length: 1200 }, (_, i) => `w${i}`).join(' ');
    const { r, d } = details({ task: 'rouge_l', response: long, reference: [long + ' tail'] });
    expect(r.score).toBe(0);
    expect(d.reason).toBe('reference_recursion_limit');
    expect(d.failed_pair).toMatchObject({ reference_sentence: 0, hypothesis_sentence: 0, reference_words: 1201, hypothesis_words: 1200, walk_limit: 985 });
    expect(zeroReason(r)?.kind).toBe('limit');
  });
});

describe('line-metric details', () => {
  it('F1: answer marker, area, per-line status with duplicates', () => {
    const { d } = details({ task: 'f1', response: 'thinking\n[Answer]\nParis\nLyon\nparis', reference: ['Paris', 'Nice'] });
    expect(d.answer_marker).toBe('[Answer]');
    expect(d.answer_area).toBe('Paris\nLyon\nparis');
    expect(d.lines).toEqual([
      { text: 'paris', status: 'matched' },
      { text: 'lyon', status: 'unmatched' },
      { text: 'paris', status: 'matched', duplicate: true },
    ]);
    expect(d.reference_lines).toEqual([
      { text: 'paris', status: 'found' },
      { text: 'nice', status: 'missing' },
    ]);
  });

  it('no marker: the whole response is the area, and a zero is a format failure', () => {
    const { r, d } = details({ task: 'accuracy', response: 'I think it is 42', reference: ['42'] });
    expect(r.score).toBe(0);
    expect(d.answer_marker).toBeNull();
    expect(zeroReason(r)).toEqual({ kind: 'format', reason: 'no [Answer] marker' });
    const wrong = scoreItem({ task: 'accuracy', response: '[Answer]\n41', reference: ['42'] }, { details: true });
    expect(zeroReason(wrong)).toEqual({ kind: 'wrong', reason: 'no credited answer line' });
  });

  it('NDCG: the ranking\'s gains over their discounts sum to DCG', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), fc.array(line, { minLength: 1, maxLength: 8 }), (answers, lines) => {
        const { r, d } = details({ task: 'ndcg', response: `[Answer]\n${lines.join('\n')}`, reference: answers });
        if (d.rule === 'score outside [0, 1] (the reference asserts the range and scores 0)') return;
        const dcg = d.ranking.reduce((s: number, p: { gain: number; discount: number }) => s + (p.gain > 0 ? p.gain / p.discount : 0), 0);
        expect(dcg).toBeCloseTo(d.dcg, 12);
        expect(d.ranking.length).toBe(Math.min(d.k, new Set(lines).size));
        expect(d.ideal_gains.length).toBe(Math.min(d.k, new Set(answers).size));
        expect(r.score).toBeCloseTo(d.idcg > 0 ? d.dcg / d.idcg : d.dcg, 12);
        // every line is ranked once at its last occurrence; earlier copies are duplicates
        expect(d.lines.filter((l: { duplicate?: boolean }) => !l.duplicate)).toHaveLength(new Set(lines).size);
      }),
      { numRuns: 300 },
    );
  });

  it('Pairwise: the pairs in order are the correct pairs; the denominator is C(lines, 2)', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    fc.assert(
      fc.property(fc.uniqueArray(line, { minLength: 2, maxLength: 5 }), fc.array(line, { minLength: 2, maxLength: 7 }), (answers, lines) => {
        const { d } = details({ task: 'pairwise', response: `[Answer]\n${lines.join('\n')}`, reference: answers });
        expect(d.pairs.filter((p: { in_order: boolean }) => p.in_order)).toHaveLength(d.correct_pairs);
        expect(d.reference_pairs).toBe((answers.length * (answers.length - 1)) / 2);
        expect(d.total_pairs).toBe((lines.length * (lines.length - 1)) / 2);
      }),
      { numRuns: 300 },
    );
  });
});

describe('other scorers\' details', () => {
  it('math_verify: the window, and the match that gave the value', () => {
    const response = 'x'.repeat(700) + ' so the answer is $\\boxed{42}$.';
    const { d } = details({ task: 'math_verify', response, reference: '42' });
    expect(d.window).toBe(response.slice(-500));
    expect(d.window_start).toBe(response.length - 500);
    expect(d.window.slice(d.match.start, d.match.end)).toContain('\\boxed{42}');
    expect(d.gold).toBe('42');
  });

  it('IoU: the matched flags count the matches, duplicates paired once', () => {
    const { r, d } = details({ task: 'iou', response: '<answer>{"data": [["a", 1], ["a", 1], ["b", 2]]}</answer>', reference: '{"data": [["a", 1], ["c", 3]]}' });
    expect(d.pred_matched).toEqual([true, false, false]);
    expect(d.gold_matched).toEqual([true, false]);
    expect(d.matches).toBe(1);
    expect(r.score).toBe(1 / 4);
  });

  it('the think gate reports the tags it counted; a passed gate says which part was scored', () => {
    const gated = details({ data_source: 'EM', solution_str: '<think>a</think>b</think>Paris', ground_truth: { golden_label: 'Paris' } });
    expect(gated.d).toEqual({ rule: 'think_gate', reason: 'more than one </think>', think_open: 1, think_close: 2 });
    expect(zeroReason(gated.r)).toEqual({ kind: 'format', reason: 'think gate: more than one </think>' });
    const passed = details({ data_source: 'EM', solution_str: '<think>a</think>Paris', ground_truth: { golden_label: 'Paris' } });
    expect(passed.d.think_gate).toEqual({ passed: true, think_open: 1, think_close: 1 });
    // In the routing table's words (GET /tasks shows the same): EM reads after </think>, math the whole text.
    expect(passed.d.scored_part).toBe('after </think>');
    const math = details({ data_source: 'math_longcot_math_verify', solution_str: '<think>a</think>$\\boxed{2}$', ground_truth: '2' });
    expect(math.d.scored_part).toBe('whole solution_str');
  });

  it('details are not built without being asked for', () => {
    for (const item of [
      { task: 'rouge_l', response: 'a b. c', reference: ['a c'] },
      { task: 'f1', response: '[Answer]\na', reference: ['a'] },
      { data_source: 'EM', solution_str: '<think>a</think>Paris', ground_truth: { golden_label: 'Paris' } },
    ]) {
      expect(scoreItem(item)).not.toHaveProperty('details');
    }
  });
});

describe('item errors name the field at fault', () => {
  it.each([
    [{ data_source: 'gsm8k', solution_str: 'x' }, 'unknown_data_source', 'data_source'],
    [{ data_source: 'longbench_pro', solution_str: '</think>x', ground_truth: { doc_ids: ['a'] }, extra_info: { reward_mode: 'T99' } }, 'unknown_task', 'extra_info.reward_mode'],
    [{ data_source: 'EM', solution_str: '</think>x', ground_truth: { golden_label: 5 } }, 'bad_ground_truth', 'ground_truth.golden_label'],
    [{ task: 'em', response: 'x', reference: 5 }, 'bad_item', 'reference'],
    [{ task: 'rouge_l', response: 'x', reference: ['y'], options: { language: 'fr' } }, 'bad_item', 'options.language'],
    [{ task: 'f1', response: 'x', reference: ['y'], extra: 1 }, 'bad_item', 'extra'],
  ])('%j → %s at %s', (item, code, field) => {
    const r = scoreItem(item);
    expect(r.error).toMatchObject({ code, field });
    expect(explainHtml(r)).toContain(`in field <code>${field}</code>`);
  });
});

describe('explainHtml', () => {
  it('escapes every text from the item', () => {
    const html = explainHtml(scoreItem({ task: 'em', response: '<script>alert(1)</script>', reference: '<b>x</b>' }, { details: true }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('highlights exactly the winning reference\'s LCS words in both texts', () => {
    const r = scoreItem({ task: 'rouge_l', response: 'the cat sat on the mat. a dog barked', reference: ['a cat was on the mat', 'the dog barked loudly'] }, { details: true });
    const d = r.details as Record<string, any>;
    const lcs = new Set<string>(d.references[d.best_reference].lcs_words);
    const html = explainHtml(r);
    for (const part of ['x-rouge-hyp', 'x-rouge-ref']) {
      const block = html.slice(html.indexOf(part), html.indexOf('</div>', html.indexOf(part)));
      const spans = [...block.matchAll(/<span class="x-w( x-lcs)?">([^<]*)<\/span>/g)];
      expect(spans.length).toBeGreaterThan(0);
      for (const [, marked, word] of spans) expect(Boolean(marked)).toBe(lcs.has(word!));
    }
  });
});
