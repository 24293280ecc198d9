// Port of Math-Verify 0.8.0 grader.verify / sympy_expr_eq (float_rounding=6, strict=True,
// allow_set_relation_comp=False) over our expression trees. SymPy's doit()/evalf()/simplify()
// are replaced by exact rational evaluation where possible and by numeric evaluation (at
// several points when free symbols remain) otherwise.

import { type ScoreContext, checkDeadline } from '../types.js';
import { type Node, type RelOp, MINUS_ONE, PCT, freeSymbols, someNode, hasFloat, hasMatrix, isMatrixKind, isNumber, isSympyNumber, same, show, size } from './nodes.js';
import { evalNode, isFiniteComplex, resetEvalBudget, type Complex } from './evaluate.js';
import { matrixDoit } from './matrix.js';
import { relationAsSet } from './solveset.js';
import { exactValue, ratEqual } from './exact.js';
import { isExprOfOnlySymbols } from './latexParser.js';
import { sortForSet } from './setOrder.js';

/** A comparison the reference aborts with an exception (the pair then counts as unequal). */
class CompareAbort extends Error {}

const MAX_NODES = 20000;

export type Answer = Node | string;

/** Math-Verify verify(gold_list, target_list): any pair equal. */
export function verifyLists(gold: Answer[], target: Answer[], ctx: ScoreContext): boolean {
  for (const g of gold) {
    for (const t of target) {
      checkDeadline(ctx);
      if (compareSingle(g, t, ctx)) return true;
    }
  }
  return false;
}

function compareSingle(g: Answer, t: Answer, ctx: ScoreContext): boolean {
  if (typeof g === 'string' && typeof t === 'string') {
    const gs = pyStripSimple(g);
    const ts = pyStripSimple(t);
    return gs.length > 0 && ts.length > 0 && gs === ts;
  }
  if (typeof g === 'string' || typeof t === 'string') return false;
  if (size(g, MAX_NODES + 1) > MAX_NODES || size(t, MAX_NODES + 1) > MAX_NODES) return false;
  resetEvalBudget();
  try {
    return exprEq(g, t, ctx);
  } catch (e) {
    if (e instanceof CompareAbort || e instanceof RangeError) return false;
    throw e;
  }
}

import { pyStrip } from '../text.js';
const pyStripSimple = pyStrip;

// ---- relation helpers ----

function isRelation(n: Node): boolean {
  if (n.k === 'rel') return true;
  return n.k === 'and' && n.args.length > 0 && n.args.every((a) => a.k === 'rel');
}
function isEquation(n: Node): boolean {
  if (n.k === 'rel' && n.op === 'eq') return true;
  return n.k === 'and' && n.args.length > 0 && n.args.every((a) => a.k === 'rel' && a.op === 'eq');
}
function isAssignment(n: Node): boolean {
  if (n.k === 'rel' && n.op === 'eq' && isExprOfOnlySymbols(n.lhs)) return true;
  if (n.k === 'and' && n.args.length > 0) {
    const first = n.args[0]!;
    return n.args.every((a) => a.k === 'rel' && a.op === 'eq') && first.k === 'rel' && isExprOfOnlySymbols(first.lhs);
  }
  return false;
}
function takeLast(n: Node): Extract<Node, { k: 'rel' }> {
  if (n.k === 'and') return takeLast(n.args[n.args.length - 1]!);
  return n as Extract<Node, { k: 'rel' }>;
}
function takeFirst(n: Node): Extract<Node, { k: 'rel' }> {
  if (n.k === 'and') return n.args[0] as Extract<Node, { k: 'rel' }>;
  return n as Extract<Node, { k: 'rel' }>;
}

function isSetNode(n: Node): boolean {
  return n.k === 'fset' || n.k === 'interval' || n.k === 'setop' || n.k === 'sset';
}

function sub(a: Node, b: Node): Node {
  return { k: 'add', args: [a, { k: 'mul', args: [MINUS_ONE, b] }] };
}

