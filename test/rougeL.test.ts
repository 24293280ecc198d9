// py-rouge ROUGE-L (rouge 1.0.1, rouge_l_summary_level), values computed by hand from its
// definition: sentence split on ".", union of one reconstructed LCS per sentence pair, distinct
// word counts, F = 2pr/(p+r+1e-8), and the recursion-depth failure of its walk.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RECURSION_WALK_LIMIT, rougeLMax } from '../rewards/scorers/rougeL.js';
import { scoreLongBenchPro } from '../rewards/longbenchPro.js';
import { PY_WHITESPACE_CODE_POINTS } from '../rewards/text.js';

/** Python's str.split() separators (JavaScript's \s differs: it has U+FEFF, lacks U+001C-U+001F). */
const PY_SPACE_RUN = new RegExp(`[${PY_WHITESPACE_CODE_POINTS.map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('')}]+`);
const f = (llcs: number, m: number, n: number) => {
  const r = llcs / m;
  const p = llcs / n;
  return 2.0 * ((p * r) / (p + r + 1e-8));
};
/**
 * py-rouge's rouge_l_summary_level written out plainly from its definition (full table, walk,
 * set union), as an independent oracle for the bit-parallel implementation.
 */
let naiveOverflow = { referenceSentence: -1, hypothesisSentence: -1 }; // the pair of naiveRougeL's last 'overflow'
function naiveRougeL(hyp: string, ref: string): { llcs: number; m: number; n: number } | 'empty' | 'overflow' {
  const sentences = (t: string) => t.split('.').filter((p) => p.length > 0).map((p) => p.split(PY_SPACE_RUN).filter(Boolean).join(' '));
  const hs = sentences(hyp);
  const rs = sentences(ref);
  if (hs.length === 0 || rs.length === 0) return 'empty';
  const union = new Set<string>();
  for (const [ri, r] of rs.entries()) {
    for (const [hi, h] of hs.entries()) {
      const x = r.split(' ');
      const y = h.split(' ');
      const T = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
      for (let i = 1; i <= x.length; i++)
        for (let j = 1; j <= y.length; j++) T[i]![j] = x[i - 1] === y[j - 1] ? T[i - 1]![j - 1]! + 1 : Math.max(T[i - 1]![j]!, T[i]![j - 1]!);
      let i = x.length;
      let j = y.length;
      let steps = 0;
      while (i > 0 && j > 0) {
        if (++steps > RECURSION_WALK_LIMIT) {
          naiveOverflow = { referenceSentence: ri, hypothesisSentence: hi };
          return 'overflow';
        }
        if (x[i - 1] === y[j - 1]) {
          union.add(x[i - 1]!);
          i--;
          j--;
        } else if (T[i - 1]![j]! > T[i]![j - 1]!) i--;
        else j--;
      }
    }
  }
  const distinct = (ss: string[]) => new Set(ss.flatMap((x) => x.split(' '))).size;
  return { llcs: union.size, m: distinct(rs), n: distinct(hs) };
}

/** rougeLMax's result equals the plain transcription's: the first failing reference, or every pair's numbers. */
function expectPlainResult(got: ReturnType<typeof rougeLMax>, hyp: string, refs: string[]): void {
  const want = refs.map((r) => naiveRougeL(hyp, r));
  const firstBad = want.findIndex((w) => typeof w === 'string');
  if (firstBad >= 0) {
    expect(got.score).toBe(0);
    expect(got.failure?.reference).toBe(firstBad);
  } else {
    expect(got.failure).toBeUndefined();
    expect(got.references).toEqual(want.map((w) => ({ ...(w as object), f: f((w as { llcs: number }).llcs, (w as { m: number }).m, (w as { n: number }).n) })));
  }
}

const words = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => `${prefix}${i}`).join(' ');

