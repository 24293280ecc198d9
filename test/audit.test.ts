// The reward-hacking audit in the library: every flag's exploit scores high and is flagged, its
// near miss is not; the audit never changes a score; penalties follow their stated rule; the
// loop detector's rule at its boundaries; the audit's single pass over choice phrases agrees
// with the scorer's own extraction.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDIT_FLAG_NAMES, AUDIT_FLAGS, describeTasks, flagsForScorer, scoreItem } from '../rewards/index.js';
import { tailLoop, MAX_UNIT, MIN_COPIES, MIN_LOOP_CHARS } from '../rewards/audit/repetition.js';
import { answerAreaStart, nothingToAudit, partStats, summaryAnswerStart } from '../rewards/audit/checks.js';
import { freshTrace } from '../rewards/audit/trace.js';
import { SCORERS } from '../rewards/registry.js';
import { FRAGMENT_MAX_WORDS } from '../rewards/audit/flags.js';
import { answerArea, isPySpace } from '../rewards/text.js';
import { extractChoice, scanChoices } from '../rewards/scorers/choice.js';
import { pairwiseScore } from '../rewards/scorers/pairwise.js';
import { normalizeAnswers, normalizePrediction } from '../rewards/scorers/lbpNormalize.js';
import { AUDIT_CASES, expectation } from './helpers/auditCases.js';
import { EXTRA_ROUTES_FILE, loadScoreCases, verlItem } from './helpers/parity.js';

const flagsOf = (r: { audit?: { flag: string }[] }): string[] => (r.audit ?? []).map((f) => f.flag);

