// Matrices, relations against sets, and big operators (Sum, Product, Integral, Limit) in
// math_verify: hand-made cases whose reference scores were checked with GoLongRL's dispatcher
// (Math-Verify 0.8.0, latex2sympy2_extended 1.10.2, SymPy 1.14), and properties: a construct
// is either read as a whole or not at all, never as a number found inside it (the public
// Math-Verify-suite file is checked in test/parityMathCorpora.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mathVerifyScore } from '../rewards/scorers/mathVerify.js';
import { parseAnswer } from '../rewards/math/extract.js';
import { show } from '../rewards/math/nodes.js';
import { ScoreFailure, type ScoreContext } from '../rewards/types.js';
import { boundedScore } from './helpers/boundedScore.js';

const ctx = (): ScoreContext => ({ details: true, deadline: performance.now() + 5000 });
const score = (response: string, gold: string): number => mathVerifyScore(response, gold, ctx()).score;

// [name, gold, response, reference score]
type Case = [string, string, string, number];

const MATRICES: Case[] = [
  ['pmatrix against bmatrix', '\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}', '$\\begin{bmatrix}1 & 2 \\\\ 3 & 4\\end{bmatrix}$', 1],
  ['array in brackets', '\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}', '$\\left[\\begin{array}{cc}1 & 2 \\\\ 3 & 4\\end{array}\\right]$', 1],
  ['one entry differs', '\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}', '$\\begin{pmatrix}1 & 2 \\\\ 3 & 5\\end{pmatrix}$', 0],
  ['column against row', '\\begin{pmatrix}1 \\\\ 2\\end{pmatrix}', '$\\begin{pmatrix}1 & 2\\end{pmatrix}$', 0],
  ['matrix against its last entry', '\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}', '$4$', 0],
  ['entry against the matrix', '4', '$\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}$', 0],
  ['sum of matrices', '\\begin{pmatrix}6 & 8 \\\\ 10 & 12\\end{pmatrix}', '$\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} + \\begin{pmatrix}5 & 6 \\\\ 7 & 8\\end{pmatrix}$', 1],
  ['difference of matrices', '\\begin{pmatrix}0 & 0 \\\\ 0 & 0\\end{pmatrix}', '$\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} - \\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}$', 1],
  ['product of matrices', '\\begin{pmatrix}3 & 4 \\\\ 2 & 3\\end{pmatrix}', '$\\begin{pmatrix}1 & 1 \\\\ 0 & 1\\end{pmatrix}\\begin{pmatrix}1 & 1 \\\\ 2 & 3\\end{pmatrix}$', 1],
  ['scalar multiple', '\\begin{pmatrix}2 & 4 \\\\ 6 & 8\\end{pmatrix}', '$2\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}$', 1],
  ['transpose', '\\begin{pmatrix}1 & 3 \\\\ 2 & 4\\end{pmatrix}', '$\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}^T$', 1],
  ['a power stays unevaluated', '\\begin{pmatrix}7 & 10 \\\\ 15 & 22\\end{pmatrix}', '$\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}^2$', 0],
  ['vmatrix is the determinant', '-2', '$\\begin{vmatrix}1 & 2 \\\\ 3 & 4\\end{vmatrix}$', 1],
  ['\\det of a matrix', '6', '$\\det\\begin{pmatrix}2 & 0 \\\\ 0 & 3\\end{pmatrix}$', 1],
  ['entries compare with float rounding', '\\begin{pmatrix}\\frac{1}{2} & 1\\end{pmatrix}', '$\\begin{pmatrix}0.5 & 1\\end{pmatrix}$', 1],
  ['but not beyond it', '\\begin{pmatrix}\\frac{1}{3} \\\\ \\frac{1}{5}\\end{pmatrix}', '$\\begin{pmatrix}0.33 \\\\ 0.2\\end{pmatrix}$', 0],
  ['symbolic entries', '\\begin{pmatrix}x+1 & 2\\end{pmatrix}', '$\\begin{pmatrix}1+x & 2\\end{pmatrix}$', 1],
  ['assignment to a matrix', '\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}', '$A = \\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}$', 1],
  // The $...$ inside \boxed{} split the dollars differently: the reference ends up with a number, not the matrix.
  ['text around a matrix in \\boxed', '\\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix}', 'The final answer is $\\boxed{The identity matrix is $ \\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix} $.}$', 0],
  ['column against an interval', '\\begin{pmatrix}1 \\\\ 2\\end{pmatrix}', '$(1, 2)$', 0],
];