/** sympy_expr_eq(gold, pred, 6, 15, allow_set_relation_comp=False, strict=True). */
function exprEq(gold: Node, pred: Node, ctx: ScoreContext): boolean {
  checkDeadline(ctx);
  const goldAssign = isAssignment(gold);
  const predAssign = isAssignment(pred);
  const goldEquation = isEquation(gold);
  const predEquation = isEquation(pred);
  if (goldAssign) gold = { k: 'rel', op: 'eq', lhs: takeFirst(gold).lhs, rhs: takeLast(gold).rhs };
  if (predAssign) pred = { k: 'rel', op: 'eq', lhs: takeFirst(pred).lhs, rhs: takeLast(pred).rhs };
  if (predEquation && !goldEquation) pred = takeLast(pred).rhs;
  else if (goldAssign && !predEquation) gold = takeLast(gold).rhs;

  if (isRelation(gold) && isSetNode(pred)) {
    const asSet = relationAsSet(gold);
    // UniversalSet is neither equal to nor has an empty symmetric difference with any set.
    if (asSet === 'UniversalSet') return false;
    if (asSet) gold = asSet;
  }

  // sympy_str_eq: nan/zoo gold raises.
  if (gold.k === 'const' && (gold.name === 'nan' || gold.name === 'zoo')) throw new CompareAbort('nan gold');
  if (same(gold, pred)) return true;

  if (isRelation(gold) && isRelation(pred)) return compareRelational(gold, pred, ctx);
  if (isSetNode(gold) || gold.k === 'tuple' || isSetNode(pred) || pred.k === 'tuple') return compareSets(gold, pred, ctx);
  if (gold.k === 'sym' || pred.k === 'sym') return compareSymbols(gold, pred);
  if (isRelation(gold) || isRelation(pred) || gold.k === 'not' || pred.k === 'not') return false;
  return numericOrSymbolicEq(gold, pred);
}

const INVERSE: Partial<Record<RelOp, RelOp>> = { ge: 'le', le: 'ge', gt: 'lt', lt: 'gt', eq: 'eq' };

function compareRelational(gold: Node, pred: Node, ctx: ScoreContext): boolean {
  // lhs - rhs of a relation between matrices raises in SymPy: only identical trees matched (above).
  if (hasMatrix(gold) || hasMatrix(pred)) return false;
  if (gold.k === 'and' && pred.k === 'and') {
    if (gold.args.length !== pred.args.length) throw new CompareAbort('zip strict');
    return gold.args.every((g, i) => compareRelational(g, pred.args[i]!, ctx));
  }
  if (gold.k !== 'rel' || pred.k !== 'rel') return false;
  if (gold.op === pred.op && safeEq(sub(gold.lhs, gold.rhs), sub(pred.lhs, pred.rhs), ctx)) return true;
  const inv = INVERSE[gold.op];
  if (inv === undefined) throw new CompareAbort('no inverse relation');
  if (inv === pred.op && safeEq(sub(gold.lhs, gold.rhs), sub(pred.rhs, pred.lhs), ctx)) return true;
  return solveAndCompare(gold, pred);
}

function safeEq(a: Node, b: Node, ctx: ScoreContext): boolean {
  try {
    return exprEq(a, b, ctx);
  } catch (e) {
    if (e instanceof CompareAbort) return false;
    throw e;
  }
}

/**
 * Stand-in for sympy_solve_and_compare on the common case: equations (or inequalities of the
 * same direction) whose sides differ by a constant nonzero factor have the same solutions.
 */
function solveAndCompare(gold: Extract<Node, { k: 'rel' }>, pred: Extract<Node, { k: 'rel' }>): boolean {
  const f = sub(gold.lhs, gold.rhs);
  const h = sub(pred.lhs, pred.rhs);
  const syms = [...new Set([...freeSymbols(f), ...freeSymbols(h)])];
  const gs = freeSymbols(f);
  const ps = freeSymbols(h);
  if (syms.length === 0 || gs.size !== ps.size || [...gs].some((s) => !ps.has(s))) return false;
  let ratio: number | undefined;
  for (const env of samplePoints(syms)) {
    const a = evalNode(f, env);
    const b = evalNode(h, env);
    if (!isFiniteComplex(a) || !isFiniteComplex(b) || a.im !== 0 || b.im !== 0) return false;
    if (Math.abs(b.re) < 1e-300) return false;
    const r = a.re / b.re;
    if (ratio === undefined) ratio = r;
    else if (Math.abs(r - ratio) > 1e-9 * Math.max(1, Math.abs(ratio))) return false;
  }
  if (ratio === undefined || ratio === 0) return false;
  if (gold.op === 'eq' && pred.op === 'eq') return true;
  // Inequalities: same solution set when the factor keeps (or, for flipped ops, reverses) direction.
  if (gold.op === pred.op) return ratio > 0;
  return INVERSE[gold.op] === pred.op && ratio < 0;
}