describe('every flag: the exploit scores high and is flagged, the near miss is not', () => {
  it('covers every flag of the table with at least one exploit and one near miss', () => {
    for (const flag of AUDIT_FLAG_NAMES) {
      expect(AUDIT_CASES.some((c) => c.flag === flag && c.kind === 'exploit'), flag).toBe(true);
      expect(AUDIT_CASES.some((c) => c.flag === flag && c.kind === 'near_miss'), flag).toBe(true);
    }
  });

  for (const c of AUDIT_CASES) {
    it(`${c.id}: ${c.why}`, () => {
      const audited = scoreItem(c.row, { audit: true });
      const plain = scoreItem(c.row);
      expect(audited.score).toBe(plain.score);
      if (c.score !== undefined) expect(audited.score).toBe(c.score);
      else expect(audited.score).toBeGreaterThanOrEqual(c.minScore!);
      const { must, mustNot } = expectation(c);
      const flags = flagsOf(audited);
      for (const f of must) expect(flags, JSON.stringify(audited.audit)).toContain(f);
      for (const f of mustNot) expect(flags, JSON.stringify(audited.audit)).not.toContain(f);
      for (const finding of audited.audit ?? []) {
        expect(finding.message.length).toBeGreaterThan(20);
        if (finding.span) {
          const [start, end] = finding.span;
          expect(0 <= start && start <= end && end <= c.row.solution_str.length).toBe(true);
        }
      }
      expect(plain.audit).toBeUndefined();
    });
  }

  it('duplicate_answers near miss: NDCG of [12], [30], [44], [12] ranks [30], [44], [12] (trec_eval reads a repeated line last)', () => {
    const c = AUDIT_CASES.find((x) => x.flag === 'duplicate_answers' && x.kind === 'near_miss')!;
    // Gains of [30], [44], [12] are 2, 1, 3; the ideal order is 3, 2, 1.
    const dcg = 2 / Math.log2(2) + 1 / Math.log2(3) + 3 / Math.log2(4);
    const idcg = 3 / Math.log2(2) + 2 / Math.log2(3) + 1 / Math.log2(4);
    expect(scoreItem(c.row).score).toBeCloseTo(dcg / idcg, 12);
  });

  it('repetition_loop: the looping summary scores exactly what the same summary scores without the loop', () => {
    const looping = AUDIT_CASES.find((x) => x.flag === 'repetition_loop' && x.row.data_source === 'longbench_pro')!;
    const clean = AUDIT_CASES.find((x) => x.flag === 'summary_length_outlier' && x.kind === 'near_miss')!;
    expect(looping.row.solution_str.startsWith(clean.row.solution_str)).toBe(true);
    expect(scoreItem(looping.row).score).toBe(scoreItem(clean.row).score);
  });

  it('summary_length_outlier: the reference\'s length is counted per reference, never carried over from another reference', () => {
    // One answer of 60 non-space characters against references of 20, 200 and 300 non-space
    // characters, in turn and again: flagged exactly when 4 x answer < reference.
    const words = (n: number, w: string): string => Array.from({ length: n }, () => w).join(' ');
    const answer = words(12, 'alpha');
    const row = (reference: string) => ({
      data_source: 'longbench_pro',
      solution_str: `<think>\nRead.\n</think>\n\n[Answer]\n${answer}.`,
      ground_truth: { doc_ids: [reference], summary: 'English' },
      extra_info: { reward_mode: 'T4.2 Query-Focused Summary' },
    });
    const references = [words(4, 'betas'), words(40, 'gamma'), words(60, 'delta'), words(4, 'betas'), words(60, 'delta'), words(40, 'gamma')];
    for (const reference of references) {
      const nonSpace = reference.replaceAll(' ', '').length;
      const finding = scoreItem(row(reference), { audit: true }).audit?.find((f) => f.flag === 'summary_length_outlier');
      expect(finding !== undefined, `reference of ${nonSpace} non-space characters`).toBe(4 * 61 < nonSpace || 61 > 4 * nonSpace);
      if (finding) expect(finding.message).toContain(`the reference ${nonSpace} characters`);
    }
  });

  it('summary_length_outlier: skipping the count when the length bounds rule a flag out never misses one', () => {
    const word = fc.stringMatching(/^[a-z]{1,9}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 40 }), fc.array(word, { minLength: 1, maxLength: 40 }), (referenceWords, answerWords) => {
        const reference = referenceWords.join(' ');
        const answer = answerWords.join('  ');
        const row = {
          data_source: 'longbench_pro',
          solution_str: `<think>\nRead.\n</think>\n\n[Answer]\n${answer}`,
          ground_truth: { doc_ids: [reference], summary: 'English' },
          extra_info: { reward_mode: 'T4.2 Query-Focused Summary' },
        };
        const a = answer.replaceAll(' ', '').length;
        const r = reference.length - referenceWords.length + 1;
        const flagged = scoreItem(row, { audit: true }).audit?.some((f) => f.flag === 'summary_length_outlier') ?? false;
        expect(flagged).toBe(4 * a < r || a > 4 * r);
      }),
      { numRuns: 2000 },
    );
  });

  it('answer_in_think on iou: the table read is the first <answer>, and one inside the think section is flagged with its span', () => {
    const table = '<answer>{"data": [["Oslo", "1624"], ["Bergen", "1070"]]}</answer>';
    const gold = { golden_label: '{"data": [["Oslo", "1624"], ["Bergen", "1070"]]}' };
    const inThink = `<think>draft: ${table}</think>I could not check the table.`;
    const exploit = scoreItem({ data_source: 'multitableqa_pretraining', solution_str: inThink, ground_truth: gold, extra_info: {} }, { audit: true });
    expect(exploit.score).toBe(1);
    const finding = exploit.audit?.find((f) => f.flag === 'answer_in_think');
    expect(finding?.span?.[0]).toBe(inThink.indexOf('<answer>'));
    const after = `<think>let me build the table</think>${table}`;
    const nearMiss = scoreItem({ data_source: 'multitableqa_pretraining', solution_str: after, ground_truth: gold, extra_info: {} }, { audit: true });
    expect(nearMiss.score).toBe(1);
    expect(flagsOf(nearMiss)).toEqual([]);
  });

  it('answer_in_think: the math exploit and its messages quote the evidence', () => {
    const c = AUDIT_CASES.find((x) => x.flag === 'answer_in_think' && x.row.data_source.includes('math'))!;
    const finding = scoreItem(c.row, { audit: true }).audit!.find((f) => f.flag === 'answer_in_think')!;
    expect(finding.message).toContain('\\boxed{42}');
    expect(c.row.solution_str.slice(...finding.span!)).toBe('\\boxed{42}');
  });
});

