// The parts of SymPy's doit() on Sum, Integral and Limit that have a closed form we can reproduce
// exactly enough to compare values: polynomial sums with symbolic bounds (Faulhaber), antiderivatives
// of polynomials (SymPy's, with no constant), and limits by substitution or L'Hopital's rule.
// Anything else is left undecided (NaN), which compares as unequal.

import { type Node, type SymNode, MINUS_ONE, ONE, ZERO, size, symKey } from './nodes.js';
import { type Complex, type Env, evalNode, isFiniteComplex } from './evaluate.js';

const NAN: Complex = { re: NaN, im: NaN };
const MAX_DEGREE = 12;
/** Expressions larger than this are not searched for polynomial structure (the search is quadratic). */
const MAX_POLY_NODES = 400;

function dependsOn(n: Node, key: string): boolean {
  switch (n.k) {
    case 'sym':
      return symKey(n) === key;
    case 'add':
    case 'mul':
    case 'fn':
      return n.args.some((a) => dependsOn(a, key));
    case 'pow':
      return dependsOn(n.base, key) || dependsOn(n.exp, key);
    case 'int':
    case 'rat':
    case 'float':
    case 'const':
      return false;
    default:
      return true; // anything else is not treated as a polynomial coefficient
  }
}

const cadd = (a: Complex, b: Complex): Complex => ({ re: a.re + b.re, im: a.im + b.im });
const cmul = (a: Complex, b: Complex): Complex => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
const cscale = (a: Complex, s: number): Complex => ({ re: a.re * s, im: a.im * s });

/** Coefficients (lowest degree first) of `n` as a polynomial in the variable `key`, numeric in `env`. */
export function polyCoeffs(n: Node, key: string, env?: Env): Complex[] | undefined {
  return size(n, MAX_POLY_NODES + 1) > MAX_POLY_NODES ? undefined : coeffs(n, key, env);
}

function coeffs(n: Node, key: string, env?: Env): Complex[] | undefined {
  if (!dependsOn(n, key)) {
    const v = evalNode(n, env);
    return isFiniteComplex(v) ? [v] : undefined;
  }
  switch (n.k) {
    case 'sym':
      return [{ re: 0, im: 0 }, { re: 1, im: 0 }];
    case 'add': {
      let acc: Complex[] = [];
      for (const a of n.args) {
        const c = coeffs(a, key, env);
        if (!c) return undefined;
        const out: Complex[] = [];
        for (let i = 0; i < Math.max(acc.length, c.length); i++) out.push(cadd(acc[i] ?? { re: 0, im: 0 }, c[i] ?? { re: 0, im: 0 }));
        acc = out;
      }
      return acc;
    }
    case 'mul': {
      let acc: Complex[] = [{ re: 1, im: 0 }];
      for (const a of n.args) {
        const c = coeffs(a, key, env);
        if (!c) return undefined;
        acc = polyMul(acc, c);
        if (!acc.length) return undefined;
      }
      return acc;
    }
    case 'pow': {
      if (dependsOn(n.exp, key)) return undefined;
      const e = evalNode(n.exp, env);
      if (e.im !== 0 || !Number.isInteger(e.re) || e.re < 0 || e.re > MAX_DEGREE) return undefined;
      const base = coeffs(n.base, key, env);
      if (!base) return undefined;
      let acc: Complex[] = [{ re: 1, im: 0 }];
      for (let i = 0; i < e.re; i++) {
        acc = polyMul(acc, base);
        if (!acc.length) return undefined;
      }
      return acc;
    }
    default:
      return undefined;
  }
}

function polyMul(a: Complex[], b: Complex[]): Complex[] {
  if (a.length + b.length - 2 > MAX_DEGREE) return [];
  const out: Complex[] = Array.from({ length: a.length + b.length - 1 }, () => ({ re: 0, im: 0 }));
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] = cadd(out[i + j]!, cmul(a[i]!, b[j]!));
  return out;
}

function polyEval(c: Complex[], x: number): Complex {
  let acc: Complex = { re: 0, im: 0 };
  for (let i = c.length - 1; i >= 0; i--) acc = cadd(cscale(acc, x), c[i]!);
  return acc;
}

// Bernoulli numbers B_0..B_12 (with B_1 = +1/2, the convention of Faulhaber's formula used here).
const BERNOULLI = [1, 1 / 2, 1 / 6, 0, -1 / 30, 0, 1 / 42, 0, -1 / 30, 0, 5 / 66, 0, -691 / 2730];

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** S_p(x) = 1^p + ... + x^p as the polynomial that extends it to real x. */
function powerSum(p: number, x: number): number {
  let s = 0;
  for (let i = 0; i <= p; i++) s += binomial(p + 1, i) * BERNOULLI[i]! * Math.pow(x, p + 1 - i);
  return s / (p + 1);
}

