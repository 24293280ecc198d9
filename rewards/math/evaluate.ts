// Numeric evaluation of expression trees in complex double precision: the stand-in for
// SymPy's doit()/evalf(). Bounded: huge powers and factorials overflow to non-finite values
// (treated as "cannot decide", never as equal), and nothing here recurses beyond the parser's
// depth bound.

import type { Node } from './nodes.js';

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
      const v = env?.get(n.name);
      return v === undefined ? NAN : { re: v, im: 0 };
    }
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

export function isFiniteComplex(c: Complex): boolean {
  return Number.isFinite(c.re) && Number.isFinite(c.im);
}