describe('py-rouge ROUGE-L', () => {
  it('identical texts score 2/(2+1e-8), not 1', () => {
    const r = rougeLMax('the cat sat', ['the cat sat']);
    expect(r.references).toEqual([{ llcs: 3, m: 3, n: 3, f: f(3, 3, 3) }]);
    expect(r.score).toBe(2 / (2 + 1e-8));
  });

  it('unions one LCS per sentence pair (the docstring example)', () => {
    // r = w1..w5; c1 gives w1 w2, c2 gives w1 w3 w5: union 4; m = 5; n = 8 distinct hypothesis words
    const r = rougeLMax('w1 w2 w6 w7 w8. w1 w3 w8 w9 w5', ['w1 w2 w3 w4 w5']);
    expect(r.references[0]).toMatchObject({ llcs: 4, m: 5, n: 8 });
    expect(r.score).toBe(f(4, 5, 8));
  });

  it('walks left on ties, so only one of two equal-length LCS is taken', () => {
    // ref "a b" vs hyp "b a": up (1) is not strictly greater than left (1), go left, take "b".
    // Going up would take "a" and the union with "b" (second sentence) would be 2.
    const r = rougeLMax('b a. b', ['a b']);
    expect(r.references[0]).toMatchObject({ llcs: 1, m: 2, n: 2 });
  });

  it('counts distinct words, and a blank sentence is the word ""', () => {
    // ref sentences "a", "", "b" (words a, "", b); hyp "a a a": m = 3, n = 1, llcs = 1
    const r = rougeLMax('a a a', ['a.  . b']);
    expect(r.references[0]).toMatchObject({ llcs: 1, m: 3, n: 1 });
    expect(r.score).toBe(f(1, 3, 1));
  });

  it('splits on every ".", numbers included', () => {
    // hyp sentences "rose 3", "5 percent"; ref "rose 3 5 percent" is one sentence: LCS(ref, s1) = rose 3,
    // LCS(ref, s2) = 5 percent, union 4 = m = n
    expect(rougeLMax('rose 3.5 percent', ['rose 3 5 percent']).references[0]).toMatchObject({ llcs: 4, m: 4, n: 4 });
  });

  it('takes the max over references and reports the first best', () => {
    const r = rougeLMax('a b c', ['x y', 'a b c', 'a b c d']);
    expect(r.best).toBe(1);
    expect(r.score).toBe(f(3, 3, 3));
    expect(r.references.map((x) => x.llcs)).toEqual([0, 3, 3]);
  });

  it('fails like py-rouge on an empty hypothesis or reference (the whole item scores 0)', () => {
    expect(rougeLMax('...', ['a']).failure).toEqual({ reason: 'hypothesis_empty', reference: 0 });
    const r = rougeLMax('a b', ['a b', '..', 'a']);
    expect(r.score).toBe(0);
    expect(r.failure).toEqual({ reason: 'reference_empty', reference: 1 });
  });

  it(`fails when one sentence pair's walk exceeds ${RECURSION_WALK_LIMIT} steps`, () => {
    const ok = words(RECURSION_WALK_LIMIT, 'w');
    expect(rougeLMax(ok, [ok]).score).toBe(2 / (2 + 1e-8)); // diagonal walk of exactly the limit
    const long = words(RECURSION_WALK_LIMIT + 1, 'w');
    expect(rougeLMax(long, [long])).toMatchObject({ score: 0, failure: { reason: 'reference_recursion_limit', reference: 0 } });
    // A short reference against a long unrelated hypothesis walks left across all of it.
    expect(rougeLMax(words(RECURSION_WALK_LIMIT + 1, 'h'), ['x y z']).failure?.reason).toBe('reference_recursion_limit');
    expect(rougeLMax(words(RECURSION_WALK_LIMIT, 'h'), ['x y z']).failure).toBeUndefined();
    // Splitting into sentences keeps each walk short.
    const dotted = `${words(600, 'a')}. ${words(600, 'b')}`;
    expect(rougeLMax(dotted, [dotted]).failure).toBeUndefined();
  });

  it('agrees with a plain transcription of py-rouge on random texts', () => {
    const token = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'the', '.', ' ', '  ', '. ');
    const text = (max: number) => fc.array(token, { maxLength: max }).map((t) => t.join(' '));
    fc.assert(
      fc.property(text(80), fc.array(text(80), { minLength: 1, maxLength: 3 }), (hyp, refs) => {
        const got = rougeLMax(hyp, refs);
        const want = refs.map((r) => naiveRougeL(hyp, r));
        if (want.some((w) => typeof w === 'string')) {
          expect(got.score).toBe(0);
          expect(got.failure).toBeDefined();
        } else {
          expect(got.failure).toBeUndefined();
          expect(got.references).toEqual(want.map((w) => ({ ...(w as object), f: f((w as { llcs: number }).llcs, (w as { m: number }).m, (w as { n: number }).n) })));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with the plain transcription across 32-bit word boundaries and long sentences', () => {
    const long = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { minLength: 30, maxLength: 140 }).map((t) => t.join(' '));
    fc.assert(
      fc.property(long, long, (hyp, ref) => {
        const want = naiveRougeL(hyp, ref);
        expect(rougeLMax(hyp, [ref]).references[0]).toEqual({ ...(want as object), f: f((want as { llcs: number }).llcs, (want as { m: number }).m, (want as { n: number }).n) });
      }),
      { numRuns: 200 },
    );
  });

  it('still walks a long pair that can add no word: its walk may overflow', () => {
    // "a" marks the word a (985 moves, within the limit); then "a a" adds nothing new but its
    // walk up the 984 b's takes 986 moves: Python's recursion fails there.
    const ref = `a a ${'b '.repeat(984)}`;
    expect(naiveRougeL('a. a a', ref)).toBe('overflow');
    expect(rougeLMax('a. a a', [ref]).failure).toEqual({ reason: 'reference_recursion_limit', reference: 0 });
  });

  it('agrees with the plain transcription on many sentences, some near the walk limit', () => {
    // Pairs that cannot add a word are skipped, except those whose walk may overflow.
    const sentence = fc.oneof(
      { weight: 5, arbitrary: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'the', 'of'), { minLength: 1, maxLength: 25 }) },
      { weight: 1, arbitrary: fc.integer({ min: RECURSION_WALK_LIMIT - 40, max: RECURSION_WALK_LIMIT + 5 }).map((n) => Array.from({ length: n }, (_, i) => 'abcdefg'[(i * 3) % 7]!)) },
    );
    const text = fc.array(sentence, { minLength: 1, maxLength: 6 }).map((ss) => ss.map((w) => w.join(' ')).join('. '));
    fc.assert(
      fc.property(text, fc.array(text, { minLength: 1, maxLength: 2 }), (hyp, refs) => {
        expectPlainResult(rougeLMax(hyp, refs), hyp, refs);
      }),
      { numRuns: 60 },
    );
  });

  it('agrees with the plain transcription when most hypothesis words are in no reference (Unicode spaces, surrogates)', () => {
    // Hypothesis-only words get no match masks (no reference sentence reads them); the walk still
    // crosses their columns, so the walk limit is tested with long sentences of them too.
    const shared = fc.constantFrom('a', 'b', 'the', 'é', '\ud83d\ude00', '\ud800');
    const own = fc.constantFrom('x', 'yy', 'z\u00e9', '\ufeffq', '\udc00', '北京');
    const space = fc.constantFrom(' ', '  ', '\u3000', '\u00a0', '\x1c', '\u2028', '\n\t');
    const sentence = (word: fc.Arbitrary<string>, max: number) =>
      fc.array(fc.tuple(word, space), { minLength: 1, maxLength: max }).map((ws) => ws.map(([w, sp]) => w + sp).join(''));
    const longRun = fc.integer({ min: RECURSION_WALK_LIMIT - 30, max: RECURSION_WALK_LIMIT + 30 }).map((n) => Array.from({ length: n }, (_, i) => (i % 97 === 5 ? 'a' : `o${i % 5}`)).join(' '));
    const hypSentence = fc.oneof({ weight: 6, arbitrary: sentence(fc.oneof(shared, own, own), 70) }, { weight: 1, arbitrary: longRun });
    const hypText = fc.array(hypSentence, { minLength: 1, maxLength: 5 }).map((ss) => ss.join('.'));
    const refText = fc.array(sentence(shared, 30), { minLength: 1, maxLength: 3 }).map((ss) => ss.join('. '));
    fc.assert(
      fc.property(hypText, fc.array(refText, { minLength: 1, maxLength: 2 }), (hyp, refs) => {
        const got = rougeLMax(hyp, refs, { details: true, deadline: Infinity });
        expectPlainResult(got, hyp, refs);
        const sentences = hyp.split('.').filter((p) => p.length > 0).map((p) => p.split(PY_SPACE_RUN).filter(Boolean));
        expect(got.explanation?.hypothesisSentences).toEqual(sentences.map((ws) => (ws.length === 0 ? [''] : ws)));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the plain transcription against references of many sentences (candidate pairs sorted past 32)', () => {
    // A vocabulary large enough for the union to keep growing over the reference's sentences.
    // fast-check keeps arrays short unless told: the sizes are given as minimums.
    const sentence = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 400 }), { minLength: min, maxLength: max }).map((w) => w.map((k) => `w${k}`).join(' '));
    const text = (min: number, max: number, words: fc.Arbitrary<string>) => fc.array(words, { minLength: min, maxLength: max }).map((ss) => ss.join('. '));
    fc.assert(
      fc.property(text(1, 3, sentence(100, 200)), text(33, 80, sentence(1, 6)), (hyp, ref) => {
        const want = naiveRougeL(hyp, ref) as { llcs: number; m: number; n: number };
        expect(rougeLMax(hyp, [ref]).references[0]).toEqual({ ...want, f: f(want.llcs, want.m, want.n) });
      }),
      { numRuns: 100 },
    );
  });

  it("names the first overflowing pair in Python's order among many reference sentences", () => {
    // Sentences "a q q ... q" of about the walk limit overflow against the hypothesis "a" (the walk
    // climbs the q's); which one Python meets first is in the item details.
    const climb = fc.integer({ min: RECURSION_WALK_LIMIT - 6, max: RECURSION_WALK_LIMIT + 6 }).map((n) => `a ${'q '.repeat(n)}`);
    const short = fc.array(fc.constantFrom('a', 'b', 'q'), { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
    const ref = fc.array(fc.oneof(short, climb), { minLength: 33, maxLength: 45 }).map((ss) => ss.join('. '));
    fc.assert(
      fc.property(fc.constantFrom('a', 'b a', 'a. b', 'q a'), ref, (hyp, r) => {
        const want = naiveRougeL(hyp, r);
        const got = rougeLMax(hyp, [r], { details: true, deadline: Infinity });
        if (want !== 'overflow') expect(got.failure).toBeUndefined();
        else expect(got.failure?.pair).toMatchObject(naiveOverflow);
      }),
      { numRuns: 60 },
    );
  });

  it('scores tokens as the text of those tokens joined by spaces (the Chinese fast path)', () => {
    // Tokens as jieba yields them: words, single spaces and newlines, ".", tokens with "." inside.
    const token = fc.constantFrom('a', 'b', 'cd', '北京', '的', '.', ' ', '\n', '3.5', 'x.', '.y', '\u3000', '\t', 'ab.', '..');
    const spaced = (tokens: string[], keyed = false, withCodes = false) => {
      const ends = new Int32Array(tokens.length);
      let at = 0;
      tokens.forEach((t, k) => (ends[k] = at += t.length));
      // Keys as jieba gives them: one per distinct word without "." or whitespace, some left out.
      const keyOf = new Map<string, number>();
      const keys = Int32Array.from(tokens, (t, k) => (!keyed || /[.\s]/.test(t) || k % 3 === 2 ? -1 : keyOf.get(t) ?? (keyOf.set(t, keyOf.size * 7 + 3), keyOf.get(t)!)));
      const text = tokens.join('');
      // Code units as the segmentation hands them over: a buffer longer than the text, "." and spaces after it.
      const tail = `${text}. \u3000x`;
      const codes = Uint16Array.from({ length: tail.length }, (_, i) => tail.charCodeAt(i));
      return { text, ends, count: tokens.length, ...(keyed && { keys, keyLimit: 7 * keyOf.size + 4 }), ...(withCodes && { codes }) };
    };
    fc.assert(
      // size 'max': fast-check's default keeps arrays to about ten tokens, too few for keyed repeats.
      fc.property(fc.array(token, { maxLength: 60, size: 'max' }), fc.array(fc.array(token, { maxLength: 40, size: 'max' }).map((t) => t.join(' ')), { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean(), (tokens, refs, keyed, withCodes) => {
        expect(rougeLMax(spaced(tokens, keyed, withCodes), refs)).toEqual(rougeLMax(tokens.join(' '), refs));
      }),
      { numRuns: 1000 },
    );
    // The joining spaces make "a" "." "." "b" three sentences, the middle one the word "".
    expect(rougeLMax(spaced(['a', '.', '.', 'b']), ['a b']).references[0]).toMatchObject({ n: 3 });
    // Thousands of distinct keyed words (the key table grows while in use), each seen twice.
    const many = Array.from({ length: 9000 }, (_, k) => (k % 11 === 10 ? '.' : `w${(k * 7919) % 4500}`));
    const manyRefs = [Array.from({ length: 400 }, (_, k) => `w${(k * 13) % 4500}`).join(' ')];
    const withWords = { details: true, deadline: Infinity }; // the explanation shows every word's id as its text
    expect(rougeLMax(spaced(many, true), manyRefs, withWords)).toEqual(rougeLMax(many.join(' '), manyRefs, withWords));
  });

  it('shows the reason in the item details', () => {
    const long = words(1200, 'w');
    const out = scoreLongBenchPro(long, [long], 'Summary', false, { details: true, deadline: Infinity });
    expect(out.score).toBe(0);
    expect(out.details).toMatchObject({ reason: 'reference_recursion_limit' });
  });

  it('Summary scores the whole response, lowercased and folded, think part included', () => {
    const out = scoreLongBenchPro('<think>x</think> The  Cat', ['the cat'], 'Summary', false, { details: true, deadline: Infinity });
    // hyp words "<think>x</think>", "the", "cat": llcs 2, m 2, n 3
    expect(out.score).toBe(f(2, 2, 3));
  });

  it('Chinese: both sides are jieba-segmented and joined with spaces', () => {
    const out = scoreLongBenchPro('我爱北京天安门', ['我爱北京'], 'Summary', true, { details: true, deadline: Infinity });
    // hyp 我 爱 北京 天安门, ref 我 爱 北京: llcs 3, m 3, n 4
    expect(out.details).toMatchObject({ prediction: '我 爱 北京 天安门', answers: ['我 爱 北京'] });
    expect(out.score).toBe(f(3, 3, 4));
    // Without segmentation each side is a single word.
    expect(scoreLongBenchPro('我爱北京天安门', ['我爱北京'], 'Summary', false, { details: false, deadline: Infinity }).score).toBe(0);
  });
});
