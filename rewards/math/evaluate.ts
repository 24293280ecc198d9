// Numeric evaluation of expression trees in complex double precision: the stand-in for
// SymPy's doit()/evalf(). Bounded: huge powers and factorials overflow to non-finite values
// (treated as "cannot decide", never as equal), and nothing here recurses beyond the parser's
// depth bound.

import { type Node, size, symKey } from './nodes.js';
import { derivative, evalLimit, indefiniteIntegral, sumInClosedForm } from './calculus.js';

export interface Complex {
  re: number;
  im: number;
}

const NAN: Complex = { re: NaN, im: NaN };

/** Values for free symbols; missing symbols make the result NaN. */
export type Env = ReadonlyMap<string, number>;

export function evalNode(n: Node, env?: Env): Complex {
  switch (n.k) {
    case 'int':
      return { re: Number(n.v), im: 0 };
    case 'rat':
      return { re: ratToNumber(n.p, n.q), im: 0 };
    case 'float':
      return { re: n.v, im: 0 };
    case 'sym': {
      const v = env?.get(symKey(n));
      return v === undefined ? NAN : { re: v, im: 0 };
    }
    case 'sum':
    case 'prod':
      return evalSumOrProduct(n, env);
    case 'integral':
      return evalIntegral(n, env);
    case 'limit':
      return evalLimit(n, env);
    case 'deriv':
      return evalDerivative(n, env);
    case 'const':
      switch (n.name) {
        case 'pi':
          return { re: Math.PI, im: 0 };
        case 'E':
          return { re: Math.E, im: 0 };
        case 'I':
          return { re: 0, im: 1 };
        case 'EulerGamma':
          return { re: 0.5772156649015329, im: 0 };
        case 'oo':
          return { re: Infinity, im: 0 };
        case '-oo':
          return { re: -Infinity, im: 0 };
        default:
          return NAN;
      }
    case 'add': {
      let re = 0;
      let im = 0;
      for (const a of n.args) {
        const v = evalNode(a, env);
        re += v.re;
        im += v.im;
      }
      return { re, im };
    }
    case 'mul': {
      let acc: Complex = { re: 1, im: 0 };
      for (const a of n.args) acc = cmul(acc, evalNode(a, env));
      return acc;
    }
    case 'pow':
      return cpow(evalNode(n.base, env), evalNode(n.exp, env));
    case 'fn':
      return evalFn(n.name, n.args.map((a) => evalNode(a, env)));
    default:
      return NAN;
  }
}

function ratToNumber(p: bigint, q: bigint): number {
  const r = Number(p) / Number(q);
  if (Number.isFinite(r)) return r;
  // Both huge: scale down first.
  const shift = BigInt(Math.max(p.toString().length, q.toString().length) - 300);
  const s = 10n ** (shift > 0n ? shift : 0n);
  return Number(p / s) / Number(q / s);
}

function cmul(a: Complex, b: Complex): Complex {
  if (a.im === 0 && b.im === 0) return { re: a.re * b.re, im: 0 };
  return { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re };
}

function cdiv(a: Complex, b: Complex): Complex {
  if (a.im === 0 && b.im === 0) return { re: a.re / b.re, im: 0 };
  const d = b.re * b.re + b.im * b.im;
  return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d };
}

function cexp(a: Complex): Complex {
  const m = Math.exp(a.re);
  return a.im === 0 ? { re: m, im: 0 } : { re: m * Math.cos(a.im), im: m * Math.sin(a.im) };
}

function clog(a: Complex): Complex {
  return { re: Math.log(Math.hypot(a.re, a.im)), im: Math.atan2(a.im, a.re) };
}

function cpow(b: Complex, e: Complex): Complex {
  if (e.im === 0 && b.im === 0) {
    if (b.re >= 0 || Number.isInteger(e.re)) return { re: Math.pow(b.re, e.re), im: 0 };
    // Principal branch of a negative base, as SymPy (sqrt(-4) = 2*I).
  }
  if (b.re === 0 && b.im === 0) return e.re > 0 ? { re: 0, im: 0 } : NAN;
  if (e.im === 0 && Number.isInteger(e.re) && Math.abs(e.re) <= 64) {
    let acc: Complex = { re: 1, im: 0 };
    const k = Math.abs(e.re);
    for (let i = 0; i < k; i++) acc = cmul(acc, b);
    return e.re < 0 ? cdiv({ re: 1, im: 0 }, acc) : acc;
  }
  return cexp(cmul(e, clog(b)));
}

