// Differential checks of the math extraction fast paths against the slow, obviously-correct
// forms: (1) findAll, which tries each pattern only where its start scanner allows, against
// trying the pattern at every code point (Python's finditer); (2) normalizeLatex's shortcuts
// for plain numbers and fractions against the full normalize_latex pipeline.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findAll, PATTERNS_FOR_TESTS } from '../rewards/math/extract.js';
import { roundDecimalHalfEven, roundViaExponential } from '../rewards/math/compare.js';
import { extractBoxedContent, normalizeFull, normalizeLatex } from '../rewards/math/normalize.js';

type Pattern = (typeof PATTERNS_FOR_TESTS)[number];

/** finditer without any start scanner: the pattern is tried at every code point. */
function findAllNaive(p: Pattern, text: string): [number, string][] {
  const out: [number, string][] = [];
  let pos = 0;
  while (pos <= text.length) {
    p.re.lastIndex = pos;
    const m = p.re.exec(text);
    if (m && m.index === pos) {
      out.push([m.index, m[0]]);
      pos = m.index + Math.max(1, m[0].length);
    } else pos += 1;
    const c = text.charCodeAt(pos);
    if (pos < text.length && c >= 0xdc00 && c <= 0xdfff && text.charCodeAt(pos - 1) >= 0xd800 && text.charCodeAt(pos - 1) <= 0xdbff) pos++;
  }
  return out;
}

// Fragments that the extraction patterns care about, mixed with arbitrary text.
const PIECES = [
  'final answer', 'Final Answer', 'FINAL ANSWER is', 'The final answer is ', 'answer', 'Answer: ', 'ANSWER', 'I hope it is correct',
  '\\boxed{', '\\boxed{42}', '\\fbox{7}', '}', '{', '$', '$$', '\\[', '\\]', '\\(', '\\)', '[', ']', ' ', '\n', '\t', '\u00a0', '\u3000',
  '=', '-', '+', '*', '/', '^', '(', ')', '%', ' percent', '.', ',', ' and ', ' or ', '\\frac{1}{2}', '\\frac{-3}{4}', '12', '0.5', '-7',
  '1,234', '3 456', '٣', '𝟙', '😀', 'ſ', 'İ', 'ı', 'K', 'x', 'I hope', '**', '€', '\\text{ dollars}',
];
const texts = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 30 })
  .map((parts) => parts.join(''));

describe('findAll start scanners', () => {
  it('finds exactly the matches of trying every pattern at every position', () => {
    fc.assert(
      fc.property(texts, (text) => {
        for (const p of PATTERNS_FOR_TESTS) {
          expect(findAll(p, text).map((m) => [m.index, m[0]])).toEqual(findAllNaive(p, text));
        }
      }),
      { numRuns: 400 },
    );
  });
  it('agrees on typical answer tails', () => {
    const tails = [
      'so 204 - 110 = 94.\n\n**Final Answer**\n\\[\n\\boxed{94.0}\n\\]',
      'Final Answer: The final answer is $1017$. I hope it is correct.',
      'So the result is \\(4,201,686\\).',
      'The answer is 1646.',
      'Therefore, the answer is $\\boxed{18.75}$.',
      '答案是 \\boxed{\\frac{5}{18}}',
    ];
    for (const text of tails) for (const p of PATTERNS_FOR_TESTS) expect(findAll(p, text).map((m) => [m.index, m[0]])).toEqual(findAllNaive(p, text));
  });
  it('reads each named group of the reference pattern by its number', () => {
    // The compiled patterns drop the group names; every match must capture what the named
    // source captures under each name.
    const named = new Map(PATTERNS_FOR_TESTS.map((p) => [p, new RegExp(p.source, 'uy')]));
    let compared = 0;
    const check = (text: string) => {
      for (const p of PATTERNS_FOR_TESTS) {
        for (const m of findAll(p, text)) {
          const re = named.get(p)!;
          re.lastIndex = m.index;
          const groups = re.exec(text)!.groups!;
          expect(Object.keys(groups).sort()).toEqual(Object.keys(p.group).sort());
          for (const [name, index] of Object.entries(p.group)) expect([name, m[index]]).toEqual([name, groups[name]]);
          compared++;
        }
      }
    };
    [
      'The final answer is $12\\%$ and $\\frac{1}{2}$, or \\(3\\). I hope it is correct.',
      'Answer: 1,234.5 percent, so x = 3 and then $$\\boxed{7}$$ or \\[\\boxed{8}\\] and $\\boxed{9}$, \\boxed{\\frac{1}{3}}',
      'final answer is (2+3)*4 = 20. answer 0.75 pct; **Final Answer** [ 5 ] \\frac{-3}{4} 12%',
    ].forEach(check);
    expect(compared).toBeGreaterThan(20);
    fc.assert(fc.property(texts, check), { numRuns: 400 });
  });
});

describe('normalizeLatex shortcuts', () => {
  const digits = fc.stringMatching(/^-?[0-9]{1,6}$/);
  const decimal = fc.stringMatching(/^-?[0-9]{1,4}\.[0-9]{1,4}$/);
  const plain = fc.oneof(
    digits,
    decimal,
    fc.tuple(digits, digits).map(([a, b]) => `${a}/${b}`),
    fc.tuple(fc.constantFrom('', 'd', 't', 'c'), digits, digits).map(([v, a, b]) => `\\${v}frac{${a}}{${b}}`),
    fc.constantFrom('0.5', '-0/1', '1/-0', '00/7', '7/08', '-0', '0', '\\frac{0}{-0}', '1/2', '\\frac{1}{2}', '\\dfrac{1}{2}', '\\tfrac{-3}{04}', '\\cfrac{7}{8}', '\\xfrac{7}{8}'),
  );
  it('equal the full pipeline on plain numbers and fractions, boxed or not', () => {
    fc.assert(
      fc.property(plain, fc.boolean(), fc.constantFrom<'all' | 'last'>('all', 'last'), (s, boxed, mode) => {
        const text = boxed ? `\\boxed{${s}}` : s;
        expect(normalizeLatex(text, mode)).toBe(normalizeFull(extractBoxedContent(text, mode)));
      }),
      { numRuns: 2000 },
    );
  });
  it('equal the full pipeline on arbitrary short strings', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(normalizeLatex(text, 'all')).toBe(normalizeFull(extractBoxedContent(text, 'all')));
      }),
      { numRuns: 400 },
    );
  });
});

describe('decimal rounding shortcut', () => {
  it('a short decimal gives what rounding its 15-digit exponential form gives', () => {
    const shortDecimal = fc
      .tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 }))
      .map(([n, places]) => n / 10 ** places);
    fc.assert(
      fc.property(fc.oneof(shortDecimal, fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e16, max: 1e16 })), (x) => {
        expect(roundDecimalHalfEven(x)).toBe(roundViaExponential(x));
      }),
      { numRuns: 5000 },
    );
    for (const x of [18.75, -0.5, 0.000001, 123456789.123456, 99999999.999999, 0.1 + 0.2, 1e-7, 2.5e-6]) expect(roundDecimalHalfEven(x)).toBe(roundViaExponential(x));
  });
});