// ---- sets ----

function setLength(n: Node): number {
  return n.k === 'fset' || n.k === 'tuple' ? n.args.length : -1;
}

function compareSets(gold: Node, pred: Node, ctx: ScoreContext): boolean {
  // FiniteSet(Matrix) raises (a mutable matrix is unhashable).
  if (hasMatrix(gold) || hasMatrix(pred)) return false;
  const a: Node = isSetNode(gold) || gold.k === 'tuple' ? gold : { k: 'fset', args: [gold], unsorted: [gold] };
  const b: Node = isSetNode(pred) || pred.k === 'tuple' ? pred : { k: 'fset', args: [pred], unsorted: [pred] };
  if (a.k === 'interval' && b.k === 'interval') return compareInterval(a, b, ctx);
  if (same(a, b)) return true;
  if (isSetNode(a) && isSetNode(b) && numericSetsEqual(a, b)) return true;
  if ((a.k === 'fset' || a.k === 'tuple') && (b.k === 'fset' || b.k === 'tuple')) return deepCompare(a, b, ctx);
  if (a.k === 'interval' && (b.k === 'fset' || b.k === 'tuple')) {
    if (a.lo && a.ro && setLength(b) === 2) return deepCompare({ k: 'tuple', args: [a.a, a.b] }, b, ctx);
  }
  if (b.k === 'interval' && (a.k === 'fset' || a.k === 'tuple')) {
    if (b.lo && b.ro && setLength(a) === 2) return deepCompare(a, { k: 'tuple', args: [b.a, b.b] }, ctx);
  }
  return false;
}

function compareInterval(a: Extract<Node, { k: 'interval' }>, b: Extract<Node, { k: 'interval' }>, ctx: ScoreContext): boolean {
  return a.lo === b.lo && a.ro === b.ro && safeEqStrict(a.a, b.a, ctx) && safeEqStrict(a.b, b.b, ctx);
}

// Exceptions inside nested comparisons propagate to the pair, as in the reference.
function safeEqStrict(a: Node, b: Node, ctx: ScoreContext): boolean {
  return exprEq(a, b, ctx);
}

function unwrapEq(n: Node): Node {
  return isAssignment(n) ? takeLast(n).rhs : n;
}

function ordered(items: Node[]): Node[] {
  const keyed = items.map((n, i) => ({ n, k: unwrapEq(n), i }));
  const sorted = sortForSet(keyed.map((x) => x.k));
  const used = new Set<number>();
  return sorted.map((k) => {
    const idx = keyed.findIndex((x, j) => !used.has(j) && x.k === k);
    used.add(idx);
    return keyed[idx]!.n;
  });
}

function deepCompare(gold: Node, pred: Node, ctx: ScoreContext): boolean {
  if (setLength(gold) !== setLength(pred)) return false;
  let g: Node[];
  let p: Node[];
  if (gold.k === 'fset') {
    g = ordered(gold.args);
    p = ordered((pred as { args: Node[] }).args);
  } else if (gold.k === 'tuple' && pred.k === 'fset') {
    p = pred.unsorted;
    g = gold.args;
  } else {
    g = (gold as { args: Node[] }).args;
    p = (pred as { args: Node[] }).args;
  }
  if (g.length !== p.length) throw new CompareAbort('zip strict');
  return g.every((x, i) => exprEq(x, p[i]!, ctx));
}

/** Symmetric difference is empty, for sets built from numeric points and intervals. */
function numericSetsEqual(a: Node, b: Node): boolean {
  const ca = canonicalSet(a);
  const cb = canonicalSet(b);
  if (!ca || !cb || ca.length !== cb.length) return false;
  return ca.every((x, i) => {
    const y = cb[i]!;
    return near(x.lo, y.lo) && near(x.hi, y.hi) && x.loOpen === y.loOpen && x.hiOpen === y.hiOpen;
  });
}

/** Same end point: equal, or within rounding (ends like sqrt(8)/2 and sqrt(2) come from different trees). */
function near(x: number, y: number): boolean {
  if (x === y) return true;
  return Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(x), Math.abs(y));
}

interface Piece {
  lo: number;
  hi: number;
  loOpen: boolean;
  hiOpen: boolean;
}