function real(f: (x: number) => number, args: Complex[]): Complex {
  const a = args[0];
  if (!a || a.im !== 0) return NAN;
  return { re: f(a.re), im: 0 };
}

function factorial(x: number): number {
  if (!Number.isInteger(x) || x < 0) return gamma(x + 1);
  if (x > 170) return Infinity;
  let r = 1;
  for (let i = 2; i <= x; i++) r *= i;
  return r;
}

// Lanczos approximation (g = 7), accurate to ~15 digits for real arguments.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61571250355814,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  x -= 1;
  let a = LANCZOS[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (x + i);
  return Math.sqrt(2 * Math.PI) * Math.pow(t, x + 0.5) * Math.exp(-t) * a;
}

function evalFn(name: string, args: Complex[]): Complex {
  switch (name) {
    case 'sin':
      return real(Math.sin, args);
    case 'cos':
      return real(Math.cos, args);
    case 'tan':
      return real(Math.tan, args);
    case 'cot':
      return real((x) => 1 / Math.tan(x), args);
    case 'sec':
      return real((x) => 1 / Math.cos(x), args);
    case 'csc':
      return real((x) => 1 / Math.sin(x), args);
    case 'asin':
      return real(Math.asin, args);
    case 'acos':
      return real(Math.acos, args);
    case 'atan':
      return real(Math.atan, args);
    case 'acot':
      return real((x) => Math.atan(1 / x), args);
    case 'asec':
      return real((x) => Math.acos(1 / x), args);
    case 'acsc':
      return real((x) => Math.asin(1 / x), args);
    case 'sinh':
      return real(Math.sinh, args);
    case 'cosh':
      return real(Math.cosh, args);
    case 'tanh':
      return real(Math.tanh, args);
    case 'asinh':
      return real(Math.asinh, args);
    case 'acosh':
      return real(Math.acosh, args);
    case 'atanh':
      return real(Math.atanh, args);
    case 'exp':
      return args[0] ? cexp(args[0]) : NAN;
    case 'log': {
      // log(x, base)
      const [x, b] = args;
      if (!x) return NAN;
      const lx = clog(x);
      return b ? cdiv(lx, clog(b)) : lx;
    }
    case 'Abs': {
      const a = args[0];
      return a ? { re: Math.hypot(a.re, a.im), im: 0 } : NAN;
    }
    case 'factorial':
      return real(factorial, args);
    case 'floor':
      return real(Math.floor, args);
    case 'ceiling':
      return real(Math.ceil, args);
    case 'gamma':
      return real(gamma, args);
    case 'Mod':
      if (args.length === 2 && args[0]!.im === 0 && args[1]!.im === 0) {
        const a = args[0]!.re;
        const m = args[1]!.re;
        return { re: a - m * Math.floor(a / m), im: 0 };
      }
      return NAN;
    case 'Max':
      return args.every((a) => a.im === 0) ? { re: Math.max(...args.map((a) => a.re)), im: 0 } : NAN;
    case 'Min':
      return args.every((a) => a.im === 0) ? { re: Math.min(...args.map((a) => a.re)), im: 0 } : NAN;
    case 'binomial': {
      if (args.length !== 2 || args[0]!.im !== 0 || args[1]!.im !== 0) return NAN;
      const n = args[0]!.re;
      const k = args[1]!.re;
      return { re: factorial(n) / (factorial(k) * factorial(n - k)), im: 0 };
    }
    default:
      return NAN;
  }
}

// Derivative(body, v).doit(): taken symbolically once per tree, then evaluated.
const DERIVATIVES = new WeakMap<Node, Node | null>();

function evalDerivative(n: Extract<Node, { k: 'deriv' }>, env?: Env): Complex {
  let d = DERIVATIVES.get(n);
  if (d === undefined) {
    d = derivative(n.body, n.v) ?? null;
    DERIVATIVES.set(n, d);
  }
  return d ? evalNode(d, env) : NAN;
}

// ---- big operators (doit()/evalf() of Sum, Product, Integral) ----

/** Summands and integrand values one comparison may evaluate in all (nested sums multiply). */
const BIG_OP_BUDGET = 50_000;
let bigOpBudget = BIG_OP_BUDGET;