const RELATIONS: Case[] = [
  ['function application as a variable', '0<f(x)<1', '$(0,1)$', 1],
  ['absolute value: two intervals', '1\\leq|z|\\leq \\frac{3}{2}', '$z \\in \\left[-\\frac{3}{2}, -1\\right] \\cup \\left[1, \\frac{3}{2}\\right]$', 1],
  ['quadratic', 'x^2 > 4', '$(-\\infty,-2)\\cup(2,\\infty)$', 1],
  ['surd end points', 'x^2-2 \\ge 0', '$(-\\infty, -\\sqrt{2}] \\cup [\\sqrt{2}, \\infty)$', 1],
  ['open where closed', 'x^2-2 \\ge 0', '$(-\\infty, -\\sqrt{2}) \\cup (\\sqrt{2}, \\infty)$', 0],
  ['inequation', 'x \\neq 3', '$(-\\infty,3)\\cup(3,\\infty)$', 1],
  ['equation: its roots', 'x^2 = 4', '$\\{-2, 2\\}$', 1],
  ['rational function', '\\frac{1}{x} > 1', '$(0,1)$', 1],
  ['cubic', 'x^3 - x > 0', '$(-1,0)\\cup(1,\\infty)$', 1],
  ['absolute value of a linear term', '|x-1| < 2', '$(-1,3)$', 1],
  ['two variables: no set', 'x + y > 0', '$(0, \\infty)$', 0],
  ['a set in the gold is not turned into a relation', 'x \\in [-2,7]', '$-2 \\le x \\le 7$', 0],
  ['a relation in the gold against a set', '-2 \\le x \\le 7', '$x \\in [-2,7]$', 1],
  // SymPy evaluates a relation its assumptions decide: true becomes UniversalSet, equal to no set.
  ['true for every real x: not the reals', 'x^2+1>0', '$\\mathbb{R}$', 0],
  ['true for every real x: not (-oo, oo)', 'x^2+1>0', '$(-\\infty, \\infty)$', 0],
  ['a sum of squares is nonnegative', 'x^2 + (x-1)^2 \\ge 0', '$\\mathbb{R}$', 0],
  ['a product of squares, negated', '-2x^2 (x-1)^2 \\le 0', '$(-\\infty, \\infty)$', 0],
  ['an inequation true everywhere', 'x^2 + 1 \\ne 0', '$\\mathbb{R}$', 0],
  ['exponentials are positive', 'e^x > 0', '$\\mathbb{R}$', 0],
  ['false for every real x: the empty set', '|x| < 0', '$\\emptyset$', 1],
  ['a chain with a false link', '-1 < x^2 + 1 < 0', '$\\emptyset$', 1],
  ['a chain with one undecided link keeps both', '0 < x^2 + 1 < 5', '$(-2, 2)$', 1],
  ['signs of terms do not decide it: solved', 'x^2 + 2x + 1 \\geq 0', '$\\mathbb{R}$', 1],
  ['x^2 > 0 is not decided (x may be 0)', 'x^2 > 0', '$(-\\infty, 0) \\cup (0, \\infty)$', 1],
  ['an unwrapped f(x) is not known to be real', 'f(x)^2 + 1 > 0', '$\\mathbb{R}$', 1],
  // a x^n + b without a rational root: the real n-th roots of -b/a.
  ['a cube root end point', 'x^3 - 2 > 0', '$(\\sqrt[3]{2}, \\infty)$', 1],
  ['a cube root end point, as a decimal', '2x^3 - 1 \\geq 0', '$[0.793701, \\infty)$', 1],
  ['a cube root end point, closed where open', 'x^3 - 2 > 0', '$[\\sqrt[3]{2}, \\infty)$', 0],
  ['even degree: both fourth roots', 'x^4 - 2 \\le 0', '$[-\\sqrt[4]{2}, \\sqrt[4]{2}]$', 1],
  ['after a rational root is divided out', '(x-1)(x^3 - 2) < 0', '$(1, \\sqrt[3]{2})$', 1],
  ['inside an absolute value', '|x^3 - 2| < 1', '$(1, \\sqrt[3]{3})$', 1],
];