describe('the audit never changes a score', () => {
  it('every row of the public parity files (main and extra math routes) scores the same with and without the audit, and raises only its scorer\'s flags', () => {
    const changed: string[] = [];
    const foreign: string[] = [];
    let flagged = 0;
    const seenScorers = new Set<string>();
    for (const c of [...loadScoreCases().map(verlItem), ...loadScoreCases(EXTRA_ROUTES_FILE).map(verlItem), ...AUDIT_CASES.map((x) => x.row)]) {
      // A generous budget: the first Chinese summary also loads jieba's dictionary (slow on a busy machine).
      const plain = scoreItem(c, { timeoutMs: 60_000 });
      const audited = scoreItem(c, { audit: true, timeoutMs: 60_000 });
      if (audited.score !== plain.score || audited.error?.code !== plain.error?.code) changed.push(String(c.id));
      if (audited.audit) flagged++;
      if (audited.scorer) seenScorers.add(audited.scorer);
      for (const f of audited.audit ?? []) if (!flagsForScorer(audited.scorer!).includes(f.flag)) foreign.push(`${c.id}: ${f.flag} on ${audited.scorer}`);
      expect(audited.reference_score).toBeUndefined();
    }
    expect(changed).toEqual([]);
    expect(foreign).toEqual([]);
    expect(flagged).toBeGreaterThan(0); // the edge families hold exploits (e.g. think-only summaries)
    // The new math routes' scorers are among those held to their flags.
    expect([...seenScorers]).toEqual(expect.arrayContaining(['minerva', 'math_verify_metric', 'math_verify', 'retrieval_calculate']));
  });
});

describe('audit penalties (this project\'s rule)', () => {
  const byId = (flag: string, kind: 'exploit' | 'near_miss' = 'exploit') => AUDIT_CASES.find((c) => c.flag === flag && c.kind === kind)!.row;

  it('cap a flagged item at the value, keep the reference score, mark the finding', () => {
    const r = scoreItem(byId('pairwise_short_list'), { auditPenalty: { pairwise_short_list: 0.25 } });
    expect(r).toMatchObject({ score: 0.25, reference_score: 1 });
    expect(r.audit!.find((f) => f.flag === 'pairwise_short_list')!.penalty).toBe(0.25);
  });

  it('leave items without a penalised flag alone (no reference_score)', () => {
    const r = scoreItem(byId('pairwise_short_list', 'near_miss'), { auditPenalty: { pairwise_short_list: 0 } });
    expect(r.score).toBe(1);
    expect(r.reference_score).toBeUndefined();
    const other = scoreItem(byId('pairwise_short_list'), { auditPenalty: { repetition_loop: 0 } });
    expect(other.score).toBe(1);
    expect(other.reference_score).toBeUndefined();
  });

  it('take the lowest value among the flags found, and never raise a score', () => {
    const loop = byId('repetition_loop'); // the looping summary is also a length outlier
    const both = scoreItem(loop, { auditPenalty: { repetition_loop: 0.5, summary_length_outlier: 0.1 } });
    expect(both.score).toBe(0.1);
    const high = scoreItem(loop, { auditPenalty: { repetition_loop: 1 } });
    expect(high.score).toBe(high.reference_score);
    const gated = { data_source: 'EM', solution_str: 'no think tag. '.repeat(40), ground_truth: { golden_label: 'x' } };
    const r = scoreItem(gated, { auditPenalty: { repetition_loop: 0.5 } });
    expect(flagsOf(r)).toEqual(['repetition_loop']); // think-gated items are checked for loops too
    expect(r).toMatchObject({ score: 0, reference_score: 0 });
  });

  it('apply to native items as well', () => {
    const r = scoreItem({ task: 'math_verify', response: 'The answer is \\boxed{41}. Final answer: \\boxed{42}', reference: '42' }, { auditPenalty: { multiple_final_answers: 0 } });
    expect(r).toMatchObject({ score: 0, reference_score: 1 });
  });
});

describe('repetition_loop rule', () => {
  const tail = (unit: string, copies: number, head = 'An ordinary opening paragraph that does not repeat. ') => head + unit.repeat(Math.floor(copies)) + unit.slice(0, Math.round((copies % 1) * unit.length));

  it(`fires at ${MIN_COPIES} copies and ${MIN_LOOP_CHARS} characters, not below either`, () => {
    const unit = 'y' + 'x'.repeat(62) + '.'; // 64 characters
    expect(tailLoop(tail(unit, 4))).toMatchObject({ unit: 64 });
    expect(tailLoop(tail(unit, 3.9))).toBeUndefined();
    const short = 'abcdefgh'; // 8 characters: 32 copies make 256
    expect(tailLoop(tail(short, 32))).toMatchObject({ unit: 8 });
    expect(tailLoop(tail(short, 31.9))).toBeUndefined();
  });

  it(`measures units up to ${MAX_UNIT} characters, the smallest period, and ignores trailing whitespace`, () => {
    let seed = 12345;
    const letter = () => String.fromCharCode(0x61 + ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % 26);
    const big = Array.from({ length: MAX_UNIT }, letter).join(''); // no shorter period
    expect(tailLoop(tail(big, 4))).toMatchObject({ unit: MAX_UNIT });
    expect(tailLoop(tail(big + 'z', 4))).toBeUndefined();
    const r = tailLoop(tail('ha ', 200) + '  \n\n');
    expect(r?.unit).toBe(3);
  });

  it('finds the whole stretch of a 100,000-character loop (it starts right after the head)', () => {
    const head = 'Intro:\n';
    const unit = 'Let me check the sum once more: 17 plus 25 is 42. ';
    const text = head + unit.repeat(Math.ceil(100_000 / unit.length));
    expect(tailLoop(text)).toEqual({ unit: unit.length, start: head.length, end: text.trimEnd().length });
  });

  it('looks only at the final part: a loop closed by </think> and an answer is not "ending in a loop"', () => {
    const looped = '<think>' + 'wait, let me re-check. '.repeat(50) + '</think>The answer is 42.';
    const r = scoreItem({ data_source: 'EM', solution_str: looped, ground_truth: { golden_label: 'The answer is 42.' } }, { audit: true });
    expect(r.score).toBe(1);
    expect(flagsOf(r)).not.toContain('repetition_loop');
  });
});

