// What SymPy's assumption system decides about a relation when unwrap_fcs rebuilds it
// (`expr.func(*new_args)` evaluates): `x^2 + 1 > 0` becomes true, `x^2 < -1` false, for the
// real symbols latex2sympy makes. as_set() of true is UniversalSet, which equals no set a
// prediction can write (not even \mathbb{R}); of false, EmptySet.
//
// SymPy decides `lhs > rhs` from the sign of lhs - rhs, read off its terms and factors (positive
// squares, exponentials, absolute values...) without factoring; numbers in a sum are added first.
// This follows those rules and answers undefined wherever SymPy's answer is not certain from them.

import { type Node, type RelOp } from './nodes.js';

type Sign = 'pos' | 'neg' | 'zero' | 'nonneg' | 'nonpos' | 'real' | 'unknown';

function numberSign(v: number): Sign {
  return v > 0 ? 'pos' : v < 0 ? 'neg' : 'zero';
}

function negate(s: Sign): Sign {
  switch (s) {
    case 'pos':
      return 'neg';
    case 'neg':
      return 'pos';
    case 'nonneg':
      return 'nonpos';
    case 'nonpos':
      return 'nonneg';
    default:
      return s;
  }
}

/** The value of a plain number term (n or -1*n), which SymPy's Add sums before reading signs. */
function numberTerm(n: Node): number | undefined {
  if (n.k === 'int') return Number(n.v);
  if (n.k === 'rat') return Number(n.p) / Number(n.q);
  if (n.k === 'float') return n.v;
  if (n.k === 'mul' && n.args.length === 2 && n.args[0]!.k === 'int' && n.args[0]!.v === -1n) {
    const v = numberTerm(n.args[1]!);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

/** Add._eval_is_extended_positive / negative over the terms' signs. */
function addSign(terms: Node[]): Sign {
  let constant = 0;
  let sawConstant = false;
  let pos = false;
  let neg = false;
  let nonneg = false;
  let nonpos = false;
  const signs: Sign[] = [];
  for (const t of terms) {
    const c = numberTerm(t);
    if (c !== undefined) {
      constant += c;
      sawConstant = true;
    } else signs.push(sign(t));
  }
  if (signs.includes('unknown')) return 'unknown';
  if (signs.includes('real')) return 'real';
  for (const s of signs) {
    if (s === 'pos') pos = true;
    else if (s === 'neg') neg = true;
    else if (s === 'nonneg') nonneg = true;
    else if (s === 'nonpos') nonpos = true;
  }
  if (sawConstant && constant !== 0) {
    if (constant > 0) pos = true;
    else neg = true;
  }
  if (!neg && !nonpos) return pos ? 'pos' : nonneg ? 'nonneg' : 'zero';
  if (!pos && !nonneg) return neg ? 'neg' : 'nonpos';
  return 'real';
}

/** Mul._eval_pos_neg: every factor's sign must be known. */
function mulSign(factors: Node[]): Sign {
  let negative = false;
  let weak = false;
  const signs = factors.map(sign);
  if (signs.includes('unknown')) return 'unknown';
  if (signs.includes('real')) return 'real';
  for (const s of signs) {
    if (s === 'zero') return 'zero';
    if (s === 'neg' || s === 'nonpos') negative = !negative;
    if (s === 'nonneg' || s === 'nonpos') weak = true;
  }
  if (weak) return negative ? 'nonpos' : 'nonneg';
  return negative ? 'neg' : 'pos';
}

function powSign(base: Node, exp: Node): Sign {
  const b = sign(base);
  if (b === 'unknown') return 'unknown';
  const e = numberTerm(exp);
  if (e !== undefined && Number.isInteger(e)) {
    if (e === 0) return 'pos';
    if (e < 0 && b !== 'pos' && b !== 'neg') return 'unknown'; // may divide by zero
    if (e % 2 === 0) return b === 'pos' || b === 'neg' ? 'pos' : 'nonneg';
    return b;
  }
  if (b === 'pos') return sign(exp) === 'unknown' ? 'unknown' : 'pos';
  if (e !== undefined && e > 0 && (b === 'nonneg' || b === 'zero')) return 'nonneg';
  return 'unknown';
}

function sign(n: Node): Sign {
  switch (n.k) {
    case 'int':
      return numberSign(Number(n.v));
    case 'rat':
      return numberSign(Number(n.p));
    case 'float':
      return numberSign(n.v);
    case 'const':
      return n.name === 'pi' || n.name === 'E' || n.name === 'EulerGamma' ? 'pos' : 'unknown';
    case 'sym':
      return n.cx ? 'unknown' : 'real';
    case 'add':
      return addSign(n.args);
    case 'mul':
      return mulSign(n.args);
    case 'pow':
      return powSign(n.base, n.exp);
    case 'fn': {
      if (n.args.length !== 1) return 'unknown';
      const a = sign(n.args[0]!);
      if (n.name === 'Abs') return a === 'pos' || a === 'neg' ? 'pos' : 'nonneg';
      if (n.name === 'exp') return a === 'unknown' ? 'unknown' : 'pos';
      return 'unknown';
    }
    default:
      return 'unknown';
  }
}

/** lhs - rhs as the terms SymPy's Add would hold (before like terms are combined). */
function differenceTerms(lhs: Node, rhs: Node): Node[] {
  const minusOne: Node = { k: 'int', v: -1n };
  const left = lhs.k === 'add' ? lhs.args : [lhs];
  const right = (rhs.k === 'add' ? rhs.args : [rhs]).map((t): Node => ({ k: 'mul', args: [minusOne, t] }));
  return [...left, ...right];
}

/** The relation's truth value as SymPy evaluates it on construction, or undefined when it stays a relation. */
export function relationTruth(lhs: Node, op: RelOp, rhs: Node): boolean | undefined {
  if (sign(lhs) === 'unknown' || sign(rhs) === 'unknown') return undefined; // not known to be real
  const d = addSign(differenceTerms(lhs, rhs));
  const pos = d === 'pos';
  const neg = d === 'neg';
  const zero = d === 'zero';
  const nonneg = pos || zero || d === 'nonneg';
  const nonpos = neg || zero || d === 'nonpos';
  switch (op) {
    case 'gt':
      return pos ? true : nonpos ? false : undefined;
    case 'ge':
      return nonneg ? true : neg ? false : undefined;
    case 'lt':
      return neg ? true : nonneg ? false : undefined;
    case 'le':
      return nonpos ? true : pos ? false : undefined;
    case 'eq':
      return zero ? true : pos || neg ? false : undefined;
    case 'ne':
      return zero ? false : pos || neg ? true : undefined;
  }
}