const BIG_OPERATORS: Case[] = [
  ['finite sum', '\\sum_{k=1}^{10} k', '$55$', 1],
  ['finite sum, wrong value', '\\sum_{k=1}^{10} k', '$56$', 0],
  ['the lower bound is not the answer', '0', '$\\sum_{k=0}^{3} k$', 0],
  ['closed form of a symbolic sum', '\\sum_{k=1}^{n} k', '$\\frac{n(n+1)}{2}$', 1],
  ['sum of squares', '\\sum_{k=1}^{n} k^2', '$\\frac{n(n+1)(2n+1)}{6}$', 1],
  // "i" makes the prediction's symbols complex: its n is not the gold's n.
  ['index i makes the symbols complex', '\\sum_{k=1}^{n} k', '$\\sum_{i=1}^{n} i$', 0],
  ['exact rational sum', '\\sum_{k=1}^{10} \\frac{1}{k}', '$\\frac{7381}{2520}$', 1],
  ['rounded float', '\\sum_{k=1}^{10} \\frac{1}{k}', '$2.928968$', 1],
  ['geometric series', '\\sum_{k=0}^{\\infty} \\frac{1}{2^k}', '$2$', 1],
  ['finite product', '\\prod_{k=1}^{5} k', '$120$', 1],
  ['a symbolic product is not evaluated', '\\prod_{k=1}^{n} k', '$n!$', 0],
  ['definite integral', '\\int_0^1 x^2 dx', '$\\frac{1}{3}$', 1],
  ['definite integral against a float', '\\int_0^1 x^2 \\, dx', '$0.333333$', 1],
  ['antiderivative without a constant', '\\int x dx', '$\\frac{x^2}{2}$', 1],
  ['integral of sin', '\\int_{0}^{\\pi} \\sin x \\, dx', '$2$', 1],
  ['improper integral', '\\int_0^{\\infty} e^{-x} dx', '$1$', 1],
  ['limit of sin(x)/x', '\\lim_{x \\to 0} \\frac{\\sin x}{x}', '$1$', 1],
  ["L'Hopital", '\\lim_{x \\to 1} \\frac{x^2-1}{x-1}', '$2$', 1],
  ['limit at infinity', '\\lim_{x\\to\\infty} \\frac{2x+1}{x}', '$2$', 1],
  ['wrong limit', '\\lim_{x \\to 0} \\frac{\\sin x}{x}', '$0$', 0],
  ['different sum bounds and terms', '$F_n = \\sum_{k=0}^{n-1} F_k F_{n-k-1}$', '$F_n = \\sum_{k=0}^{n-2} F_k F_{n-k-2}$', 0],
  // doit() gives an Integer, which never equals a Float; simplify() of a lone Sum or Integral
  // (SymPy drops the 0.0) leaves it unevaluated, while a nonzero Float gets it evaluated.
  ['a zero sum against 0.0', '\\sum_{k=0}^{0} 3k^3', '$0.0$', 0],
  ['a zero integral against 0.0', '\\int_{-1}^{1} x dx', '$0.0$', 0],
  ['a zero limit against 0.0', '\\lim_{x \\to 0} x', '$0.0$', 1],
  ['a sum against a nonzero float', '\\sum_{k=1}^{2} k', '$3.0$', 1],
  ['a double sum too long to take exactly', '\\sum_{i=1}^{100}\\sum_{j=1}^{100} i j', '$25502500$', 1],
  ['a double sum too long to take exactly, wrong value', '\\sum_{i=1}^{100}\\sum_{j=1}^{100} i j', '$25502501$', 0],
  ['d/dx applied to what follows', '2x', '$\\frac{d}{dx} x^2$', 1],
  ['d(...)/dx', '2x', '$\\frac{d(x^2)}{dx}$', 1],
  ['derivative of a function', '\\cos x', '$\\frac{d}{dx} \\sin x$', 1],
  ['partial derivative', '2x', '$\\frac{\\partial}{\\partial x} x^2$', 1],
  ['dy/dx of an independent y is 0', '0', '$\\frac{dy}{dx}$', 1],
  ['...and not y', 'y', '$\\frac{dy}{dx}$', 0],
  ['an evaluation bar binds to the last factor', '3', '$x^2 + 2|^{x=1}$', 0],
  ['evaluation bar, both ends', '3', '$x^2|^{x=2}_{x=1}$', 1],
  ['the operator takes the product, not the sum', '2', '$\\frac{d}{dx} x^2 + 1$', 0],
];