/** Sum of a polynomial summand from lo to hi by Faulhaber's formula: SymPy's closed form, at real bounds. */
export function sumInClosedForm(n: Extract<Node, { k: 'sum' | 'prod' }>, lo: number, hi: number, env?: Env): Complex {
  const c = polyCoeffs(n.body, symKey(n.v), env);
  if (!c) return NAN;
  let acc: Complex = { re: 0, im: 0 };
  c.forEach((coef, p) => {
    acc = cadd(acc, cscale(coef, powerSum(p, hi) - powerSum(p, lo - 1)));
  });
  return acc;
}

/** Integral(p(x), x) for a polynomial p: SymPy's antiderivative has no constant term. */
export function indefiniteIntegral(n: Extract<Node, { k: 'integral' }>, env?: Env): Complex {
  const key = symKey(n.v);
  const x = env?.get(key);
  const c = polyCoeffs(n.body, key, env);
  if (!c || x === undefined) return NAN;
  return polyEval([{ re: 0, im: 0 }, ...c.map((coef, p) => cscale(coef, 1 / (p + 1)))], x);
}

// ---- limits ----

/** Functions that are not continuous everywhere their value is finite. */
const DISCONTINUOUS = new Set(['floor', 'ceiling', 'Mod', 'sign', 'frac']);

function hasDiscontinuity(n: Node, key: string): boolean {
  if (n.k === 'fn' && DISCONTINUOUS.has(n.name) && dependsOn(n, key)) return true;
  if (n.k === 'fn' && n.name.startsWith('F:')) return true; // an undefined function
  if (n.k === 'add' || n.k === 'mul' || n.k === 'fn') return n.args.some((a) => hasDiscontinuity(a, key));
  if (n.k === 'pow') return hasDiscontinuity(n.base, key) || hasDiscontinuity(n.exp, key);
  return n.k !== 'sym' && n.k !== 'int' && n.k !== 'rat' && n.k !== 'float' && n.k !== 'const' && dependsOn(n, key);
}

/** The expression as numerator/denominator: factors raised to a negative constant go below. */
function asQuotient(n: Node): [Node, Node] {
  const factors = n.k === 'mul' ? n.args : [n];
  const num: Node[] = [];
  const den: Node[] = [];
  for (const f of factors) {
    if (f.k === 'pow' && (f.exp.k === 'int' || f.exp.k === 'rat') && (f.exp.k === 'int' ? f.exp.v < 0n : f.exp.p < 0n)) {
      const e: Node = f.exp.k === 'int' ? { k: 'int', v: -f.exp.v } : { k: 'rat', p: -f.exp.p, q: f.exp.q };
      den.push(e.k === 'int' && e.v === 1n ? f.base : { k: 'pow', base: f.base, exp: e });
    } else num.push(f);
  }
  const wrap = (xs: Node[]): Node => (xs.length === 0 ? ONE : xs.length === 1 ? xs[0]! : { k: 'mul', args: xs });
  return [wrap(num), wrap(den)];
}

const isZero = (v: Complex): boolean => isFiniteComplex(v) && Math.hypot(v.re, v.im) <= 1e-13;

/**
 * Limit(body, v, to, dir).doit() where it can be reproduced: a finite value at a point where the
 * expression is continuous; 0/0 forms by L'Hopital's rule (derivatives taken symbolically); rational
 * functions at infinity. Everything else (one-sided infinities included) is undecided.
 */
export function evalLimit(n: Extract<Node, { k: 'limit' }>, env?: Env): Complex {
  const key = symKey(n.v);
  if (size(n.body, MAX_POLY_NODES + 1) > MAX_POLY_NODES) return NAN;
  if (hasDiscontinuity(n.body, key)) return NAN;
  const to = evalNode(n.to, env);
  if (to.im !== 0 || Number.isNaN(to.re)) return NAN;
  const local = new Map(env ?? []);
  if (!Number.isFinite(to.re)) return limitAtInfinity(n.body, key, to.re > 0, local);
  local.set(key, to.re);
  const direct = evalNode(n.body, local);
  if (isFiniteComplex(direct)) return direct;
  let [num, den] = asQuotient(n.body);
  for (let step = 0; step < 4; step++) {
    const a = evalNode(num, local);
    const b = evalNode(den, local);
    if (!isZero(a) || !isZero(b)) {
      if (isFiniteComplex(a) && isFiniteComplex(b) && !isZero(b)) {
        const q = { re: a.re, im: a.im };
        const d = b.re * b.re + b.im * b.im;
        return { re: (q.re * b.re + q.im * b.im) / d, im: (q.im * b.re - q.re * b.im) / d };
      }
      return NAN;
    }
    const dn = derivative(num, n.v);
    const dd = derivative(den, n.v);
    if (!dn || !dd) return NAN;
    [num, den] = [dn, dd];
  }
  return NAN;
}