/**
 * Exact (bigint) sums and products draw on a budget of their own: an exact attempt that gives up
 * half-way must not leave the floating-point evaluation that follows it nothing to work with
 * (a 100 x 100 double sum is too long to do exactly but well within the floating-point budget).
 */
let exactBudget = BIG_OP_BUDGET;

/** Called at the start of each comparison and parse: big operators draw on fresh budgets. */
export function resetEvalBudget(): void {
  bigOpBudget = BIG_OP_BUDGET;
  exactBudget = BIG_OP_BUDGET;
}

/** Takes `units` of work from the budget; false when it is spent (the value is then undecided). */
export function spend(units: number): boolean {
  bigOpBudget -= units;
  return bigOpBudget >= 0;
}

/** Whether nested evaluations have spent the budget (loops stop at once then). */
export function budgetSpent(): boolean {
  return bigOpBudget < 0;
}

/** spend() for exact evaluation. */
export function spendExact(units: number): boolean {
  exactBudget -= units;
  return exactBudget >= 0;
}

/** budgetSpent() for exact evaluation. */
export function exactBudgetSpent(): boolean {
  return exactBudget < 0;
}

const MAX_TERMS = 20_000;

/** Budget units one evaluation of `body` costs: 1 per 20 nodes, at least 1. */
export function termCost(body: Node): number {
  return 1 + Math.floor(size(body, 100_000) / 20);
}
const MAX_SERIES_TERMS = 3_000;

function realValue(n: Node, env?: Env): number | undefined {
  const v = evalNode(n, env);
  return v.im === 0 && !Number.isNaN(v.re) ? v.re : undefined;
}

type BigOp = Extract<Node, { k: 'sum' | 'prod' }>;

function evalSumOrProduct(n: BigOp, env?: Env): Complex {
  const lo = realValue(n.lo, env);
  const hi = realValue(n.hi, env);
  if (lo === undefined || hi === undefined) return NAN;
  const isSum = n.k === 'sum';
  if (Number.isInteger(lo) && Number.isInteger(hi)) {
    // Karr's convention, as SymPy: a sum from a to b < a is minus the sum from b+1 to a-1.
    const reversed = hi < lo;
    const from = reversed ? hi + 1 : lo;
    const to = reversed ? lo - 1 : hi;
    const count = to - from + 1;
    if (count > MAX_TERMS || !spend(Math.max(count, 0) * termCost(n.body))) return NAN;
    const local = new Map(env ?? []);
    const key = symKey(n.v);
    let acc: Complex = { re: isSum ? 0 : 1, im: 0 };
    for (let k = from; k <= to; k++) {
      local.set(key, k);
      const t = evalNode(n.body, local);
      if (bigOpBudget < 0) return NAN;
      acc = isSum ? { re: acc.re + t.re, im: acc.im + t.im } : cmul(acc, t);
    }
    if (!reversed) return acc;
    return isSum ? { re: -acc.re, im: -acc.im } : cdiv({ re: 1, im: 0 }, acc);
  }
  if (isSum && Number.isInteger(lo) && hi === Infinity) return geometricSeries(n, lo, env);
  // Bounds that are not integers at the sample point (a symbolic n): SymPy's closed form, which
  // exists for polynomial summands.
  if (isSum && Number.isFinite(lo) && Number.isFinite(hi)) return sumInClosedForm(n, lo, hi, env);
  return NAN;
}

/**
 * An infinite sum whose terms shrink at least geometrically: summed until they no longer matter.
 * Slower series (1/k^2) are left undecided rather than approximated.
 */
function geometricSeries(n: BigOp, lo: number, env?: Env): Complex {
  const local = new Map(env ?? []);
  const key = symKey(n.v);
  let re = 0;
  let im = 0;
  let prev = NaN;
  let shrinking = 0;
  const cost = termCost(n.body);
  for (let i = 0; i < MAX_SERIES_TERMS; i++) {
    if (!spend(cost)) return NAN;
    local.set(key, lo + i);
    const t = evalNode(n.body, local);
    if (!isFiniteComplex(t) || bigOpBudget < 0) return NAN;
    re += t.re;
    im += t.im;
    const size = Math.hypot(t.re, t.im);
    shrinking = size === 0 || (prev > 0 && size <= 0.95 * prev) ? shrinking + 1 : 0;
    prev = size;
    if (shrinking >= 10 && size <= 1e-17 * Math.max(Math.hypot(re, im), 1e-300)) return { re, im };
  }
  return NAN;
}