const TABLES: [string, Case[]][] = [
  ['matrices: scores', MATRICES],
  ['a relation in the gold against a set in the prediction', RELATIONS],
  ['big operators and derivatives: scores', BIG_OPERATORS],
];
for (const [title, cases] of TABLES) {
  describe(title, () => {
    it.each(cases)('%s', (_name, gold, response, expected) => {
      expect(score(response, gold)).toBe(expected);
    });
  });
}

describe('matrices', () => {
  it('parses them into SymPy-like matrices', () => {
    const parsed = parseAnswer('\\boxed{\\begin{pmatrix}\\frac{1}{2} & x \\\\ 3 & 4\\end{pmatrix}}', ctx());
    expect(parsed.value && show(parsed.value)).toBe('Matrix([[1/2, x], [3, 4]])');
  });
});

describe('big operators', () => {
  it('parses them as latex2sympy does', () => {
    const value = (latex: string): string | null => {
      const v = parseAnswer(`\\boxed{${latex}}`, ctx()).value;
      return v && show(v);
    };
    expect(value('\\sum_{k=1}^{n} k^2 + 1')).toBe('Sum(k**2, (k, 1, n)) + 1');
    expect(value('\\int_0^1 x^2 \\, dx')).toBe('Integral(x**2, (x, 0, 1))');
    expect(value('\\int \\frac{dx}{x}')).toBe('Integral(1*x**-1, x)');
    expect(value('\\lim_{x \\to 0^{-}} \\frac{1}{x}')).toBe("Limit(1*x**-1, x, 0, dir='-')");
  });
});

describe('constructs this port does not read stop the extraction', () => {
  const unsupported = [
    '\\operatorname{rank}\\begin{pmatrix}1 & 2 \\\\ 2 & 4\\end{pmatrix}',
    '\\{\\begin{pmatrix}1 \\\\ 2\\end{pmatrix}\\}',
    '\\char"000391 + 1',
    '\\|v\\|',
    '\\{1\\} \\subseteq \\{1, 2\\}',
  ];
  it.each(unsupported)('%s', (latex) => {
    const parsed = parseAnswer(`The answer is $\\boxed{${latex}}$ and 7 more`, ctx());
    expect(parsed.value).toBeNull();
    expect(parsed.unsupported).toBeTruthy();
    expect(mathVerifyScore(`The answer is $\\boxed{${latex}}$`, '1', ctx()).details?.['rule']).toBe('unsupported_construct');
  });
});

// ---- properties ----

const small = fc.integer({ min: -9, max: 9 });
const nonNegative = fc.integer({ min: 0, max: 9 });

/** A construct with numbers inside it and its true value (undefined: not a number). */
const construct = fc.oneof(
  fc.tuple(nonNegative, nonNegative, small).map(([a, span, c]) => ({
    latex: `\\sum_{k=${a}}^{${a + span}} ${c}k`,
    inner: [a, a + span, c],
    value: (c * (span + 1) * (2 * a + span)) / 2 as number | undefined,
  })),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 })).map(([a, span]) => {
    let p = 1;
    for (let k = a; k <= a + span; k++) p *= k;
    return { latex: `\\prod_{k=${a}}^{${a + span}} k`, inner: [a, a + span], value: p as number | undefined };
  }),
  fc.tuple(small, small, small, small).map(([a, b, c, d]) => ({
    latex: `\\begin{pmatrix}${a} & ${b} \\\\ ${c} & ${d}\\end{pmatrix}`,
    inner: [a, b, c, d],
    value: undefined as number | undefined,
  })),
  fc.tuple(small, small, small, small).map(([a, b, c, d]) => ({
    latex: `\\begin{vmatrix}${a} & ${b} \\\\ ${c} & ${d}\\end{vmatrix}`,
    inner: [a, b, c, d],
    value: (a * d - b * c) as number | undefined,
  })),
  fc.tuple(nonNegative, fc.integer({ min: 1, max: 5 })).map(([a, b]) => ({
    latex: `\\operatorname{rank}\\begin{pmatrix}${a} & ${b}\\end{pmatrix}`,
    inner: [a, b],
    value: undefined as number | undefined,
  })),
);