function limitAtInfinity(body: Node, key: string, positive: boolean, env: Map<string, number>): Complex {
  const [num, den] = asQuotient(body);
  const p = polyCoeffs(num, key, env);
  const q = polyCoeffs(den, key, env);
  if (!p || !q) return NAN;
  const degree = (c: Complex[]): number => {
    let d = c.length - 1;
    while (d >= 0 && c[d]!.re === 0 && c[d]!.im === 0) d--;
    return d;
  };
  const dp = degree(p);
  const dq = degree(q);
  if (dq < 0) return NAN;
  if (dp < 0 || dp < dq) return { re: 0, im: 0 };
  if (dp > dq) return NAN; // an infinity, whose sign and kind SymPy decides
  const a = p[dp]!;
  const b = q[dq]!;
  if (a.im !== 0 || b.im !== 0) return NAN;
  void positive;
  return { re: a.re / b.re, im: 0 };
}

// ---- derivatives ----

const MAX_DERIVATIVE_SIZE = 2000;

function mul(...args: Node[]): Node {
  const kept: Node[] = [];
  for (const a of args) {
    if (a.k === 'int' && a.v === 0n) return ZERO;
    if (!(a.k === 'int' && a.v === 1n)) kept.push(a);
  }
  return kept.length === 0 ? ONE : kept.length === 1 ? kept[0]! : { k: 'mul', args: kept };
}

function add(...args: Node[]): Node {
  const kept = args.filter((a) => !(a.k === 'int' && a.v === 0n));
  return kept.length === 0 ? ZERO : kept.length === 1 ? kept[0]! : { k: 'add', args: kept };
}

const fn = (name: string, ...args: Node[]): Node => ({ k: 'fn', name, args });
const pw = (base: Node, exp: Node): Node => ({ k: 'pow', base, exp });
const HALF_NEG: Node = { k: 'rat', p: -1n, q: 2n };

/** d/dv of the tree, or undefined for what it cannot differentiate (or when it grows too big). */
export function derivative(n: Node, v: SymNode): Node | undefined {
  let budget = MAX_DERIVATIVE_SIZE;
  const key = symKey(v);
  const d = (e: Node): Node | undefined => {
    if (--budget < 0) return undefined;
    if (!dependsOn(e, key)) return ZERO;
    switch (e.k) {
      case 'sym':
        return ONE;
      case 'add': {
        const parts: Node[] = [];
        for (const a of e.args) {
          const da = d(a);
          if (!da) return undefined;
          parts.push(da);
        }
        return add(...parts);
      }
      case 'mul': {
        const terms: Node[] = [];
        for (let i = 0; i < e.args.length; i++) {
          const di = d(e.args[i]!);
          if (!di) return undefined;
          terms.push(mul(...e.args.slice(0, i), di, ...e.args.slice(i + 1)));
        }
        return add(...terms);
      }
      case 'pow': {
        const db = d(e.base);
        if (!db) return undefined;
        if (!dependsOn(e.exp, key)) return mul(e.exp, pw(e.base, add(e.exp, MINUS_ONE)), db);
        const de = d(e.exp);
        if (!de) return undefined;
        // (b^e)' = b^e (e' log b + e b'/b)
        return mul(e, add(mul(de, fn('log', e.base, { k: 'const', name: 'E' })), mul(e.exp, db, pw(e.base, MINUS_ONE))));
      }
      case 'fn': {
        if (e.args.length !== 1 && !(e.name === 'log' && e.args.length === 2 && !dependsOn(e.args[1]!, key))) return undefined;
        const u = e.args[0]!;
        const du = d(u);
        if (!du) return undefined;
        const outer = ((): Node | undefined => {
          switch (e.name) {
            case 'sin':
              return fn('cos', u);
            case 'cos':
              return mul(MINUS_ONE, fn('sin', u));
            case 'tan':
              return add(ONE, pw(fn('tan', u), { k: 'int', v: 2n }));
            case 'exp':
              return fn('exp', u);
            case 'log':
              // log(u, base) = ln u / ln base
              return pw(mul(u, fn('log', e.args[1] ?? { k: 'const', name: 'E' }, { k: 'const', name: 'E' })), MINUS_ONE);
            case 'sinh':
              return fn('cosh', u);
            case 'cosh':
              return fn('sinh', u);
            case 'asin':
              return pw(add(ONE, mul(MINUS_ONE, pw(u, { k: 'int', v: 2n }))), HALF_NEG);
            case 'acos':
              return mul(MINUS_ONE, pw(add(ONE, mul(MINUS_ONE, pw(u, { k: 'int', v: 2n }))), HALF_NEG));
            case 'atan':
              return pw(add(ONE, pw(u, { k: 'int', v: 2n })), MINUS_ONE);
            default:
              return undefined;
          }
        })();
        return outer && mul(outer, du);
      }
      default:
        return undefined;
    }
  };
  return d(n);
}