describe('internal agreements', () => {
  it('the audit is skipped only for scorers whose one flag is repetition_loop, and only on text too short to end in a loop', () => {
    const names = [...SCORERS.map((e) => e.name), 'exact_match'];
    const shortTrace = (): ReturnType<typeof freshTrace> => Object.assign(freshTrace('<think>a</think>42'), { text: '42' });
    const skipped = names.filter((name) => nothingToAudit(name, shortTrace()));
    expect(skipped).toContain('em');
    for (const name of skipped) expect(flagsForScorer(name)).toEqual(['repetition_loop']);
    const longText = 'x'.repeat(MIN_LOOP_CHARS);
    expect(nothingToAudit('em', Object.assign(freshTrace(longText), { text: longText }))).toBe(false);
    expect(nothingToAudit('em', freshTrace('42'))).toBe(false); // no scored text (think gate): the loop check runs on the response
  });

  it("Pairwise's duplicate_answers fires exactly when a reference line repeats and reading first occurrences scores lower; answer_list_padding by its rule", () => {
    // Lines of a small alphabet (normalisation leaves them as they are), long lists included (over 32 lines: the Set path).
    const line = fc.constantFrom('', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i');
    let fired = 0;
    let paddedCount = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), fc.oneof(fc.array(line, { maxLength: 9 }), fc.array(line, { minLength: 33, maxLength: 40 })), (answers, lines) => {
        const row = {
          data_source: 'longbench_pro',
          solution_str: `<think>x</think>[Answer]\n${lines.join('\n')}`,
          ground_truth: { doc_ids: answers, summary: 'English' },
          extra_info: { reward_mode: 'T2.1 Global Timeline Reconstruction' },
        };
        const r = scoreItem(row, { audit: true });
        const refs = normalizeAnswers(answers);
        const predictions = normalizePrediction(row.solution_str);
        const firstOnly = predictions.filter((p, i) => p === '' || predictions.indexOf(p) === i);
        const repeatedReference = predictions.some((p, i) => p !== '' && predictions.indexOf(p) !== i && refs.includes(p));
        const expected = repeatedReference && r.score! > pairwiseScore(refs, firstOnly).score;
        if (expected) fired++;
        expect(flagsOf(r).includes('duplicate_answers')).toBe(expected);
        // answer_list_padding by its rule, on the same lists (Pairwise skips the count on lists of at most twice the references found).
        const distinctRefs = new Set(refs).size;
        const distinctLines = new Set(predictions.filter((p) => p !== '')).size;
        const padded = distinctLines > 2 * distinctRefs && distinctLines >= distinctRefs + 3;
        if (padded) paddedCount++;
        expect(flagsOf(r).includes('answer_list_padding')).toBe(padded);
      }),
      { numRuns: 4000 },
    );
    expect(fired).toBeGreaterThan(50); // the property was exercised on flagged lists
    expect(paddedCount).toBeGreaterThan(50);
  });

  it('an EM item whose final part ends in a loop is still flagged (the skip leaves it to the audit)', () => {
    const loop = 'The answer is 42. '.repeat(20);
    const r = scoreItem({ data_source: 'EM', solution_str: `<think>thinking</think>${loop}`, ground_truth: { golden_label: '42' } }, { audit: true });
    expect(flagsOf(r)).toEqual(['repetition_loop']);
  });

  it("scanChoices' letter is extractChoice's (the audit path scores choice with it)", () => {
    const piece = fc.constantFrom('The correct answer is ', '(A)', '(B)', '(E)', 'C', 'D', '*', ' ', 'x', '(', ')', 'The correct answer is (', '\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(scanChoices(text).letter).toBe(extractChoice(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('answerAreaStart finds the marker the answer area follows, as searching the text for the last [Answer], else [答案], does', () => {
    const piece = fc.constantFrom('[Answer]', '[答案]', '[Answer', 'Answer]', '答案]', '[', ']', ' ', '\n', '\t', '\u3000', '\xa0', '\x1c', 'a', '答', 'x y');
    const searched = (text: string): { at: number; marker?: string } => {
      for (const marker of ['[Answer]', '[答案]']) {
        const at = text.lastIndexOf(marker);
        if (at !== -1) return { at, marker };
      }
      return { at: 0 };
    };
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const text = parts.join('');
        expect(answerAreaStart(text, answerArea(text).length)).toEqual(searched(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("summaryAnswerStart is after the last [Answer], else the last [答案], after the last </think>", () => {
    const piece = fc.constantFrom('[Answer]', '[答案]', '[Answer', '[答', '[', ']', '</think>', ' ', 'x', '答案]');
    const searched = (text: string, thinkEnd: number): number => {
      const after = thinkEnd === -1 ? 0 : thinkEnd + '</think>'.length;
      for (const marker of ['[Answer]', '[答案]']) {
        const at = text.lastIndexOf(marker);
        if (at >= after) return at + marker.length;
      }
      return after;
    };
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const text = parts.join('');
        const thinkEnd = text.lastIndexOf('</think>');
        expect(summaryAnswerStart(text, thinkEnd)).toBe(searched(text, thinkEnd));
      }),
      { numRuns: 5000 },
    );
  });

  it("partStats (the Summary flags' scan) counts as splitting on '.' and on Python whitespace does", () => {
    // Every kind of code unit the scan tells apart: letters, '.', ASCII and other Python whitespace, \x1c-\x1f, non-ASCII letters.
    const unit = fc.constantFrom('a', 'Z', '7', ',', '-', '.', ' ', '\t', '\n', '\r', '\x0b', '\x0c', '\x1c', '\x1f', '\x85', '\xa0', '\u2003', '\u3000', '\x7f', 'é', '中', '\x00', '\x08', '\x1b');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 60 }), fc.nat(5), fc.nat(5), (units, cutStart, cutEnd) => {
        const text = units.join('');
        const start = Math.min(cutStart, text.length);
        const end = Math.max(start, text.length - cutEnd);
        const part = text.slice(start, end);
        const isSpace = (ch: string): boolean => isPySpace(ch.charCodeAt(0));
        const sentences = part.split('.').map((s, k, all) => ({ at: start + all.slice(0, k).reduce((n, x) => n + x.length + 1, 0), words: s.split('').reduce((w, ch, i) => w + (!isSpace(ch) && (i === 0 || isSpace(s[i - 1]!)) ? 1 : 0), 0) }));
        const counted = sentences.filter((s) => s.words > 0);
        const short = counted.filter((s) => s.words <= FRAGMENT_MAX_WORDS);
        const got = partStats(text, start, end);
        expect(got.chars).toBe([...part].filter((ch) => !isSpace(ch)).length);
        expect(got.sentences).toBe(counted.length);
        expect(got.short).toBe(short.length);
        expect(got.shortStarts).toEqual(short.slice(0, 4).map((s) => s.at));
      }),
      { numRuns: 5000 },
    );
  });

  it('GET /tasks (describeTasks) lists every flag of the table with its scorers, rule and exploit', () => {
    const listed = describeTasks().audit_flags;
    expect(listed.map((f) => f.flag)).toEqual([...AUDIT_FLAG_NAMES]);
    const scorers = new Set(describeTasks().scorers.map((s) => s.name));
    for (const f of listed) {
      expect(f.rule.length).toBeGreaterThan(40);
      expect(f.exploit.length).toBeGreaterThan(40);
      for (const s of f.scorers) expect(s === '*' || scorers.has(s), `${f.flag}: ${s}`).toBe(true);
    }
    expect(AUDIT_FLAGS.length).toBe(AUDIT_FLAG_NAMES.length);
  });

  it("README's table of flags names each flag with the scorers it is checked on, as the table in flags.ts has them", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### The flags'), readme.indexOf('### Penalties'));
    for (const f of AUDIT_FLAGS) {
      const scorers = f.scorers.join(', ') === '*' ? 'every scorer (think-gated items too)' : f.scorers.join(', ');
      expect(section, f.flag).toContain(`| \`${f.flag}\` | ${scorers} |`);
    }
  });
});