function num(n: Node): number | undefined {
  if (n.k === 'const' && n.name === 'oo') return Infinity;
  if (n.k === 'const' && n.name === '-oo') return -Infinity;
  const v = evalNode(n);
  return Number.isNaN(v.re) || v.im !== 0 ? undefined : v.re;
}

function canonicalSet(n: Node): Piece[] | undefined {
  let pieces: Piece[];
  if (n.k === 'sset') {
    if (n.name === 'EmptySet') return [];
    if (n.name === 'Reals') pieces = [{ lo: -Infinity, hi: Infinity, loOpen: true, hiOpen: true }];
    else return undefined;
  } else if (n.k === 'interval') {
    const lo = num(n.a);
    const hi = num(n.b);
    if (lo === undefined || hi === undefined) return undefined;
    pieces = [{ lo, hi, loOpen: n.lo, hiOpen: n.ro }];
  } else if (n.k === 'fset') {
    pieces = [];
    for (const x of n.args) {
      const v = num(x);
      if (v === undefined) return undefined;
      pieces.push({ lo: v, hi: v, loOpen: false, hiOpen: false });
    }
  } else if (n.k === 'setop' && n.op === 'union') {
    pieces = [];
    for (const x of n.args) {
      const c = canonicalSet(x);
      if (!c) return undefined;
      pieces.push(...c);
    }
  } else return undefined;
  // Merge overlapping/touching pieces.
  pieces.sort((x, y) => x.lo - y.lo || Number(x.loOpen) - Number(y.loOpen));
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    const touching = last !== undefined && near(p.lo, last.hi);
    if (last && ((p.lo < last.hi && !touching) || (touching && !(p.loOpen && last.hiOpen)))) {
      const sameEnd = near(p.hi, last.hi);
      if ((p.hi > last.hi && !sameEnd) || (sameEnd && !p.hiOpen && last.hiOpen)) {
        last.hi = p.hi;
        last.hiOpen = p.hiOpen;
      }
    } else out.push({ ...p });
  }
  return out;
}

// ---- symbols ----

function compareSymbols(gold: Node, pred: Node): boolean {
  const isE = (n: Node): boolean => n.k === 'const' && n.name === 'E';
  if ((gold.k === 'sym' && gold.name.toLowerCase() === 'e' && isE(pred)) || (pred.k === 'sym' && pred.name.toLowerCase() === 'e' && isE(gold))) {
    return true;
  }
  const concat = (m: Extract<Node, { k: 'mul' }>): string | undefined => {
    let s = '';
    for (const a of m.args) {
      if (isE(a)) s += 'e';
      else if (a.k === 'sym') s += a.name;
      else return undefined;
    }
    return s;
  };
  if (gold.k === 'sym' && pred.k === 'mul') {
    const c = concat(pred);
    if (c !== undefined) return gold.name.toLowerCase() === c.toLowerCase();
  }
  if (pred.k === 'sym' && gold.k === 'mul') {
    const c = concat(gold);
    if (c !== undefined) return pred.name.toLowerCase() === c.toLowerCase();
  }
  if (gold.k === 'sym' && pred.k === 'sym') {
    const g = gold.name.length > 1 ? gold.name.toLowerCase() : gold.name;
    const p = pred.name.length > 1 ? pred.name.toLowerCase() : pred.name;
    return g === p;
  }
  return show(gold) === show(pred);
}

// ---- numbers and expressions ----

function isAtomicOrPct(n: Node, floatOnly: boolean): boolean {
  const ok = (x: Node): boolean => (floatOnly ? x.k === 'float' : isSympyNumber(x));
  if (ok(n)) return true;
  return n.k === 'mul' && n.args.length === 2 && same(n.args[1]!, PCT) && n.args[1]!.k === 'rat' && ok(n.args[0]!);
}


/** sympy_numeric_eq on scalars: float rounding, doit() equality, or (a - b).evalf() == 0. */
function numericEq(a: Node, b: Node): boolean {
  if (isAtomicOrPct(a, false) || isAtomicOrPct(b, false)) {
    if (isAtomicOrPct(a, true) || isAtomicOrPct(b, true)) return roundedEqual(a, b);
    return valuesEqual(a, b, false);
  }
  return same(a, b) || valuesEqual(a, b, false);
}