type IntegralNode = Extract<Node, { k: 'integral' }>;

function evalIntegral(n: IntegralNode, env?: Env): Complex {
  if (!n.lo || !n.hi) return indefiniteIntegral(n, env);
  const a = realValue(n.lo, env);
  const b = realValue(n.hi, env);
  if (a === undefined || b === undefined) return NAN;
  if (a === b) return { re: 0, im: 0 };
  if (b < a) {
    const r = integrate(n, b, a, env);
    return { re: -r.re, im: 0 };
  }
  return integrate(n, a, b, env);
}

// Gauss-Kronrod 7/15 nodes and weights on [-1, 1].
const XGK = [0.991455371120812639, 0.949107912342758525, 0.864864423359769073, 0.741531185599394440, 0.586087235467691130, 0.405845151377397167, 0.207784955007898468, 0];
const WGK = [0.022935322010529225, 0.063092092629978553, 0.104790010322250184, 0.140653259715525919, 0.169004726639267903, 0.190350578064785410, 0.204432940075298892, 0.209482141084727828];
const WG = [0.129484966168869693, 0.279705391489276668, 0.381830050505118945, 0.417959183673469388];

/** Adaptive Gauss-Kronrod quadrature; NaN when the integrand is not finite and real, or it does not converge. */
function integrate(n: IntegralNode, a: number, b: number, env?: Env): Complex {
  const local = new Map(env ?? []);
  const key = symKey(n.v);
  let bad = false;
  const f = (x: number): number => {
    local.set(key, x);
    const v = evalNode(n.body, local);
    if (v.im !== 0 || !Number.isFinite(v.re)) bad = true;
    return v.re;
  };
  // Infinite ranges map onto finite ones: x = a + t/(1-t), x = b - t/(1-t), x = t/(1-t^2).
  let g: (t: number) => number;
  let lo: number;
  let hi: number;
  if (Number.isFinite(a) && Number.isFinite(b)) [g, lo, hi] = [f, a, b];
  else if (Number.isFinite(a)) [g, lo, hi] = [(t) => f(a + t / (1 - t)) / ((1 - t) * (1 - t)), 0, 1];
  else if (Number.isFinite(b)) [g, lo, hi] = [(t) => f(b - t / (1 - t)) / ((1 - t) * (1 - t)), 0, 1];
  else [g, lo, hi] = [(t) => (f(t / (1 - t * t)) * (1 + t * t)) / ((1 - t * t) * (1 - t * t)), -1, 1];
  const segment = (x0: number, x1: number): [number, number] => {
    const c = (x0 + x1) / 2;
    const h = (x1 - x0) / 2;
    let kron = WGK[7]! * g(c);
    let gauss = WG[3]! * g(c);
    for (let i = 0; i < 7; i++) {
      const fx = g(c - h * XGK[i]!) + g(c + h * XGK[i]!);
      kron += WGK[i]! * fx;
      if (i % 2 === 1) gauss += WG[(i - 1) / 2]! * fx;
    }
    return [kron * h, Math.abs((kron - gauss) * h)];
  };
  const cost = 15 * termCost(n.body);
  const stack: [number, number, number][] = [[lo, hi, 0]];
  let total = 0;
  let whole: number | undefined;
  while (stack.length > 0) {
    const [x0, x1, depth] = stack.pop()!;
    if (!spend(cost)) return NAN;
    const [value, err] = segment(x0, x1);
    if (bad || bigOpBudget < 0) return NAN;
    if (whole === undefined) whole = Math.abs(value);
    const tolerance = 1e-14 * Math.max(whole, 1e-300) * ((x1 - x0) / (hi - lo));
    if (err <= tolerance || err <= 1e-300) total += value;
    else if (depth >= 40) return NAN;
    else {
      const mid = (x0 + x1) / 2;
      stack.push([x0, mid, depth + 1], [mid, x1, depth + 1]);
    }
  }
  return { re: total, im: 0 };
}

export function isFiniteComplex(c: Complex): boolean {
  return Number.isFinite(c.re) && Number.isFinite(c.im);
}