const wrappers = fc.constantFrom(
  (x: string) => `The final answer is $\\boxed{${x}}$`,
  (x: string) => `\\boxed{${x}}`,
  (x: string) => `So the answer is $${x}$.`,
  (x: string) => `Answer: \\(${x}\\)`,
);

describe('an unread construct never yields a number from inside it', () => {
  it('the number a prediction scores as is the construct\'s value, never a number written inside it', () => {
    fc.assert(
      fc.property(construct, wrappers, (c, wrap) => {
        for (const n of c.inner) {
          const expected = c.value !== undefined && c.value === n ? 1 : 0;
          expect(score(wrap(c.latex), String(n))).toBe(expected);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a gold that is such a construct never matches a number inside it either', () => {
    fc.assert(
      fc.property(construct, (c) => {
        for (const n of c.inner) {
          const expected = c.value !== undefined && c.value === n ? 1 : 0;
          expect(score(`The final answer is $${n}$`, c.latex)).toBe(expected);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('two constructs that differ only inside never match', () => {
    fc.assert(
      fc.property(small, small, small, small, fc.integer({ min: 1, max: 9 }), (a, b, c, d, bump) => {
        const m = (x: number): string => `\\begin{pmatrix}${a} & ${b} \\\\ ${c} & ${x}\\end{pmatrix}`;
        expect(score(`$\\boxed{${m(d + bump)}}$`, m(d))).toBe(0);
        expect(score(`$\\boxed{${m(d)}}$`, m(d))).toBe(1);
        const s = (hi: number): string => `\\sum_{k=${a}}^{${hi}} k^2`;
        const hi = Math.abs(b) + Math.abs(a);
        expect(score(`$\\boxed{${s(hi + bump)}}$`, s(hi))).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('scoring stays total and bounded on random text around the constructs', () => {
    const pieces = fc.constantFrom('\\sum_{', '\\prod_{', '\\int_', '\\lim_{', 'k=0}', '^{n}', 'x \\to 0}', '\\begin{pmatrix}', '\\end{pmatrix}', '\\begin{vmatrix}', '\\end{vmatrix}', '&', '\\\\', '\\boxed{', '}', '$', 'dx', '1', '-2', 'k', '\\frac{1}{k}', '\\infty', '^T', '\\det');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), fc.array(pieces, { maxLength: 12 }), (resp, gold) => {
        const start = performance.now();
        try {
          const r = mathVerifyScore(resp.join(' '), gold.join(''), { details: false, deadline: performance.now() + 1000 }).score;
          expect([0, 1]).toContain(r);
        } catch (e) {
          expect(e).toBeInstanceOf(ScoreFailure);
        }
        expect(performance.now() - start).toBeLessThan(1500);
      }),
      { numRuns: 300 },
    );
  });
});

describe('hostile big operators finish quickly', () => {
  const cases: [string, string][] = [
    ['\\boxed{\\sum_{k=1}^{10^{9}} k}', '1'],
    ['\\boxed{\\sum_{i=1}^{1000} \\sum_{j=1}^{1000} \\sum_{k=1}^{1000} ijk}', '1'],
    ['\\boxed{\\prod_{k=1}^{100000} k}', '1'],
    ['\\boxed{\\int_0^{1} \\sin(\\frac{1}{x}) dx}', '0.5'],
    ['\\boxed{\\sum_{k=1}^{\\infty} k}', '1'],
    ['\\boxed{\\lim_{x \\to 0} \\frac{\\sin(\\sin(\\sin(\\sin(x))))}{x^{9}}}', '1'],
    ['\\boxed{' + '\\begin{pmatrix}'.repeat(30) + '1' + '\\end{pmatrix}'.repeat(30) + '}', '1'],
    ['\\boxed{\\begin{pmatrix}' + Array.from({ length: 12 }, () => Array(12).fill('1').join('&')).join('\\\\') + '\\end{pmatrix}}', '1'],
  ];
  it.each(cases)('%# returns a score or a typed error in well under a second', (response, gold) => {
    const { result, ms } = boundedScore(response, gold);
    expect(ms).toBeLessThan(1000);
    expect([0, 1, 'timeout']).toContain(result);
  });
});