/**
 * Matrices (and MatAdd/MatMul of them) after doit(): equal when every entry is numerically equal,
 * or when simplify(a - b) is the zero matrix. Anything else involving a matrix is unequal (SymPy
 * raises on a matrix minus a scalar).
 */
function matrixEq(a: Node, b: Node): boolean {
  if (!isMatrixKind(a) || !isMatrixKind(b)) return false;
  const ma = matrixDoit(a);
  const mb = matrixDoit(b);
  if (!ma || !mb || ma.rows !== mb.rows || ma.cols !== mb.cols) return false;
  if (ma.args.every((x, i) => numericEq(x, mb.args[i]!))) return true;
  return ma.args.every((x, i) => valuesEqual(x, mb.args[i]!, true));
}

function numericOrSymbolicEq(a: Node, b: Node): boolean {
  if (hasMatrix(a) || hasMatrix(b)) return matrixEq(a, b);
  if (isAtomicOrPct(a, false) || isAtomicOrPct(b, false)) {
    if (isAtomicOrPct(a, true) || isAtomicOrPct(b, true)) {
      if (roundedEqual(a, b)) return true;
    } else if (valuesEqual(a, b, false)) return true;
    // simplify(a - b).is_zero
    return symbolicZero(a, b);
  }
  return symbolicZero(a, b);
}

const isFloatZero = (n: Node): boolean => n.k === 'float' && n.v === 0;

const hasSumOrIntegral = (n: Node): boolean => someNode(n, (x) => x.k === 'sum' || x.k === 'integral');

/**
 * simplify(a - b).is_zero. SymPy drops a Float zero from the difference, and simplify() alone
 * leaves a Sum or an Integral unevaluated: against 0.0 those are never zero.
 */
function symbolicZero(a: Node, b: Node): boolean {
  if ((isFloatZero(a) && hasSumOrIntegral(b)) || (isFloatZero(b) && hasSumOrIntegral(a))) return false;
  return valuesEqual(a, b, true);
}

/** `a.round(6) == b.round(6)` after doit(): SymPy rounds the 15-digit decimal value half-to-even. */
function roundedEqual(a: Node, b: Node): boolean {
  if (freeSymbols(a).size || freeSymbols(b).size) return false;
  const ra = roundTo6(a);
  const rb = roundTo6(b);
  if (!ra || !rb) return false;
  // Integer.round() stays an Integer, which SymPy >= 1.13 never equates with a Float.
  return ra.isInt === rb.isInt && ra.value === rb.value;
}

function roundTo6(n: Node): { value: bigint; isInt: boolean } | undefined {
  const exact = exactValue(n);
  if (exact && !hasFloat(n)) {
    if (exact.q === 1n) return { value: exact.p * 1000000n, isInt: true };
    // Exact rationals: round half to even at 6 decimals.
    const scaled = exact.p * 1000000n;
    let q = scaled / exact.q;
    const r = scaled - q * exact.q;
    const twice = 2n * (r < 0n ? -r : r);
    if (twice > exact.q || (twice === exact.q && q % 2n !== 0n)) q += scaled < 0n ? -1n : 1n;
    return { value: q, isInt: false };
  }
  const v = evalNode(n);
  if (!isFiniteComplex(v) || v.im !== 0) return undefined;
  // An Integral, Limit or Derivative with a whole-number value: doit() gives SymPy an Integer.
  if (!hasFloat(n) && hasCalculus(n) && Math.abs(v.re - Math.round(v.re)) <= 1e-9 * Math.max(1, Math.abs(v.re))) {
    return { value: BigInt(Math.round(v.re)) * 1000000n, isInt: true };
  }
  return { value: roundDecimalHalfEven(v.re), isInt: false };
}

const hasCalculus = (n: Node): boolean =>
  someNode(n, (x) => x.k === 'integral' || x.k === 'limit' || x.k === 'deriv' || x.k === 'sum' || x.k === 'prod');

const SHORT_DECIMAL = /^(-?)(\d+)\.(\d{1,6})$/;

export function roundDecimalHalfEven(x: number): bigint {
  // An integer below 1e15 has at most 15 significant digits, all exact: nothing to round.
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return BigInt(x) * 1000000n;
  // A number whose shortest form has at most 6 decimals and 15 significant digits is that form
  // when rounded to 15 digits (the double is far closer to it than half a 15th digit), and that
  // form times 1e6 is an integer: nothing to round (the usual answer, e.g. 18.75).
  const short = SHORT_DECIMAL.exec(String(x));
  if (short && short[2]!.length + short[3]!.length <= 15) {
    const q = BigInt(short[2]! + short[3]!.padEnd(6, '0'));
    return short[1] ? -q : q;
  }
  return roundViaExponential(x);
}

/** round(x * 1e6), half to even, of x rounded to 15 significant digits; exported for tests. */
export function roundViaExponential(x: number): bigint {
  // 15 significant digits, as SymPy works from the Float's decimal precision.
  const s = x.toExponential(14);
  const [mant, expPart] = s.split('e');
  const exp = Number(expPart);
  const neg = mant!.startsWith('-');
  const digits = mant!.replace('-', '').replace('.', '');
  // value = 0.digits * 10^(exp+1); we want round(value * 1e6).
  const shift = exp + 1 + 6; // number of digits before the decimal point after scaling
  let intPart: string;
  let rest: string;
  if (shift <= 0) {
    intPart = '0';
    rest = '0'.repeat(-shift) + digits;
  } else if (shift >= digits.length) {
    intPart = digits + '0'.repeat(shift - digits.length);
    rest = '';
  } else {
    intPart = digits.slice(0, shift);
    rest = digits.slice(shift);
  }
  let q = BigInt(intPart);
  if (rest.length > 0) {
    const first = rest[0]!;
    const tail = rest.slice(1);
    if (first > '5' || (first === '5' && /[1-9]/.test(tail)) || (first === '5' && !/[1-9]/.test(tail) && q % 2n === 1n)) q += 1n;
  }
  return neg ? -q : q;
}

function isRationalTree(n: Node): boolean {
  switch (n.k) {
    case 'int':
    case 'rat':
      return true;
    case 'add':
    case 'mul':
      return n.args.every(isRationalTree);
    case 'pow':
      return isRationalTree(n.base) && (n.exp.k === 'int' || (n.exp.k === 'mul' || n.exp.k === 'add' || n.exp.k === 'pow') && isRationalTree(n.exp));
    default:
      return false;
  }
}

const SAMPLE_VALUES = [0.5772156649, 1.3247179572, -0.7390851332, 2.2360679775, -1.6180339887];

function samplePoints(syms: string[]): Map<string, number>[] {
  const envs: Map<string, number>[] = [];
  for (let k = 0; k < 3; k++) {
    const env = new Map<string, number>();
    syms.forEach((s, i) => env.set(s, SAMPLE_VALUES[(i + 2 * k) % SAMPLE_VALUES.length]! + 0.1 * i));
    envs.push(env);
  }
  return envs;
}

function close(a: Complex, b: Complex, tol: number): boolean {
  if (!isFiniteComplex(a) || !isFiniteComplex(b)) return false;
  const scale = Math.max(1, Math.abs(a.re), Math.abs(b.re), Math.abs(a.im), Math.abs(b.im));
  return Math.abs(a.re - b.re) <= tol * scale && Math.abs(a.im - b.im) <= tol * scale;
}

/**
 * Value equality: exact when both sides are rational, otherwise numeric (at sample points when
 * symbols remain). `floatAware`: with Floats present SymPy subtracts in floating point, so a
 * difference only vanishes when the values agree to the last digits.
 */
function valuesEqual(a: Node, b: Node, allowSymbols: boolean): boolean {
  const ea = hasFloat(a) ? undefined : exactValue(a);
  const eb = hasFloat(b) ? undefined : exactValue(b);
  if (ea && eb) return ratEqual(ea, eb);
  // A rational expression too large to evaluate exactly (2^{-100000}) must not be judged by
  // doubles that underflow or overflow.
  if ((!ea && isRationalTree(a)) || (!eb && isRationalTree(b))) return false;
  const syms = [...new Set([...freeSymbols(a), ...freeSymbols(b)])];
  if (syms.length === 0) return close(evalNode(a), evalNode(b), 1e-12);
  if (!allowSymbols) return false;
  let valid = 0;
  for (const env of samplePoints(syms)) {
    const va = evalNode(a, env);
    const vb = evalNode(b, env);
    if (!isFiniteComplex(va) && !isFiniteComplex(vb)) continue;
    if (!close(va, vb, 1e-9)) return false;
    valid++;
  }
  return valid >= 2;
}

export { isNumber };
